"""The Celery application: configuration comes from Django settings under the CELERY_ namespace."""

import os
from pathlib import Path

from celery import Celery, signals

from revenge.config import private_folder

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")

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
@signals.beat_init.connect
def refuse_bad_configuration(sender=None, **kwargs) -> None:
    from apps.core.checks import exit_on_configuration_errors

    exit_on_configuration_errors("celery")
