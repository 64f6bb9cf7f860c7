"""Optional error reporting to Sentry, switched on by SENTRY_DSN.

Sentry's Django and Celery integrations are enabled by the SDK when those packages are
installed. No personal data leaves the service: no cookies, no user names or email
addresses, no request bodies, no local variables of the stack frames. Each event carries
the request id of its log lines, so an error can be matched to the logs.
"""

import sentry_sdk
from log_request_id import local


def _tag_request_id(event, hint):
    request_id = getattr(local, "request_id", None)
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        # Stack frames' local variables hold session keys, form data and case details.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=_tag_request_id,
    )
