"""Ending a person's sessions, e.g. when their account is deactivated, and the session store.

Django refuses an inactive user at their next request, but the session itself would
survive and come back to life if the account were reactivated. Ending a person's
sessions stamps User.sessions_ended_at, which is part of the hash Django checks on every
request: every session signed in before the stamp is refused wherever it is kept. The
sessions are also deleted from every store the engine keeps them in (the database and,
with cached_db, Redis), so they do not linger.

With Redis down, a session's cached copy cannot be deleted and Redis would serve it
again once back. SessionStore (the engine when sessions are read from Redis) notices
that and ends every session of the person instead: signing out during an outage signs
the person out everywhere, and no copy left in Redis can sign anyone in.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.utils import timezone


def _mark_sessions_ended(user_id) -> None:
    get_user_model().objects.filter(pk=user_id).update(sessions_ended_at=timezone.now())


def end_sessions_of(user) -> int:
    """End every session signed in as `user`; returns how many stored sessions were deleted."""
    _mark_sessions_ended(user.pk)
    user.refresh_from_db(fields=["sessions_ended_at"])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


class SessionStore(CachedDatabaseStore):
    """cached_db, except that a session whose cached copy cannot be deleted ends all its person's sessions."""

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        cache_key = self.cache_key_prefix + session_key
        delete_reached = getattr(self._cache, "delete_reached", None)
        if delete_reached is None:
            self._cache.delete(cache_key)
        elif not delete_reached(cache_key):
            user_id = self._signed_in_user_id(session_key)
            if user_id is not None:
                _mark_sessions_ended(user_id)
        DatabaseStore.delete(self, session_key)

    def _signed_in_user_id(self, session_key):
        data = self.model.objects.filter(session_key=session_key).values_list("session_data", flat=True).first()
        return self.decode(data).get(SESSION_KEY) if data else None
