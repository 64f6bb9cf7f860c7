"""The send_reminders command, and the sweep's cost: as many queries for 200 actions as for 10."""

import datetime as dt
import math
import re
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import ActionStatus
from reminders import services
from reminders.models import DigestMessage, NotificationLog
from tests.factories import UserFactory
from tests.reminder_sweep_world import org as sweep_org
from tests.reminder_sweep_world import seven_am

org = sweep_org  # the sweep's small region, as a fixture here


def test_the_send_reminders_command_reports_and_a_dry_run_writes_and_sends_nothing(org):
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    org.action(due=day - dt.timedelta(days=1))

    dry = StringIO()
    with time_machine.travel(seven_am(day), tick=False):
        call_command("send_reminders", "--date", "2026-03-02", "--dry-run", stdout=dry)
    assert NotificationLog.objects.count() == 0 and DigestMessage.objects.count() == 0
    assert len(mail.outbox) == 0
    assert "Due soon: 1 due" in dry.getvalue() and "Overdue: 1 due" in dry.getvalue()
    assert "Emails that would be sent: 1" in dry.getvalue()

    out = StringIO()
    with time_machine.travel(seven_am(day), tick=False):
        call_command("send_reminders", "--date", "2026-03-02", stdout=out)
        call_command("send_reminders", "--date", "2026-03-02", stdout=(again := StringIO()))
    assert "New reminders: 2" in out.getvalue() and "Emails sent: 1" in out.getvalue()
    assert "New reminders: 0" in again.getvalue() and "Emails sent: 0" in again.getvalue()
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_malformed_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2/3/2026")


# Scale: a handful of queries whatever the number of actions


def _queries_for_sweep(org, owners, count, day):
    for n in range(count):
        # A mix of kinds: due in 7 days, overdue since yesterday, escalated, awaiting verification.
        kind = n % 4
        if kind == 0:
            org.action(due=day + dt.timedelta(days=7), owner=owners[n % 3])
        elif kind == 1:
            org.action(due=day - dt.timedelta(days=1), owner=owners[n % 3])
        elif kind == 2:
            org.action(due=day - dt.timedelta(days=15), owner=owners[n % 3])
        else:
            org.action(
                due=day + dt.timedelta(days=60),
                owner=owners[n % 3],
                status=ActionStatus.COMPLETED,
                completed_at=seven_am(day - dt.timedelta(days=8)),
                completed_by=owners[n % 3],
            )
    with time_machine.travel(seven_am(day), tick=False), CaptureQueriesContext(connection) as ctx:
        summary = services.run_sweep(day=day)
    log_insert = re.compile(r'INSERT (OR IGNORE )?INTO "reminders_notificationlog"')
    inserts = [q for q in ctx.captured_queries if log_insert.match(q["sql"])]
    return len(ctx.captured_queries) - len(inserts), len(inserts), summary


@pytest.mark.django_db
def test_the_sweep_takes_as_many_queries_for_200_actions_as_for_10(org):
    owners = [org.owner, org.leader, UserFactory(unit=org.pdu)]
    small, small_inserts, small_summary = _queries_for_sweep(org, owners, 10, dt.date(2026, 3, 2))
    large, large_inserts, large_summary = _queries_for_sweep(org, owners, 200, dt.date(2026, 6, 1))

    assert (small_summary.new, large_summary.new) == (16, 372)
    # The three owners and the director: one email each, however many reminders.
    assert small_summary.emails_sent == large_summary.emails_sent == 4
    assert large == small, f"{small} queries for 10 actions, {large} for 200"
    # The log is written in one INSERT, except where SQLite's 999-parameter limit makes Django split it.
    fields = [f for f in NotificationLog._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * large_summary.new)
    assert small_inserts == 1
    assert large_inserts == math.ceil(large_summary.new / batch)
    if connection.vendor == "postgresql":
        assert large_inserts == 1
