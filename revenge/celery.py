"""The Celery application: configuration comes from Django settings under the CELERY_ namespace."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from celery import Celery, signals

from revenge.config import private_folder

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")


def metrics_dir_prepare(argv: list[str], environ=os.environ) -> None:
    """A `celery worker` with REVENGE_WORKER_METRICS_PORT gets a fresh per-port folder for the values of its
    pool processes; prometheus_client reads PROMETHEUS_MULTIPROC_DIR when first imported, which is later."""
    port = environ.get("REVENGE_WORKER_METRICS_PORT", "").strip()
    if "worker" not in argv or port in ("", "0") or "PROMETHEUS_MULTIPROC_DIR" in environ:
        return
    folder = os.path.join(tempfile.gettempdir(), f"revenge-worker-metrics-{port}")
    shutil.rmtree(folder, ignore_errors=True)  # values of an earlier run of this worker would add to ours
    os.makedirs(folder, exist_ok=True)
    environ["PROMETHEUS_MULTIPROC_DIR"] = folder


metrics_dir_prepare(sys.argv)

app = Celery("revenge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def embedded_broker_dirs(conf) -> list[Path]:
    """Folders the filesystem broker and file result backend need; none when Redis is the broker."""
    if not str(conf.broker_url).startswith("filesystem://"):
        return []
    options = conf.broker_transport_options or {}
    folders = [options.get(key) for key in ("data_folder_in", "data_folder_out", "control_folder")]
    backend = str(conf.result_backend or "")
    if backend.startswith("file://"):
        folders.append(backend.removeprefix("file://"))
    return [Path(folder) for folder in folders if folder]


@app.on_after_configure.connect
def create_embedded_broker_dirs(sender, **kwargs) -> None:
    for folder in embedded_broker_dirs(sender.conf):
        private_folder(folder)  # queued messages carry task arguments: only the server's user reads them


@signals.worker_init.connect
def worker_observability(sender=None, **kwargs) -> None:
    from celery.concurrency import get_implementation
    from celery.concurrency.prefork import TaskPool as PreforkPool
    from django.conf import settings

    # Imported once Django is set up (the worker's Django fixup ran before this handler).
    from apps.core import tracing, worker_memory, worker_metrics

    # Importing worker_memory registers its remote-control command; tracing allocations is opt-in.
    worker_memory.tracemalloc_start(settings.TRACEMALLOC_FRAMES)
    if settings.WORKER_METRICS_PORT:
        worker_metrics.worker_metrics_serve(settings.WORKER_METRICS_PORT)
    if not issubclass(get_implementation(sender.pool_cls), PreforkPool):
        tracing.tracing_configure("worker")  # solo and thread pools run tasks in this very process


@signals.worker_process_init.connect
def pool_process_tracing(**kwargs) -> None:
    # Imported in the pool process, after the fork: its exporter thread is its own.
    from apps.core import tracing

    tracing.tracing_configure("worker")


@signals.worker_process_shutdown.connect
def pool_process_metrics_dead(pid=None, **kwargs) -> None:
    # Imported late like the handlers above: Django is set up by then.
    from apps.core import worker_metrics

    worker_metrics.worker_process_dead(pid or os.getpid())


@signals.beat_init.connect
def beat_tracing(**kwargs) -> None:
    # Beat publishes the periodic tasks: their traces start here.
    from apps.core import tracing

    tracing.tracing_configure("beat")


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_bad_configuration(sender=None, **kwargs) -> None:
    from apps.core.checks import exit_on_configuration_errors

    exit_on_configuration_errors("celery")
