"""How dates are written in tables, charts and files: one format, below every page and export."""

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(value):
    """A date as tables and charts show it: '3 Sep 2026', as `date:"j M Y"` writes it.

    Written out here because a table has one in every row and a chart one on every point,
    and Django's date filter sets up a formatter and looks up the language and month names
    for each.
    """
    if not value:
        return ""
    return f"{value.day} {MONTHS_SHORT[value.month - 1]} {value.year}"
