"""Sessions: secure cookies in production, idle and absolute time-outs, deactivation ends them."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from tests.production_settings import apply_production_settings

pytestmark = pytest.mark.django_db

HOME = "/"
START = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)


def _sign_in(client, user, **extra):
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _is_signed_out(response):
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == reverse("login") and parse_qs(location.query).get("timed_out") == ["1"]


def test_production_cookies_are_secure_http_only_and_same_site(client, settings):
    values = apply_production_settings(settings)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    user = UserFactory()
    client.get(reverse("login"), secure=True)
    response = _sign_in(client, user, secure=True)
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["httponly"] is True


def test_production_sends_plain_http_to_https(client, settings):
    apply_production_settings(settings)
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + reverse("login")


def test_development_cookies_stay_http_only(client):
    user = UserFactory()
    response = _sign_in(client, user)
    assert response.cookies["sessionid"]["httponly"] is True


def test_a_new_session_id_is_issued_at_sign_in(client):
    user = UserFactory()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    _sign_in(client, user)
    assert client.session.session_key != before


def test_idle_session_ends_after_the_idle_limit_but_not_before(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    user = UserFactory()
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(client, user)
        assert client.get(HOME).status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(HOME).status_code == 200, "activity within the limit keeps the session"
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(HOME).status_code == 200, "the idle clock restarts at each request"
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(HOME)
    assert _is_signed_out(response)
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [HOME]
    # Signed out for good: the next request is anonymous, not a resumed session.
    follow_up = client.get(HOME)
    assert follow_up.status_code == 302 and "timed_out" not in follow_up["Location"]


def test_the_first_page_after_signing_in_is_timed_too(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    user = UserFactory()
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(client, user)
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(HOME)
    assert _is_signed_out(response)


def test_session_ends_at_the_absolute_limit_however_active(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 10 * 60 * 60
    user = UserFactory()
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(client, user)
        for _ in range(40):  # a request every 15 minutes, from 08:00 to 17:45
            assert client.get(HOME).status_code == 200
            clock.shift(dt.timedelta(minutes=15))
        clock.shift(dt.timedelta(minutes=1))  # 18:01: ten hours and a minute after signing in
        response = client.get(HOME)
    assert _is_signed_out(response)
    sign_in_page = client.get(response["Location"])
    assert "You have been signed out to keep your information secure" in sign_in_page.content.decode()


def test_the_timed_out_redirect_cannot_be_turned_into_an_open_redirect(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    user = UserFactory()
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(client, user)
        clock.shift(dt.timedelta(minutes=5))
        response = client.get("/x&next=//evil.example/")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["next"] == ["/x&next=//evil.example/"]


@pytest.fixture(params=["database", "redis"])
def session_store(request, settings, tmp_path):
    """Sessions in the database alone, or read from a real Redis as in production (cached_db)."""
    if request.param == "database":
        yield request.param
        return
    from tests.processes import RedisServer
    from tests.test_redis_outage import use_redis_for_sessions

    server = RedisServer(tmp_path / "redis")
    use_redis_for_sessions(settings, server.url)
    try:
        yield request.param
    finally:
        server.stop()


def test_deactivating_a_user_in_the_admin_ends_their_sessions(client, settings, session_store):
    from django.test import Client

    person = UserFactory(username="leaving.lead")
    _sign_in(client, person)
    assert client.get(HOME).status_code == 200
    admin_client = Client()
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True, role="administrator")
    admin_client.force_login(admin_user)
    change_url = reverse("admin:recommendations_user_change", args=[person.pk])
    form = admin_client.get(change_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        is_active="",
        groups=[],
        user_permissions=[],
        last_login_0="",
        last_login_1="",
        date_joined_0="2026-01-01",
        date_joined_1="09:00:00",
        unit=person.unit_id,
    )
    data = {k: v for k, v in data.items() if k not in ("last_login", "date_joined", "is_active")}
    response = admin_client.post(change_url, data, follow=True)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_active is False
    assert "was signed out of 1 session(s)" in response.content.decode()

    assert client.get(HOME).status_code == 302
    # Reactivating the account does not bring the old session back.
    person.is_active = True
    person.save()
    old_cookie = client.get(HOME)
    assert old_cookie.status_code == 302
    assert urlsplit(old_cookie["Location"]).path == reverse("login")
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(person.pk)]


def test_a_deactivated_user_is_signed_out_at_the_next_request_and_cannot_sign_in(client):
    person = UserFactory()
    _sign_in(client, person)
    person.is_active = False
    person.save()
    assert client.get(HOME).status_code == 302
    response = client.post(reverse("login"), {"username": person.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_saving_a_copy_of_the_person_read_before_their_sessions_ended_does_not_revive_them(client):
    from recommendations.models import User
    from recommendations.sessions import end_sessions_of

    person = UserFactory()
    _sign_in(client, person)
    read_earlier = User.objects.get(pk=person.pk)
    end_sessions_of(person)
    read_earlier.job_title = "Head of PDU"
    read_earlier.save()

    response = client.get(HOME)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")
    assert User.objects.get(pk=person.pk).job_title == "Head of PDU"
