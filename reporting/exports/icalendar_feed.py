"""A user's due dates as an iCalendar (RFC 5545) feed that Outlook and other calendar apps subscribe to."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from ..selectors.calendar import CalendarEntry

PRODID = "-//HM Prison and Probation Service//Inspection action plan tracker//EN"
# Keeps UIDs unique across calendars: a UID is stable per action, so a moved due date
# moves the existing event rather than adding a second one.
UID_DOMAIN = "action-plan-tracker.justice.gov.uk"


def build_calendar(*, name: str, entries: list[CalendarEntry]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Calendar apps poll at their own pace; this asks for roughly twice a day.
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    now = timezone.now()
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        # An all-day event: DTSTART is a DATE and DTEND the next day (exclusive).
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.summary)
        url = f"{settings.SITE_URL}{entry.path}"
        event.add("description", f"{entry.description}\n\n{url}")
        event.add("url", url)
        event.add("status", entry.status)
        event.add("transp", "TRANSPARENT")
        if entry.last_modified:
            event.add("last-modified", entry.last_modified)
        calendar.add_component(event)
    return calendar.to_ical()
