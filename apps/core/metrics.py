"""The app's own Prometheus metrics, all named `revenge_*`, created once per process.

Under gunicorn the registry runs in prometheus multiprocess mode (see gunicorn.conf.py), so gauges say
how to combine the values of several worker processes.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

PREFIX = "revenge_"
_metrics: dict[str, Counter | Gauge | Histogram] = {}


def _get_or_create(kind: type, name: str, documentation: str, labelnames: Sequence[str], **kwargs):
    full_name = PREFIX + name
    existing = _metrics.get(full_name)
    if existing is not None:
        if not isinstance(existing, kind):
            raise ValueError(f"metric {full_name} already exists as a {type(existing).__name__}")
        return existing
    metric = kind(full_name, documentation, labelnames=tuple(labelnames), **kwargs)
    _metrics[full_name] = metric
    return metric


def counter(name: str, documentation: str, labelnames: Sequence[str] = ()) -> Counter:
    """A counter `revenge_<name>`; asking twice returns the same one."""
    return _get_or_create(Counter, name, documentation, labelnames)


def gauge(
    name: str, documentation: str, labelnames: Sequence[str] = (), *, multiprocess_mode: str = "livesum"
) -> Gauge:
    """A gauge `revenge_<name>`; `multiprocess_mode` says how worker processes combine."""
    return _get_or_create(Gauge, name, documentation, labelnames, multiprocess_mode=multiprocess_mode)


def histogram(
    name: str, documentation: str, labelnames: Sequence[str] = (), *, buckets: Sequence[float] | None = None
) -> Histogram:
    """A histogram `revenge_<name>` with the default or the given buckets."""
    kwargs = {"buckets": tuple(buckets)} if buckets else {}
    return _get_or_create(Histogram, name, documentation, labelnames, **kwargs)


# Collectors that read state kept elsewhere (the database) when /metrics is scraped: the values of
# processes that are not web workers, such as the watcher, which the multiprocess registry cannot see.
state_registry = CollectorRegistry(auto_describe=False)


def register_state_collector(collector) -> None:
    """Add a collector (with a `collect()` yielding metric families) to what /metrics shows."""
    state_registry.register(collector)
