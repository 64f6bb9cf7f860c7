"""How dates are written in tables, charts and files (one format, below every page and export),
and how a date typed by a person is read."""

import datetime as dt

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


# What people type for a date: UK (13/10/2026, 13 October 2026, 13 Oct 2026) or ISO (2026-10-13).
TYPED_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def read_typed_date(text: str) -> dt.date | None:
    """A date as a person types it (see TYPED_DATE_FORMATS); None when it is not one."""
    text = " ".join(str(text).split())
    for date_format in TYPED_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None
