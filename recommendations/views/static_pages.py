"""Pages with fixed content."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def accessibility_statement(request):
    return render(request, "recommendations/accessibility.html")


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them to GOV.UK Frontend's.

    A temporary redirect, because the static file's address changes with its content.
    """
    return redirect(static("govuk/assets/images/favicon.ico"))
