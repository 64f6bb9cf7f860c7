// Starts GOV.UK Frontend and MoJ Frontend components on every page. Loaded as a
// module, so browsers too old for GOV.UK Frontend 6 skip it and keep the plain HTML.
import { initAll as initGovUk } from '../govuk/govuk-frontend.min.js'
import { initAll as initMoj } from '../moj/moj-frontend.min.js'

initGovUk()
initMoj()
