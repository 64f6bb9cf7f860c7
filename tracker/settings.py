"""Settings for the inspection action-plan tracker.

Everything that differs between a laptop and production comes from environment
variables. The defaults are safe for development (SQLite file, console email,
no broker needed); with DEBUG off the settings refuse to start on a missing or
insecure SECRET_KEY, so a production deployment cannot inherit a development one.
"""

import logging
import os
import tomllib
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tracker.storage_settings import evidence_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# A development key is only acceptable while DEBUG is on. In production the key must
# be set, long and not one of the well-known insecure values.
_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
if not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is insecure: use at least 50 random characters, not a django-insecure key.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "import_export",
    "axes",
    "recommendations",
    "signin",
    "reminders",
    "reporting",
]

MIDDLEWARE = [
    # First: every later part (health allow-list, request log, axes) sees the client's address.
    "tracker.proxies.TrustedProxyMiddleware",
    # Health probes are answered here, before sessions and host checks (see tracker.health),
    # and before the request log: probes every few seconds would drown it.
    "tracker.health.endpoints.HealthEndpointsMiddleware",
    # A request id for every log line of a request (X-Request-ID from the ingress, or a new one).
    "log_request_id.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "recommendations.middleware.SessionTimeoutMiddleware",
    # A signed-in person without a role and unit yet sees only "You do not have access yet".
    "signin.middleware.AccessRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "recommendations.middleware.PermissionsPolicyMiddleware",
    "recommendations.middleware.PrivatePagesNotCachedMiddleware",
    # Axes must be last: it inspects the response of the authentication views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "recommendations.context_processors.service",
                "recommendations.navigation.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler pays off on long analytical queries, not on a page's: on
    # the action plan's queries it spent seconds compiling what then ran in milliseconds.
    # Django's server-side cursors (QuerySet.iterator(): the downloads) are read to the end,
    # but PostgreSQL plans a cursor for its first tenth of rows: a region's CSV query took
    # 62-69 ms planned that way and 20-24 ms planned for every row.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c cursor_tuple_fraction=1"
    # An unreachable database fails a request (and the readiness probe) in seconds, not minutes.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_USER_MODEL = "recommendations.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out sign-in is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Passwords: everyone with `local` sign-in, only break-glass administrators otherwise.
    "signin.backends.PasswordBackend",
    # Sessions started by HMPPS Auth or Entra ID (signin.views.callback); never checks a password.
    "signin.backends.ProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "recommendations:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Precompiled GOV.UK Frontend and MoJ Frontend files, straight from node_modules.
_NODE_MODULES = BASE_DIR / "node_modules"
for _prefix, _path in [
    ("govuk", _NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", _NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
]:
    if _path.exists():
        STATICFILES_DIRS.append((_prefix, _path))
# Uploaded evidence: the local disk on a laptop; an S3 bucket when AWS_STORAGE_BUCKET_NAME is
# set, so that every web replica and worker sees the same files (see tracker.storage_settings).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
# How a permitted download reaches the user from a bucket: "stream" (through the service) or
# "redirect" (a presigned URL valid for AWS_S3_PRESIGNED_EXPIRY_SECONDS, given after the scope check).
EVIDENCE_DOWNLOAD = os.environ.get("EVIDENCE_DOWNLOAD", "stream")
STORAGES = {
    "default": evidence_storage(os.environ),
    "staticfiles": {
        # STATICFILES_BACKEND is for processes that run without collected static files (the
        # multi-process tests); the image collects them at build time.
        "BACKEND": os.environ.get("STATICFILES_BACKEND")
        or (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Pages are not cached: they are worked out from their queries on every request. The
# default cache is each process's own; no page is kept in it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "default",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 500)},
    },
    # Each inspection's part of the dashboards' figures, under its figures version and the
    # day (recommendations.selectors.dashboard_parts). Shared in Redis when there is one
    # (set below); otherwise each process keeps its own.
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "TIMEOUT": 2 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": env_int("FIGURES_CACHE_MAX_ENTRIES", 5000)},
    },
}

# Uploaded evidence. It is never served directly: only through a view that checks scope.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Spreadsheet imports wait between preview and confirmation in a private folder, under
# names the service makes (see recommendations.resources.ImportUploadStorage).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "recommendations.resources.ImportUploadStorage"

# Email: console in development; SMTP (or GOV.UK Notify, see NOTIFY_API_KEY) in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "action-plan-tracker@localhost")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery. With no REDIS_URL the app still runs: tasks execute in-process (eagerly), and
# the daily sweep can be run with `manage.py send_reminders`.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged task after this many seconds; no task is ever
# scheduled with an ETA longer than this (see reminders.tasks).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # How often a worker looks for tasks held past the visibility timeout by a worker
    # that died, and puts them back on the queue. Kombu's default only looks once at
    # start-up and then every ~100 s; a look a minute costs one small Redis query.
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 60),
    "unacked_restore_throttle": 1,
    # Every key is prefixed with this, so that several deployments (or test runs) can
    # share one Redis database without taking each other's tasks.
    "global_keyprefix": os.environ.get("CELERY_REDIS_KEY_PREFIX", ""),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Reminders (reminders.selectors decides what is due; all periods in days).
REMINDER_DUE_SOON_DAYS = [int(days) for days in env_list("REMINDER_DUE_SOON_DAYS", "30,7,1")]
REMINDER_OVERDUE_REPEAT_DAYS = env_int("REMINDER_OVERDUE_REPEAT_DAYS", 7)
REMINDER_ESCALATE_AFTER_DAYS = env_int("REMINDER_ESCALATE_AFTER_DAYS", 14)
REMINDER_STALE_AFTER_DAYS = env_int("REMINDER_STALE_AFTER_DAYS", 30)
REMINDER_VERIFY_AFTER_DAYS = env_int("REMINDER_VERIFY_AFTER_DAYS", 7)
REMINDER_INSPECTION_LEAD_DAYS = [int(days) for days in env_list("REMINDER_INSPECTION_LEAD_DAYS", "180,90,30,7")]
# The day of the week (0 = Monday) on which people who asked for weekly reminders get them.
REMINDER_WEEKLY_DIGEST_WEEKDAY = env_int("REMINDER_WEEKLY_DIGEST_WEEKDAY", 0)
# Delivery: a claimed digest is someone else's for this long (seconds); failed sends are
# retried with exponential backoff up to this many attempts in all.
# The claim is renewed every third of it while sending (reminders.services._claim_kept), so
# it can be short: a killed worker's email waits two minutes, not ten.
REMINDER_SEND_LEASE_SECONDS = env_int("REMINDER_SEND_LEASE_SECONDS", 120)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
REMINDER_RETRY_BACKOFF_MAX_SECONDS = env_int("REMINDER_RETRY_BACKOFF_MAX_SECONDS", 1800)
# Health endpoints (tracker.health): which part is down is shown to signed-in administrators
# and to these addresses (the connecting address, never a forwarded header); others get the
# status alone.
HEALTH_DETAIL_ALLOWED_NETWORKS = env_list("HEALTH_DETAIL_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
# Build information for /info, set by the image build and the deployment.
APP_VERSION = (
    os.environ.get("APP_VERSION") or tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
)
BUILD_NUMBER = os.environ.get("BUILD_NUMBER", "")
GIT_REF = os.environ.get("GIT_REF", "")
GIT_BRANCH = os.environ.get("GIT_BRANCH", "")

# Derived RAG thresholds: the service's own view of progress, from dates and evidence.
RAG_STALE_AFTER_DAYS = env_int("RAG_STALE_AFTER_DAYS", 60)
RAG_AMBER_WITHIN_DAYS = env_int("RAG_AMBER_WITHIN_DAYS", 30)

# The printed (PDF) action plan is refused above this many rows: the spreadsheet has no limit.
PLAN_PDF_MAX_ROWS = env_int("PLAN_PDF_MAX_ROWS", 1500)

# Sessions: idle and absolute timeouts (seconds).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# With Redis, sessions are read from it (and still written to the database, which stays
# the record): every signed-in request then skips a database query. Redis is shared by
# every process, so signing out ends a session everywhere at once; a per-process cache
# would not do that, so without Redis sessions are read from the database alone.
# With Redis down, the session cache fails soft (tracker.caches): reads miss and fall back
# to the database, writes are skipped, so signed-in pages, sign-in and form posts carry on.
# A short timeout keeps a request from waiting long on a Redis that does not answer.
if REDIS_URL:
    CACHES["sessions"] = {
        "BACKEND": "tracker.caches.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sessions",
        "TIMEOUT": SESSION_COOKIE_AGE,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    # cached_db, ending a person's sessions when a cached copy cannot be deleted.
    SESSION_ENGINE = "recommendations.sessions"
    SESSION_CACHE_ALIAS = "sessions"
    # Every web worker reads the figures the others worked out. With Redis down the
    # dashboards work their figures out from their queries and still answer.
    CACHES["figures"] = {
        "BACKEND": "tracker.caches.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "figures",
        "TIMEOUT": 2 * 24 * 3600,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# How many proxies (load balancer, ingress) stand in front of the service. Only with one or
# more are X-Forwarded-For (which hop is the client: tracker.proxies) and X-Forwarded-Proto
# honoured; with none, a client could claim any address or claim HTTPS.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline scripts except GOV.UK's one-line body class
# script, which carries a per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Sign-in throttling: lock a username+address pair after repeated failures, for a
# cool-off period only, so an attacker cannot lock a known user out for ever.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind the trusted proxies, not the load balancer's.
AXES_CLIENT_IP_CALLABLE = "tracker.proxies.axes_client_address"
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the failure that caused the lockout: tries made while locked
# (even with the right password) are refused but do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Logs go to stdout, one JSON object a line in production (LOG_FORMAT=json, the default when
# DEBUG is off), each with the id of the request it belongs to: X-Request-ID from the ingress
# when it sends one, else a new id, also returned in the response's X-Request-ID header.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
# One line a request (method, path, status, user id): gunicorn's access log is off, as it
# would have no request id.
LOG_REQUESTS = env_bool("LOG_REQUESTS", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Python's warnings become log records (logger "py.warnings"), so they are JSON lines too.
logging.captureWarnings(True)
# Celery workers log through the configuration above, not a handler of their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Errors to Sentry when SENTRY_DSN is set (no personal data is sent: see tracker.sentry).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from tracker.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=GIT_REF or APP_VERSION,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

SERVICE_NAME = "Inspection action plan tracker"
# Where the phase banner's "give your feedback" link goes: a form or a mailbox the service team reads.
FEEDBACK_URL = os.environ.get(
    "FEEDBACK_URL", f"mailto:{DEFAULT_FROM_EMAIL}?subject=Feedback%20on%20the%20{SERVICE_NAME.replace(' ', '%20')}"
)

# Sign-in (the signin app; README "Signing in"). `local`: username and password, the
# laptop and demo default. `hmpps-auth` or `entra`: staff sign in with the provider, and a
# password is accepted only from the administrators named in BREAK_GLASS_USERNAMES.
SIGN_IN_PROVIDER = os.environ.get("SIGN_IN_PROVIDER", "local").strip().lower() or "local"
if SIGN_IN_PROVIDER not in {"local", "hmpps-auth", "entra"}:
    raise ImproperlyConfigured("SIGN_IN_PROVIDER must be one of: local, hmpps-auth, entra.")
HMPPS_AUTH_URL = os.environ.get("HMPPS_AUTH_URL", "").rstrip("/")
HMPPS_AUTH_CLIENT_ID = os.environ.get("HMPPS_AUTH_CLIENT_ID", "")
HMPPS_AUTH_CLIENT_SECRET = os.environ.get("HMPPS_AUTH_CLIENT_SECRET", "")
# The role (in the token's `authorities`) that lets a person use the tracker; empty: any HMPPS Auth user.
HMPPS_AUTH_ROLE = os.environ.get("HMPPS_AUTH_ROLE", "")
# HMPPS Auth names itself `{HMPPS_AUTH_URL}/issuer` in its tokens.
HMPPS_AUTH_ISSUER = os.environ.get("HMPPS_AUTH_ISSUER", f"{HMPPS_AUTH_URL}/issuer" if HMPPS_AUTH_URL else "")
# Checked when set: the `aud` HMPPS Auth puts in the service's access tokens.
HMPPS_AUTH_AUDIENCE = os.environ.get("HMPPS_AUTH_AUDIENCE", "")
HMPPS_AUTH_SCOPE = os.environ.get("HMPPS_AUTH_SCOPE", "read")
ENTRA_TENANT_ID = os.environ.get("ENTRA_TENANT_ID", "")
# Any OpenID Connect provider with discovery; Entra ID's own issuer when only the tenant is given.
ENTRA_ISSUER_URL = os.environ.get("ENTRA_ISSUER_URL", "").rstrip("/") or (
    f"https://login.microsoftonline.com/{ENTRA_TENANT_ID}/v2.0" if ENTRA_TENANT_ID else ""
)
ENTRA_CLIENT_ID = os.environ.get("ENTRA_CLIENT_ID", "")
ENTRA_CLIENT_SECRET = os.environ.get("ENTRA_CLIENT_SECRET", "")
# The app role (in the ID token's `roles`) that lets a person use the tracker; empty: anyone in the tenant.
ENTRA_ROLE = os.environ.get("ENTRA_ROLE", "")
# Optional: provider roles or groups that give a tracker role, e.g.
# "ROLE_ACTION_PLAN_NATIONAL=national_viewer". Removed at the provider, removed at next sign-in.
SIGN_IN_ROLE_MAP = {
    provider_role.strip(): tracker_role.strip()
    for provider_role, _, tracker_role in (item.partition("=") for item in env_list("SIGN_IN_ROLE_MAP", ""))
    if tracker_role
}
# Usernames of administrators who may still sign in with a password when a provider is set.
BREAK_GLASS_USERNAMES = env_list("BREAK_GLASS_USERNAMES", "")
# Seconds of clock difference allowed when checking a token's times.
SIGN_IN_LEEWAY_SECONDS = env_int("SIGN_IN_LEEWAY_SECONDS", 60)
SIGN_IN_HTTP_TIMEOUT_SECONDS = env_int("SIGN_IN_HTTP_TIMEOUT_SECONDS", 10)
# Who gives a new user access, named on "You do not have access yet" (default: the administrators).
ACCESS_CONTACT = os.environ.get("ACCESS_CONTACT", "")
