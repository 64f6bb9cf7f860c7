"""The service navigation in the page header: which links a signed-in user sees.

Each page area adds its entry to NAVIGATION; an entry is shown to the roles it names
(every role when `roles` is empty) and marked current on the pages it lists.
"""

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # URL names (without namespace) on which this entry is the current one.
    current_on: tuple[str, ...] = ()
    roles: tuple[str, ...] = field(default=())
    # Shown only to those the Django admin lets in (administrators are its staff).
    staff_only: bool = False


NAVIGATION = [
    NavItem("My work", "recommendations:home", current_on=("home",)),
    NavItem("Action plan", "recommendations:action_plan", current_on=("action_plan",)),
    NavItem("Dashboard", "recommendations:dashboard", current_on=("regional_dashboard", "national_dashboard")),
    NavItem("Reports", "reporting:index", current_on=("index", "progress", "calendar")),
    NavItem("Themes", "reporting:themes", current_on=("themes",)),
    NavItem("Inspections", "recommendations:inspection_list", current_on=("inspection_list", "inspection_detail")),
    NavItem("Notifications", "reminders:notifications", current_on=("notifications",)),
    NavItem("Admin", "admin:index", staff_only=True),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_navigation": []}
    match = getattr(request, "resolver_match", None)
    current_name = match.url_name if match else None
    items = [
        {
            "label": item.label,
            "href": reverse(item.url_name),
            "current": current_name in item.current_on,
        }
        for item in NAVIGATION
        if (not item.roles or user.role in item.roles or user.is_superuser) and (user.is_staff or not item.staff_only)
    ]
    return {"service_navigation": items}
