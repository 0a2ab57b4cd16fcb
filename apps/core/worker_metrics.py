"""A Celery worker's own /metrics (task durations, transcodes, deliveries), on REVENGE_WORKER_METRICS_PORT.

The web process's /metrics cannot see counters kept in worker processes. With the prefork pool each child
writes its values to PROMETHEUS_MULTIPROC_DIR (set by revenge/celery.py before prometheus_client loads) and
the worker's main process sums them, the way gunicorn's web workers are summed.
"""

from __future__ import annotations

import logging
import os

import prometheus_client
from prometheus_client import CollectorRegistry, multiprocess

ENV_DIR = "PROMETHEUS_MULTIPROC_DIR"
logger = logging.getLogger(__name__)


def _registry() -> CollectorRegistry:
    folder = os.environ.get(ENV_DIR)
    if not folder:
        return prometheus_client.REGISTRY  # solo or threads pool: one process holds every value
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=folder)
    return registry


def worker_metrics_serve(port: int, address: str = "0.0.0.0"):  # noqa: S104 - scraped over the pod network
    """Serve the worker's metrics on `port` from a daemon thread; returns the HTTP server."""
    server, _thread = prometheus_client.start_http_server(port, address, registry=_registry())
    logger.info("worker metrics on http://%s:%s/metrics", address, port)
    return server


def worker_process_dead(pid: int) -> None:
    """A pool child ended: its live gauges stop counting."""
    if os.environ.get(ENV_DIR):
        multiprocess.mark_process_dead(pid)
