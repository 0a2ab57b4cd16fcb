"""The alert rules and the Grafana dashboard are valid, and every metric they use is documented and real."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
METRIC = re.compile(r"\b((?:revenge|django)_[a-z0-9_]+)")
SUFFIXES = ("_bucket", "_count", "_sum", "_created")


def _base(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def documented() -> str:
    return (ROOT / "docs" / "metrics.md").read_text()


def test_the_alert_rules_are_valid_prometheus_rule_files():
    rules = yaml.safe_load((ROOT / "docs" / "prometheus" / "revenge-rules.yml").read_text())
    (group,) = rules["groups"]
    alerts = {rule["alert"]: rule for rule in group["rules"]}
    assert set(alerts) == {
        "RevengeWeb5xxRate",
        "RevengeWebLatencyP99",
        "RevengeQueueBacklog",
        "RevengeDeliveriesFailing",
        "RevengeWatcherDown",
        "RevengeTranscodeDiskLow",
    }
    for name, rule in alerts.items():
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, name
        assert rule["labels"]["severity"] in ("warning", "critical") and rule["annotations"]["summary"], name
        assert re.fullmatch(r"\d+[smh]", rule["for"]), name
        assert rule["expr"].count("(") == rule["expr"].count(")"), name


def test_every_metric_in_the_rules_and_the_dashboard_is_documented():
    text = (ROOT / "docs" / "prometheus" / "revenge-rules.yml").read_text()
    dashboard = json.loads((ROOT / "docs" / "grafana" / "revenge.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {_base(name) for name in METRIC.findall(text + "\n".join(exprs))}
    docs = documented()
    missing = {name for name in used if name not in docs and name.removesuffix("_total") not in docs}
    assert missing == set()
    assert dashboard["uid"] == "revenge" and len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])


def test_every_revenge_metric_the_web_process_serves_is_documented(client, db):
    served = {_base(name) for name in METRIC.findall(client.get("/metrics").content.decode()) if "revenge_" in name}
    served = {name for name in served if not name.startswith("revenge_test_")}
    docs = documented()
    assert {name for name in served if name not in docs and name.removesuffix("_total") not in docs} == set()
