"""Home: the signed-in user's work."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..data_cache import cached_part
from ..selectors.home import DUE_SOON_DAYS, my_work


@require_safe
def home(request):
    # Kept until the plan's data changes (recommendations.data_cache): the page has no form.
    work = cached_part(request, "home", lambda: my_work(user=request.user, today=timezone.localdate()))
    return render(request, "recommendations/home.html", {"work": work, "due_soon_days": DUE_SOON_DAYS})
