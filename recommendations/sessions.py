"""Ending a person's sessions, e.g. when their account is deactivated.

Django refuses an inactive user at their next request, but the session itself would
survive and come back to life if the account were reactivated. Deleting the sessions
makes deactivation final: the person must sign in again once reactivated.

Each session is deleted through the configured session engine, so that it goes from
every store that engine keeps it in: the database and, with cached_db, Redis too
(deleting the database row alone left the cached copy signing the person in).
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions_of(user) -> int:
    """Delete every unexpired session signed in as `user`; returns how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
