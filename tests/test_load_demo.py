"""`manage.py load_demo` fills an empty database with the published and demo data, once."""

import datetime as dt

import pytest
from django.core.management import call_command

from recommendations.models import Action, Inspection, Recommendation, User

pytestmark = pytest.mark.django_db


def test_loads_published_and_demo_data_into_an_empty_database():
    call_command("load_demo")
    assert Recommendation.objects.count() == 39
    assert Action.objects.exists()
    assert User.objects.filter(username="eastmidlands.director").exists()
    derby = Inspection.objects.get(unit__slug="derby-city", kind="pdu")
    assert derby.next_inspection_expected == dt.date(2027, 3, 1)


def test_published_only_loads_no_demo_users():
    call_command("load_demo", "--published-only")
    assert Recommendation.objects.count() == 39
    assert not User.objects.exists()
    assert not Action.objects.exists()


def test_running_again_changes_nothing():
    call_command("load_demo")
    actions = Action.objects.count()
    call_command("load_demo")
    assert Action.objects.count() == actions
    assert Recommendation.objects.count() == 39


def test_loaddata_by_name_finds_the_published_fixture():
    call_command("loaddata", "inspections", verbosity=0)
    assert Recommendation.objects.count() == 39


def test_loaded_records_start_their_history():
    call_command("load_demo")
    action = Action.objects.order_by("pk").first()
    assert action.history.count() == 1
    assert Recommendation.objects.first().history.count() == 1
