"""Home: the signed-in user's work."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..selectors.challenges import open_challenges_for
from ..selectors.due_date_proposals import proposals_to_decide
from ..selectors.home import DUE_SOON_DAYS, my_work
from ..selectors.plans import plans_needing


@require_safe
def home(request):
    work = my_work(user=request.user, today=timezone.localdate())
    context = {
        "work": work,
        "due_soon_days": DUE_SOON_DAYS,
        "plans": plans_needing(user=request.user),
        "open_challenges": list(open_challenges_for(request.user)),
        "proposals_to_decide": list(proposals_to_decide(request.user)),
    }
    return render(request, "recommendations/home.html", context)
