"""The private calendar feed, and the page where a user turns it on, renews or revokes it."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ..exports.icalendar_feed import build_calendar
from ..links import action_path, inspection_path
from ..models import CalendarFeed
from ..selectors.calendar import calendar_entries, feed_for_token
from ..services import issue_calendar_feed, note_calendar_feed_used, revoke_calendar_feed


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """GET: whether the feed is on. POST: make a new address (shown once) or turn the feed off."""
    new_address = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoke_calendar_feed(user=request.user)
            return redirect(f"{reverse('reporting:calendar')}?revoked=1")
        token = issue_calendar_feed(user=request.user)
        # The token is not stored, so this response is the only time the address can be shown.
        new_address = request.build_absolute_uri(reverse("reporting:calendar_feed", args=[token]))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "reporting/calendar.html",
        {"feed": feed, "new_address": new_address, "revoked": request.GET.get("revoked") == "1"},
    )


@login_not_required
@require_GET
def calendar_feed(request, token):
    """The feed itself. No sign-in: the secret in the address is the key, so a wrong one is simply not found."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404("No calendar at this address.")
    note_calendar_feed_used(feed=feed)
    user = feed.user
    entries = calendar_entries(user, action_path=action_path, inspection_path=inspection_path)
    body = build_calendar(name=f"Action plan – {user.get_full_name() or user.username}", entries=entries)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="action-plan.ics"'
    # A private address must not be kept by shared caches.
    response["Cache-Control"] = "private, max-age=0, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
