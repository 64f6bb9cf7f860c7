"""Home: the signed-in user's work."""

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..models import OPEN_STATUSES, ActionStatus
from ..selectors.challenges import ANSWERED_SHOWN_DAYS, challenges_raised_by, open_challenges_for
from ..selectors.due_date_proposals import proposals_to_decide
from ..selectors.home import DUE_SOON_DAYS, my_work
from ..selectors.plans import plans_needing


def _on_the_plan(*, user, today: dt.date, verifies: bool) -> dict:
    """Each section's actions as the action plan's filters find them all, for "see all" links."""
    mine = {"owner": user.pk}
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    completed = {"status": ActionStatus.COMPLETED}
    return {
        "overdue": urlencode({**mine, "overdue": "yes"}),
        "due_soon": urlencode(
            {**mine, "status": OPEN_STATUSES, "due_from": today.isoformat(), "due_to": soon.isoformat()}, doseq=True
        ),
        "awaiting_verification": urlencode(completed if verifies else {**mine, **completed}),
    }


@require_safe
def home(request):
    today = timezone.localdate()
    work = my_work(user=request.user, today=today)
    context = {
        "work": work,
        "on_the_plan": _on_the_plan(user=request.user, today=today, verifies=work.verifies),
        "due_soon_days": DUE_SOON_DAYS,
        "plans": plans_needing(user=request.user),
        "open_challenges": list(open_challenges_for(request.user)),
        "raised_challenges": challenges_raised_by(request.user, now=timezone.now()),
        "answered_shown_days": ANSWERED_SHOWN_DAYS,
        "proposals_to_decide": list(proposals_to_decide(request.user)),
    }
    return render(request, "recommendations/home.html", context)
