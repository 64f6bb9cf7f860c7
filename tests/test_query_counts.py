"""Every main page makes a bounded number of SQL queries, however much data there is.

The pages (the same list the benchmark measures, bench/pages.py) are opened by the
matching role on generated data at two sizes; each must make at most MAX_QUERIES
queries, and the same number at both sizes: a count that grows with the data is an
N+1 query waiting for national scale.
"""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.pages import ADMIN_PAGE, PAGES, find_samples, resolve
from bench.scale_data import ScaleSpec, generate

MAX_QUERIES = 12
SIZES = (50, 500)
ALL_PAGES = [*PAGES, ADMIN_PAGE]

# The marker makes pytest-django set up the test database, which the module fixture uses.
pytestmark = pytest.mark.django_db


def _spec(actions):
    return ScaleSpec(
        regions=2,
        pdus_per_region=2,
        actions=actions,
        updates_per_action=3,
        inspections_per_pdu=2,
        seed=3,
        today=timezone.localdate(),
    )


def _read(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _measure_every_page():
    samples = find_samples()
    clients = {}
    measured = {}
    for page in ALL_PAGES:
        user = samples.users[page.role]
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        client = clients[user.pk]
        url = resolve(page, samples, lambda u, c=client: _read(c.get(u)).decode())
        if url is None:
            measured[page.key] = None
            continue
        client.get(url)  # the first request also writes the new session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            _read(response)
        measured[page.key] = (response.status_code, len(captured.captured_queries), url)
    return measured


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """{size: {page key: (status, queries, url) or None}}, both sizes generated once for the module."""
    results = {}
    with django_db_blocker.unblock():
        for size in SIZES:
            with transaction.atomic():
                generate(_spec(size))
                results[size] = _measure_every_page()
                transaction.set_rollback(True)
    return results


@pytest.mark.parametrize("page", ALL_PAGES, ids=[p.key for p in ALL_PAGES])
def test_page_makes_few_queries_and_the_same_at_both_sizes(measured, page):
    small, large = (measured[size][page.key] for size in SIZES)
    if small is None:
        pytest.skip(f"{page.title} is not in the URL configuration yet")
    assert small[0] == 200 and large[0] == 200, f"{page.title}: HTTP {small[0]} / {large[0]}"
    assert large[1] <= MAX_QUERIES, f"{page.title} ({large[2]}) makes {large[1]} queries"
    assert small[1] == large[1], (
        f"{page.title}: {small[1]} queries with {SIZES[0]} actions but {large[1]} with {SIZES[1]}"
    )
