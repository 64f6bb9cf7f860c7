// Starts GOV.UK Frontend and MoJ Frontend components on every page. Loaded as a
// module, so browsers too old for GOV.UK Frontend 6 skip it and keep the plain HTML.
import { createAll, initAll as initGovUk } from '../govuk/govuk-frontend.min.js'
import { FilterToggleButton, initAll as initMoj } from '../moj/moj-frontend.min.js'

initGovUk()
initMoj()
// MoJ's initAll leaves out the filter's show/hide button: start it where a page has a filter.
createAll(FilterToggleButton)

// On a phone the tables stack into cards (application.css), each cell labelled with its
// column's heading: label the cells of tables whose page did not label them itself.
for (const table of document.querySelectorAll('.govuk-main-wrapper .govuk-table')) {
  const headings = [...table.querySelectorAll('thead th')].flatMap(
    th => Array(th.colSpan || 1).fill(th.textContent.replace(/[▲▼]/g, '').replace(/\s+/g, ' ').trim())
  )
  for (const row of table.querySelectorAll('tbody tr')) {
    let column = 0
    for (const cell of row.cells) {
      if (cell.tagName === 'TD' && !cell.hasAttribute('data-label') && headings[column]) {
        cell.setAttribute('data-label', headings[column])
      }
      column += cell.colSpan || 1
    }
  }
}
