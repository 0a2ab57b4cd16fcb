"""Notification benchmark: events per second from emit to delivered at a local receiver, and p95 latency.

Run: .venv/bin/python bench/notify.py [--rate 50] [--seconds 20] [--burst 1000] [--concurrency 2]
Needs PostgreSQL on 127.0.0.1 (DATABASE_URL overrides; a `revenge_bench` database is created and dropped)
and Redis (REDIS_URL, default redis://127.0.0.1:6379/14, whose notification queues are emptied at start).
A real Celery worker with two processes (`--concurrency`, as REVENGE_WORKER_CONCURRENCY) consumes
`celery,notifications`; a signed-webhook agent sends to an HTTP receiver on 127.0.0.1 that verifies every
signature. Events are emitted here, as a web process would, at `--rate` per second for `--seconds`, then
`--burst` at once to find the most the workers drain. Latency is emit → verified arrival at the receiver.
The baseline, in the same run: the same webhook POSTed straight to the receiver, one after another.
Target: p95 <= 2 s at 50 events/s, zero loss.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from benchdb import ROOT, bench_database

DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
SECRET = "bench-signing-secret-0123456789"  # noqa: S105 - the bench's own receiver checks it
EVENT = "request.available"  # no other subscriber: only the notification pipeline is measured
TARGET_P95 = 2.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Receiver:
    """Counts verified deliveries by idempotency key and keeps each one's arrival time."""

    def __init__(self) -> None:
        self.arrivals: dict[str, tuple[float, float]] = {}  # key -> (sent_at, arrived_at)
        self.copies: Counter = Counter()
        self.bad = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                arrived = time.time()
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                ok = hmac.compare_digest(expected, self.headers.get("X-Revenge-Signature", ""))
                with receiver.lock:
                    if not ok:
                        receiver.bad += 1
                    else:
                        key = self.headers["X-Revenge-Delivery"]
                        receiver.copies[key] += 1
                        sent = json.loads(body)["payload"].get("sent_at", arrived)
                        receiver.arrivals.setdefault(key, (sent, arrived))
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.arrivals.clear()
            self.copies.clear()

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)


def start_worker(concurrency: int, data_dir: str) -> subprocess.Popen:
    env = {**os.environ, "REVENGE_DATA_DIR": data_dir}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "celery", "-A", "revenge", "worker", "-Q", "celery,notifications"]
    command += [f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_for_worker(app, deadline: float) -> None:
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
    raise SystemExit("the worker did not come up")


def emit_paced(count: int, rate: float, first: int) -> float:
    """Emit `count` events at `rate` per second; returns the seconds it took."""
    from apps.core import events

    started = time.monotonic()
    for i in range(count):
        due = started + i / rate if rate else started
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        events.emit(
            EVENT, request_id=first + i, title="Bench", media_kind="movie", requester_id=None, sent_at=time.time()
        )
    return time.monotonic() - started


def drain(receiver: Receiver, expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while receiver.count() < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # a second copy of anything would arrive now


def report(label: str, receiver: Receiver, expected: int, seconds: float) -> list[float]:
    with receiver.lock:
        latencies = [arrived - sent for sent, arrived in receiver.arrivals.values()]
        copies = sum(n - 1 for n in receiver.copies.values())
        last = max((arrived for _, arrived in receiver.arrivals.values()), default=0.0)
        first = min((sent for sent, _ in receiver.arrivals.values()), default=0.0)
    delivered = len(latencies)
    print(f"{label:9s} emitted                {expected:8d}  in {seconds:.1f} s ({expected / seconds:.0f}/s)")
    print(f"{label:9s} delivered              {delivered:8d}  lost {expected - delivered}, duplicates {copies}")
    if latencies:
        print(f"{label:9s} delivered per second   {delivered / max(last - first, 1e-9):8.1f}")
        print(f"{label:9s} latency p50            {statistics.median(latencies):8.3f} s")
        print(f"{label:9s} latency p95            {percentile(latencies, 0.95):8.3f} s")
        print(f"{label:9s} latency max            {max(latencies):8.3f} s")
    return latencies


def run(rate: float, seconds: float, burst: int, concurrency: int) -> None:
    from apps.notifications import senders, services
    from apps.notifications.messages import Message
    from revenge.celery import app

    with app.connection_for_write() as connection:
        for queue in ("celery", "notifications"):
            connection.default_channel.queue_declare(queue=queue, durable=True, auto_delete=False)
            connection.default_channel.queue_purge(queue)
    receiver = Receiver()
    agent = services.agent_create(name="bench", kind="webhook", url=receiver.url, secret=SECRET, events=[EVENT])
    data_dir = tempfile.mkdtemp(prefix="revenge-bench-notify-")
    worker = start_worker(concurrency, data_dir)
    try:
        wait_for_worker(app, time.monotonic() + 60)
        emit_paced(20, 0, first=-100)  # warm-up: connections, imports, the routing snapshot
        drain(receiver, 20, 30)
        receiver.reset()

        # Baseline: the same signed webhook POSTed straight to the receiver, one after another.
        direct = []
        for i in range(200):
            envelope = senders.Envelope(key=f"direct.{i}", event=EVENT, payload={"sent_at": time.time()})
            started = time.monotonic()
            senders.send(agent, message=Message(title="t", body="b"), envelope=envelope)
            direct.append(time.monotonic() - started)
        receiver.reset()
        print(f"baseline  direct POST p50        {statistics.median(direct):8.4f} s")
        print(
            f"baseline  direct POST p95        {percentile(direct, 0.95):8.4f} s  ({1 / statistics.mean(direct):.0f}/s)"
        )

        count = int(rate * seconds)
        took = emit_paced(count, rate, first=0)
        drain(receiver, count, 120)
        paced = report("paced", receiver, count, took)
        receiver.reset()

        took = emit_paced(burst, 0, first=count)
        drain(receiver, burst, 300)
        report("burst", receiver, burst, took)

        if paced:
            p95 = percentile(paced, 0.95)
            verdict = "met" if p95 <= TARGET_P95 and len(paced) == count else "MISSED"
            print(f"target    p95 <= {TARGET_P95:.0f} s at {rate:.0f}/s, no loss: {verdict}")
            print(f"ratio     pipeline p95 / POST p95 {p95 / percentile(direct, 0.95):8.0f}x")
        print(f"bad signatures                   {receiver.bad:8d}")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        receiver.server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    with bench_database():
        run(args.rate, args.seconds, args.burst, args.concurrency)


if __name__ == "__main__":
    main()
