"""The private calendar feed: valid iCalendar, exactly the user's items, and a secret that can be revoked."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from recommendations.models import ActionStatus
from reporting.models import CalendarFeed
from reporting.services import issue_calendar_feed
from tests.factories import ActionFactory
from tests.reporting_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _feed(client, token):
    return client.get(reverse("reporting:calendar_feed", args=[token]))


def _events(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_is_valid_icalendar_with_exactly_the_users_items(client, world):
    token = issue_calendar_feed(user=world.derby_lead)
    response = _feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = _events(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Inspection action plan tracker" in str(calendar["PRODID"])
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "Della Derby" in str(calendar["X-WR-CALNAME"])
    uid_a1 = f"action-{world.derby_a1.pk}@action-plan-tracker.justice.gov.uk"
    uid_a2 = f"action-{world.derby_a2.pk}@action-plan-tracker.justice.gov.uk"
    inspection_uid = f"next-inspection-{world.derby.pk}-{world.derby_2023.pk}@action-plan-tracker.justice.gov.uk"
    assert set(events) == {uid_a1, uid_a2, inspection_uid}

    huddles = events[uid_a1]
    assert huddles.decoded("DTSTART") == dt.date(2026, 6, 30)  # an all-day event on the current due date
    assert huddles.decoded("DTEND") == dt.date(2026, 7, 1)
    assert str(huddles["SUMMARY"]).startswith("Action due: Weekly SPO case review huddles")
    assert str(huddles["STATUS"]) == "CONFIRMED"
    description = str(huddles["DESCRIPTION"])
    assert "Status: In progress" in description and "revised from 31 March 2026" in description
    assert f"/actions/{world.derby_a1.pk}/" in description
    assert events[inspection_uid].decoded("DTSTART") == dt.date(2026, 11, 16)


def test_the_uid_stays_when_the_due_date_moves(client, world):
    token = issue_calendar_feed(user=world.derby_lead)
    _calendar, before = _events(_feed(client, token))
    world.derby_a1.due_date = dt.date(2026, 8, 31)
    world.derby_a1.status = ActionStatus.CANCELLED
    world.derby_a1.save()
    _calendar, after = _events(_feed(client, token))
    assert set(before) == set(after)
    moved = after[f"action-{world.derby_a1.pk}@action-plan-tracker.justice.gov.uk"]
    assert moved.decoded("DTSTART") == dt.date(2026, 8, 31)
    assert str(moved["STATUS"]) == "CANCELLED"


def test_another_users_actions_never_appear(client, world):
    ActionFactory(recommendation=world.shire_r1, owner=world.derbyshire_lead, description="Secret Derbyshire action")
    token = issue_calendar_feed(user=world.derby_lead)
    assert b"Secret Derbyshire action" not in _feed(client, token).content


def test_only_a_hash_of_the_token_is_stored(world):
    token = issue_calendar_feed(user=world.derby_lead)
    feed = CalendarFeed.objects.get(user=world.derby_lead)
    assert token not in feed.token_hash and len(feed.token_hash) == 64


def test_a_wrong_revoked_or_replaced_token_is_not_found(client, world):
    assert _feed(client, "not-a-real-token").status_code == 404
    first = issue_calendar_feed(user=world.derby_lead)
    second = issue_calendar_feed(user=world.derby_lead)
    assert _feed(client, first).status_code == 404
    assert _feed(client, second).status_code == 200
    client.force_login(world.derby_lead)
    response = client.post(reverse("reporting:calendar"), {"action": "revoke"})
    assert response.status_code == 302
    client.logout()
    assert _feed(client, second).status_code == 404


def test_a_deactivated_users_feed_stops(client, world):
    token = issue_calendar_feed(user=world.derby_lead)
    world.derby_lead.is_active = False
    world.derby_lead.save()
    assert _feed(client, token).status_code == 404


def test_the_calendar_page_shows_the_address_once(client, world):
    client.force_login(world.derby_lead)
    page = client.get(reverse("reporting:calendar")).content.decode()
    assert "Make my calendar address" in page
    created = client.post(reverse("reporting:calendar"), {"action": "create"}).content.decode()
    address = re.search(r'value="(http://testserver/calendar/feed/[^"]+\.ics)"', created).group(1)
    assert "Copy this address now" in created
    client.logout()
    assert client.get(address).status_code == 200
    client.force_login(world.derby_lead)
    again = client.get(reverse("reporting:calendar")).content.decode()
    assert address not in again and "Your calendar is on" in again
