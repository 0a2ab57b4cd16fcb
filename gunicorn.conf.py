"""gunicorn settings for the web process; every knob comes from a REVENGE_* variable (see README)."""

import os
import shutil
import signal
import tempfile
import threading


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


port = _int("REVENGE_PORT", 8000)
# A home server is reached from the LAN; REVENGE_BIND=127.0.0.1 keeps it local.
bind = [f"{os.environ.get('REVENGE_BIND', '0.0.0.0')}:{port}"]  # noqa: S104
wsgi_app = "revenge.wsgi:application"
# gthread closing a kept-alive connection after REVENGE_WEB_KEEPALIVE_REQUESTS answers: load spreads over workers.
worker_class = "apps.core.web_worker.BalancedThreadWorker"
workers = _int("REVENGE_WEB_WORKERS", 2)
threads = _int("REVENGE_WEB_THREADS", 4)
timeout = 120
# On SIGTERM a worker first reports "draining" on /readyz for this long, so load balancers stop sending
# it traffic, then stops accepting and finishes in-flight requests within graceful_timeout.
drain_seconds = _int("REVENGE_SHUTDOWN_DRAIN_SECONDS", 5)
graceful_timeout = drain_seconds + _int("REVENGE_SHUTDOWN_GRACE_SECONDS", 25)
accesslog = "-"
errorlog = "-"
# The access log never carries ?token=, ?apikey= or ?api_key= values (webhook secrets, API keys, stream tokens).
logger_class = "apps.core.gunicorn_logging.RedactingLogger"
forwarded_allow_ips = os.environ.get("REVENGE_TRUSTED_PROXIES", "127.0.0.1,::1")

# prometheus_client reads this before it is imported anywhere: each worker writes its own files and
# /metrics sums them. Per pod and port, never on the shared data volume.
metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"revenge-metrics-{port}")
)


def on_starting(server) -> None:
    shutil.rmtree(metrics_dir, ignore_errors=True)
    os.makedirs(metrics_dir, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")
    import django

    django.setup()
    from apps.core.checks import exit_on_configuration_errors

    exit_on_configuration_errors("web")


def post_fork(server, worker) -> None:
    from apps.core import tracing

    # Before the worker loads the WSGI app (its middleware chain), and never in the master: the exporter's
    # thread must be started by the process that runs the requests.
    tracing.tracing_configure("web")


def post_worker_init(worker) -> None:
    import gc

    from apps.core import health

    # Django, DRF and the URL conf are loaded now and live forever: keeping them out of the collector's
    # view removes the long full-collection pauses that show up as p99 latency.
    gc.collect()
    gc.freeze()

    stop = worker.handle_exit

    def drain_then_stop(sig, frame) -> None:
        if health.is_draining():
            return
        health.draining_start()
        worker.log.info("SIGTERM: draining for %ss before shutdown", drain_seconds)
        timer = threading.Timer(drain_seconds, stop, args=(sig, frame))
        timer.daemon = True
        timer.start()

    signal.signal(signal.SIGTERM, drain_then_stop)

    if worker.age == 1:
        # system.startup once per start of the web process: from its first worker only (workers spawned later,
        # after a crash or a HUP, count higher), after the fork so its connections are its own, and in a
        # thread so a slow database delays nothing.
        threading.Thread(target=announce_startup, name="startup-event", daemon=True).start()


def announce_startup() -> None:
    from django.db import connections

    from apps.core import events

    try:
        events.emit("system.startup", process="web")
    finally:
        connections.close_all()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
