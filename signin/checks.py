"""Settings checks for signing in (`manage.py check`, and `check --deploy` for production)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from recommendations.models import Role


@register(Tags.security)
def sign_in_settings(app_configs, **kwargs):
    problems = []
    provider = settings.SIGN_IN_PROVIDER
    needed = {
        "hmpps-auth": ["HMPPS_AUTH_URL", "HMPPS_AUTH_CLIENT_ID", "HMPPS_AUTH_CLIENT_SECRET"],
        "entra": ["ENTRA_ISSUER_URL", "ENTRA_CLIENT_ID", "ENTRA_CLIENT_SECRET"],
    }.get(provider, [])
    missing = [name for name in needed if not getattr(settings, name)]
    if missing:
        hint = "Set ENTRA_TENANT_ID or ENTRA_ISSUER_URL." if "ENTRA_ISSUER_URL" in missing else None
        problems.append(
            Error(f"SIGN_IN_PROVIDER is {provider}, but {', '.join(missing)} not set.", hint=hint, id="signin.E001")
        )
    unknown = sorted(role for role in settings.SIGN_IN_ROLE_MAP.values() if role not in Role.values)
    if unknown:
        problems.append(
            Error(
                f"SIGN_IN_ROLE_MAP gives roles the tracker does not have: {', '.join(unknown)}.",
                hint=f"Use one of: {', '.join(Role.values)}.",
                id="signin.E002",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def sign_in_deployment(app_configs, **kwargs):
    problems = []
    provider = settings.SIGN_IN_PROVIDER
    url = {"hmpps-auth": settings.HMPPS_AUTH_URL, "entra": settings.ENTRA_ISSUER_URL}.get(provider, "")
    if url and not url.startswith("https://"):
        problems.append(Warning(f"The sign-in provider's address {url} is not HTTPS.", id="signin.W001"))
    return problems
