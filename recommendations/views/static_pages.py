"""Pages with fixed content."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def accessibility_statement(request):
    return render(request, "recommendations/accessibility.html")
