"""Home: the signed-in user's work."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..selectors.home import DUE_SOON_DAYS, my_work


@require_safe
def home(request):
    work = my_work(user=request.user, today=timezone.localdate())
    return render(request, "recommendations/home.html", {"work": work, "due_soon_days": DUE_SOON_DAYS})
