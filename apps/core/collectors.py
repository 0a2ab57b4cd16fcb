"""State read when /metrics is scraped: Celery queue lengths, free space for transcodes, the image cache."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings
from prometheus_client.core import GaugeMetricFamily

# kombu's Redis transport keeps messages of priority > 0 in lists named queue + this separator + priority.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITIES = (3, 6, 9)
IMAGE_CACHE_SECONDS = 300  # walking the image folder costs a few ms per thousand files: at most every 5 min


def celery_queues() -> list[str]:
    """The queues tasks are routed to: the default one and those of CELERY_TASK_ROUTES."""
    routed = {route.get("queue") for route in getattr(settings, "CELERY_TASK_ROUTES", {}).values()}
    return sorted({"celery", *filter(None, routed)})


class QueueCollector:
    """revenge_celery_queue_length{queue}: messages waiting, read from Redis with one round trip."""

    def __init__(self) -> None:
        self._client = None

    def _redis(self):
        if self._client is None:
            # Imported here: only a server with REDIS_URL reads queue lengths from Redis.
            import redis

            self._client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        return self._client

    def collect(self):
        if not settings.REDIS_URL:
            return
        queues = celery_queues()
        try:
            pipe = self._redis().pipeline(transaction=False)
            for queue in queues:
                for name in (queue, *(f"{queue}{PRIORITY_SEPARATOR}{p}" for p in PRIORITIES)):
                    pipe.llen(name)
            lengths = pipe.execute()
        except Exception:
            return
        family = GaugeMetricFamily("revenge_celery_queue_length", "Task messages waiting, by queue.", labels=["queue"])
        step = 1 + len(PRIORITIES)
        for index, queue in enumerate(queues):
            family.add_metric([queue], sum(lengths[index * step : (index + 1) * step]))
        yield family


class DiskCollector:
    """revenge_transcode_disk_{free,size}_bytes: the file system transcodes are written to."""

    def collect(self):
        try:
            usage = shutil.disk_usage(settings.TRANSCODE_DIR)
        except OSError:
            try:  # not made yet: the folder it will be made in
                usage = shutil.disk_usage(Path(settings.TRANSCODE_DIR).parent)
            except OSError:
                return
        yield GaugeMetricFamily(
            "revenge_transcode_disk_free_bytes", "Free bytes where transcodes are written.", value=usage.free
        )
        yield GaugeMetricFamily(
            "revenge_transcode_disk_size_bytes", "Size of the file system transcodes are written to.", value=usage.total
        )


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`, links not followed."""
    total = count = 0
    stack = [str(folder)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
                    count += 1
            except OSError:
                continue
    return total, count


class ImageCacheCollector:
    """revenge_image_cache_{bytes,files}: artwork kept on disk; measured at most every IMAGE_CACHE_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._measured: tuple[Path, float, int, int] | None = None

    def collect(self):
        folder = Path(settings.IMAGES_DIR)
        with self._lock:
            measured = self._measured
            if measured is None or measured[0] != folder or time.monotonic() - measured[1] > IMAGE_CACHE_SECONDS:
                self._measured = (folder, time.monotonic(), *folder_size(folder))
            _, _, size, files = self._measured
        yield GaugeMetricFamily("revenge_image_cache_bytes", "Bytes of artwork kept on disk.", value=size)
        yield GaugeMetricFamily("revenge_image_cache_files", "Artwork files kept on disk.", value=files)
