// Starts GOV.UK Frontend and MoJ Frontend components on every page. Loaded as a
// module, so browsers too old for GOV.UK Frontend 6 skip it and keep the plain HTML.
import { createAll, initAll as initGovUk } from '../govuk/govuk-frontend.min.js'
import { FilterToggleButton, initAll as initMoj } from '../moj/moj-frontend.min.js'

initGovUk()
initMoj()
// MoJ's initAll leaves out the filter's show/hide button: start it where a page has a filter.
createAll(FilterToggleButton)
