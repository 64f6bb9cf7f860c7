"""Tables read each render function's signature once (recommendations.tables.cell_signatures)."""

import inspect
import re
from unittest import mock

import django_tables2 as tables
import django_tables2.utils as tables2_utils
import pytest
from django.urls import reverse

from recommendations.tables import cell_signatures
from tests.web_world import build_world


class _Letters(tables.Table):
    letter = tables.Column()
    shout = tables.Column(accessor="letter", empty_values=())
    plain = tables.Column(accessor="letter")

    def render_shout(self, value, record):
        return f"{value.upper()}!{record['letter']}"

    def render_plain(self, value):
        return f"<{value}>"


def _draw(rows):
    table = _Letters(rows)
    return [list(row) for row in table.rows]


def test_django_tables2_uses_the_remembered_signatures():
    assert tables2_utils.signature is cell_signatures.signature


def test_the_answers_are_django_tables2s_own():
    def function(value, record, **rest):
        return value

    class Holder:
        def method(self, value, table):
            return value

        @staticmethod
        def static(record):
            return record

    holder = Holder()
    for fn in (function, holder.method, Holder.method, Holder.static, lambda value: value):
        assert cell_signatures.signature(fn) == cell_signatures._read_signature(fn)
    # The same function bound and unbound: the bound one leaves `self` out.
    assert cell_signatures.signature(holder.method) == (("value", "table"), None)
    assert cell_signatures.signature(Holder.method) == (("self", "value", "table"), None)


def test_an_unhashable_callable_is_read_each_time():
    class Unhashable:
        __hash__ = None

        def __call__(self, value):
            return value

    assert cell_signatures.signature(Unhashable()) == (("value",), None)


def test_a_table_reads_each_render_functions_signature_once_however_many_rows():
    cell_signatures._remembered.clear()
    rows = [{"letter": letter} for letter in "abcdefghij"]
    with mock.patch.object(inspect, "signature", wraps=inspect.signature) as read:
        drawn = _draw(rows)
    assert drawn[0] == ["a", "A!a", "<a>"]
    assert drawn[-1] == ["j", "J!j", "<j>"]
    # One reading for each column's render function (the plain column's own `render`, and two
    # methods), not one per cell (30).
    assert read.call_count == 3


def _tables(html):
    """The page's tables (the rest of the page carries a fresh nonce on every request)."""
    return re.findall(r"<table.*?</table>", html, re.S)


@pytest.mark.django_db
def test_the_action_plan_is_drawn_the_same_with_and_without_remembering(client):
    world = build_world()
    client.force_login(world.director)
    remembered = _tables(client.get(reverse("recommendations:action_plan")).content.decode())
    with mock.patch.object(tables2_utils, "signature", cell_signatures._read_signature):
        as_read_each_time = _tables(client.get(reverse("recommendations:action_plan")).content.decode())
    assert remembered == as_read_each_time
    assert "govuk-table__cell" in remembered[0]
