"""Home: the signed-in user's work."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..data_cache import cached_part
from ..selectors.challenges import open_challenges_for
from ..selectors.home import DUE_SOON_DAYS, my_work
from ..selectors.plans import plans_needing


@require_safe
def home(request):
    # Kept until the plan's data changes (recommendations.data_cache): the page has no form.
    work = cached_part(request, "home", lambda: my_work(user=request.user, today=timezone.localdate()))
    context = {
        "work": work,
        "due_soon_days": DUE_SOON_DAYS,
        # Response plans and challenges are read for each request: they are not part of the cached work.
        "plans": plans_needing(user=request.user),
        "open_challenges": list(open_challenges_for(request.user)),
    }
    return render(request, "recommendations/home.html", context)
