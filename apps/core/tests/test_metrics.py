import pytest
from prometheus_client import Counter, Gauge, Histogram

from apps.core import metrics


def test_metrics_are_prefixed_and_created_once():
    first = metrics.counter("test_things_total", "Things.", ["kind"])
    assert isinstance(first, Counter)
    assert metrics.counter("test_things_total", "Things.", ["kind"]) is first
    first.labels(kind="a").inc(2)
    assert first.labels(kind="a")._value.get() == 2
    assert first._name == "revenge_test_things"


def test_gauges_and_histograms():
    assert isinstance(metrics.gauge("test_level", "Level."), Gauge)
    histogram = metrics.histogram("test_seconds", "Seconds.", buckets=[0.1, 1.0])
    assert isinstance(histogram, Histogram)
    histogram.observe(0.5)


def test_a_name_cannot_change_kind():
    metrics.gauge("test_kind_clash", "Clash.")
    with pytest.raises(ValueError, match="already exists"):
        metrics.counter("test_kind_clash", "Clash.")
