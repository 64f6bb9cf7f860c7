"""Writes to different PDUs never wait on each other: no row is updated by every write.

Two people log progress at the same moment, on actions of two PDUs. The first one's
transaction stays open while the second one's runs: the second commits at once (a lock
wait would time out), and both updates are kept.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from recommendations import services
from recommendations.models import ActionStatus, ProgressUpdate
from tests.conftest import skip_or_fail
from tests.factories import ActionFactory, RecommendationFactory
from tests.plan_data import build_organisation

pytestmark = pytest.mark.django_db(transaction=True)

# Far longer than the write needs, far shorter than the test allows.
LOCK_TIMEOUT = "3s"


def _log(action, author, narrative):
    return services.log_progress(
        action=action,
        author=author,
        narrative=narrative,
        status=ActionStatus.IN_PROGRESS,
        rag="green",
        expected_version=action.version,
    )


def test_two_progress_updates_to_different_pdus_do_not_wait_on_each_other():
    if connection.vendor != "postgresql":
        skip_or_fail("Row locks between two open transactions need PostgreSQL")
    org = build_organisation()
    derby = ActionFactory(
        recommendation=RecommendationFactory(inspection__unit=org.derby_city, addressed_to=org.derby_city),
        owner=org.derby_lead,
    )
    shire = ActionFactory(
        recommendation=RecommendationFactory(inspection__unit=org.derbyshire, addressed_to=org.derbyshire),
        owner=org.derbyshire_lead,
    )
    first_written, second_done = threading.Event(), threading.Event()
    outcome = {}

    def first_writer():
        try:
            with transaction.atomic():
                _log(derby, org.derby_lead, "Derby City: audit started")
                first_written.set()
                # Held open until the other PDU's write has finished (or failed).
                outcome["second_finished_while_first_open"] = second_done.wait(timeout=30)
        finally:
            connections.close_all()

    def second_writer():
        try:
            first_written.wait(timeout=30)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                _log(shire, org.derbyshire_lead, "Derbyshire: training booked")
            outcome["second"] = "committed"
        except Exception as error:  # a lock wait that timed out, reported by the assertion below
            outcome["second"] = repr(error)
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcome["second"] == "committed"
    assert outcome["second_finished_while_first_open"] is True
    assert set(ProgressUpdate.objects.values_list("narrative", flat=True)) == {
        "Derby City: audit started",
        "Derbyshire: training booked",
    }
