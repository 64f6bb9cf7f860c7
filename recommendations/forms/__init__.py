"""Forms for the service's pages, with GOV.UK Design System error messages."""
