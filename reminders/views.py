"""Each person's notifications page: the reminders sent to them and how often they come."""

import calendar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from recommendations.forms.govuk import add_service_errors

from .forms import ReminderFrequencyForm
from .models import WEEKLY_KINDS, DigestFrequency
from .selectors import notifications_for_user, reminder_frequency
from .services import set_reminder_frequency

NOTIFICATIONS_PER_PAGE = 25


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notifications(request):
    """The reminders sent to the signed-in user, and how often the ones that can wait should come."""
    frequency = reminder_frequency(request.user)
    if request.method == "POST":
        form = ReminderFrequencyForm(request.POST)
        if form.is_valid():
            try:
                set_reminder_frequency(user=request.user, routine_reminders=form.cleaned_data["routine_reminders"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                chosen = form.cleaned_data["routine_reminders"]
                messages.success(
                    request,
                    "You will get reminders about actions due soon or with no recent progress "
                    + ("once a week." if chosen == DigestFrequency.WEEKLY else "on the day they are due."),
                )
                return redirect(reverse("reminders:notifications"))
    else:
        form = ReminderFrequencyForm(initial={"routine_reminders": frequency})
    page = Paginator(notifications_for_user(request.user), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/notifications.html",
        {
            "form": form,
            "page": page,
            "weekly": frequency == DigestFrequency.WEEKLY,
            "weekly_kinds": [str(kind) for kind in WEEKLY_KINDS],
            "weekly_day": calendar.day_name[settings.REMINDER_WEEKLY_DIGEST_WEEKDAY],
        },
    )
