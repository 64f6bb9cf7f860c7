"""Paging and sorting input from the address bar never breaks a page.

Every page that lists things (the plan, dashboards, reports, the admin's change lists)
is requested with hostile `page`, `per_page`, `sort` (and the admin's `p`, `o`) values:
the answer is the page, its first or last page, a redirect or a 404, never a 5xx, and
the page size stays the service's.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recommendations.filters.action_plan import ActionPlanFilter
from recommendations.models import Role
from tests.factories import ActionFactory, UserFactory
from tests.web_world import build_world

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = ["-1", "0", "1e9", "99999999999999999999", "abc", "", "1;DROP TABLE x", "%00", "__class__", "-"]
# Each value goes into every paging and sorting parameter at once: the plan's, the
# admin's (`p`, `o`) and django-tables2's.
HOSTILE_QUERIES = [
    {"page": value, "per_page": value, "sort": value, "p": value, "o": value}
    for value in [*HOSTILE_VALUES, "100000", "-action", "action,-inspection", "owner__password"]
] + [{"page": "2", "per_page": "-1", "sort": "-due", "p": "-1", "o": "-9.x"}, {"per_page": "-1"}, {"page": "-1"}]
DOWNLOADS = (".xlsx", ".csv", ".zip")
# The printed plan reads its query exactly as the spreadsheet does (reporting.views.downloads),
# and takes seconds to lay out: the spreadsheet stands for both.
SKIPPED = (".pdf",)
DOWNLOAD_QUERIES = [
    {"page": "-1", "per_page": "-1", "sort": "owner__password"},
    {"page": "abc", "per_page": "100000", "sort": "-"},
    {"sort": "1;DROP TABLE x", "p": "%00", "o": "__class__"},
]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _list_urls(world) -> list[str]:
    """Every GET page of the service that takes no object id, plus the slugged lists."""
    urls = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name not in (None, "logout")
                and not pattern.pattern.converters
            ):
                urls.append(reverse(f"{namespace}{pattern.name}"))

    walk(get_resolver().url_patterns)
    urls.append(reverse("recommendations:regional_dashboard", args=[world.region.slug]))
    urls.append(reverse("reporting:progress", args=[world.pdu.slug]))
    return urls


def _admin_changelists() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


def test_every_list_page_survives_hostile_paging_and_sorting(client):
    world = build_world()
    # More than one page of the plan, so that paging has something to do.
    for _ in range(51):
        ActionFactory(recommendation=world.recommendation, unit=world.pdu, owner=world.leader)
    administrator = UserFactory(username="root", unit=None, role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.raise_request_exception = False
    failures = []
    for user, urls in [(world.director, _list_urls(world)), (administrator, _admin_changelists())]:
        client.force_login(user)
        for url in [url for url in urls if not url.endswith(SKIPPED)]:
            # A download lays out the whole list (a PDF takes seconds): fewer tries, same values.
            queries = DOWNLOAD_QUERIES if url.endswith(DOWNLOADS) else HOSTILE_QUERIES
            for query in queries:
                response = client.get(url, query)
                if response.status_code >= 500:
                    failures.append(f"{url} {query}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("per_page", ["1", "-1", "100000", "abc"])
def test_the_plan_shows_its_own_page_size_whatever_the_address_asks(client, per_page):
    world = build_world()
    for _ in range(51):
        ActionFactory(recommendation=world.recommendation, unit=world.pdu, owner=world.leader)
    client.force_login(world.director)
    response = client.get(reverse("recommendations:action_plan"), {"per_page": per_page})
    assert response.status_code == 200
    assert response.content.count(b'<tr class="govuk-table__row') - 1 == 50


def test_every_filter_of_the_plan_and_its_downloads_refuses_a_nul_byte_without_an_error(client):
    """PostgreSQL refuses text holding NUL: a filter value that reaches a query with one is a 500."""
    world = build_world()
    client.force_login(world.director)
    client.raise_request_exception = False
    pages = [reverse("recommendations:action_plan"), reverse("recommendations:action_plan_csv")]
    pages += [reverse("reporting:plan_xlsx")]
    failures = []
    for name in [*ActionPlanFilter.base_filters, "within", "sort", "page"]:
        for url in pages:
            response = client.get(url, {name: "derby\x00city"})
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            if response.status_code >= 500:
                failures.append(f"{url} {name}: {response.status_code}")
    assert not failures, "\n".join(failures)
