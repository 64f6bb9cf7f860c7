"""Gunicorn settings for the web process (the container's default command), all from the environment.

Threads serve slow downloads without holding a process each; on SIGTERM gunicorn stops
accepting connections and gives requests in progress GUNICORN_GRACEFUL_TIMEOUT seconds
to finish, which Kubernetes' terminationGracePeriodSeconds must exceed.
"""

import os

bind = [f"{os.environ.get('BIND_ADDRESS', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]  # noqa: S104 - inside a container
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
keepalive = 5
# A fresh process now and then keeps memory in check; the jitter stops them all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory: the root filesystem is read-only in the cluster.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's documented choice
# No control socket: it would be written under $HOME, which is read-only in the cluster, and
# replicas on one machine would share its path. Kubernetes manages the processes.
control_socket_disable = True
# Django logs each request, with its request id (LOG_REQUESTS); gunicorn's access log would not have it.
accesslog = None
errorlog = "-"
# Gunicorn's own lines as JSON too when Django's are (LOG_FORMAT, as in tracker.settings).
_debug = os.environ.get("DEBUG", "1").strip().lower() in {"1", "true", "yes", "on"}
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
        "root": {"handlers": ["console"], "level": "INFO"},
    }


def post_worker_init(worker):
    """Once a worker has loaded the app: tune its garbage collector (tracker.garbage_collection)."""
    from tracker.garbage_collection import tune_for_requests

    tune_for_requests()
