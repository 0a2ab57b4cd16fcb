"""Read /metrics as Prometheus would: `scrape(client)` → {(name, labels): value} of every sample."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def scrape(client, path: str = "/metrics") -> dict[tuple[str, frozenset], float]:
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return samples(response.content.decode())


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float:
    """The sample's value; 0 when it is not there (a counter never touched)."""
    return found.get((name, frozenset(labels.items())), 0.0)
