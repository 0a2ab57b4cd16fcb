"""API request cost: real gunicorn (gunicorn.conf.py, the Procfile's settings) driven by wrk, cache on and off.

Run: .venv/bin/python bench/api.py [--items 100000] [--seconds 8] [--concurrency 1,8,32]
     .venv/bin/python bench/api.py --items 2000 --profile [--pyinstrument DIR]   # in-process CPU per request

Needs PostgreSQL on 127.0.0.1 (DATABASE_URL's server; a `revenge_bench_api` database is made and dropped), Redis
(REDIS_URL, default redis://127.0.0.1:6379/14, cleared at start) and wrk. A plain member with a per-library grant
and a parental limit of 16 asks with `Authorization: Token …`. Endpoints: home rows (recently added, 20), a 50-item
list page, a movie's detail, search, continue watching, an image (cached resize), and /healthz as the ceiling.
"Uncached" runs the same server with Django's dummy cache (bench/bench_settings.py): every cache read misses.
Targets at concurrency 8: uncached detail >= 400 req/s, list >= 150 req/s; cached detail and rows >= 60 % of
/healthz with p99 <= 10 ms; search p99 <= 30 ms; at concurrency 32 no p99 above 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import apiseed
import benchdb

DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
benchdb.BENCH_DB = f"revenge_bench_api_{os.getpid()}"  # two runs side by side never share one
ROOT = Path(__file__).resolve().parents[1]
# wrk prints one JSON line at the end: requests, seconds, errors and the latency percentiles (µs).
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "us": %d, "errors": %d, "p50": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def endpoints(seeded: apiseed.Seeded) -> dict[str, str]:
    return {
        "healthz": "/healthz",
        "floor": "/bench/floor/",  # a signed-in API request that reads nothing: what the framework costs
        "rows": "/api/v1/movies/?ordering=-added_at&page_size=20",
        "list": "/api/v1/movies/?page_size=50&page=3",
        "detail": f"/api/v1/movies/{seeded.movie_id}/",
        "search": "/api/v1/search/?q=golden%20harbor&kind=movie",
        "continue": "/api/v1/playback/continue-watching/",
        "image": seeded.image_path,
    }


# "Cold" endpoints ask for a different item or page each time, from a sample of thousands: the answer is computed,
# not read from the cache, while what every request of the user shares (token, rights, limits) stays cached, as in
# a browsing session. "Uncached" (the dummy cache) drops even those: the cost of a request with nothing kept.
COLD_LUA = """
local choices = {%s}
math.randomseed(%d)
request = function()
  return wrk.format(nil, string.format("%s", choices[math.random(#choices)]))
end
"""


def cold_endpoints(seeded: apiseed.Seeded) -> dict[str, tuple[str, str]]:
    """name -> (a first path to warm with, the Lua that asks for a new item or page each time)."""
    ids = seeded.visible_ids
    pages = list(range(1, seeded.pages + 1))
    return {
        "detail-cold": (
            f"/api/v1/movies/{ids[0]}/",
            COLD_LUA % (",".join(map(str, ids)), os.getpid(), "/api/v1/movies/%d/"),
        ),
        "list-cold": (
            "/api/v1/movies/?page_size=50&page=1",
            COLD_LUA % (",".join(map(str, pages)), os.getpid(), "/api/v1/movies/?page_size=50&page=%d"),
        ),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_start(*, port: int, cache: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "REVENGE_PORT": str(port),
        "REVENGE_BIND": "127.0.0.1",
        "REVENGE_SHUTDOWN_DRAIN_SECONDS": "0",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "REVENGE_BENCH_CACHE": "on" if cache else "off",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def warm(port: int, path: str, token: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Token {token}"})
    for _ in range(5):
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - our own http:// server
            status = answer.status
            answer.read()
    return status


def wrk(*, port: int, path: str, token: str, connections: int, seconds: int, lua: Path) -> dict:
    threads = min(connections, 2)
    out = subprocess.run(
        [
            *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua)),
            *("-H", f"Authorization: Token {token}", "-H", "Accept: image/webp,*/*", f"http://127.0.0.1:{port}{path}"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["us"] / 1e6)
    return result


def serve_and_measure(args, seeded: apiseed.Seeded) -> None:
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(WRK_LUA)
    results: dict[tuple[str, str, int], dict] = {}
    scripts = {}
    paths = dict(endpoints(seeded))
    for name, (path, script) in cold_endpoints(seeded).items():
        scripts[name] = Path(tempfile.mkstemp(suffix=".lua")[1])
        scripts[name].write_text(script + WRK_LUA)
        paths[name] = path
    for cache in (True, False):
        port = free_port()
        proc = gunicorn_start(port=port, cache=cache)
        mode = "cached" if cache else "uncached"
        try:
            for name, path in paths.items():
                if not cache and (name == "healthz" or name in scripts):
                    continue
                if args.only and (name not in args.only or mode not in args.modes):
                    continue
                try:
                    assert warm(port, path, seeded.token) == 200, (name, path)
                except (OSError, AssertionError) as exc:
                    print(f"  {mode:8} {name:9} skipped: {exc!r}", flush=True)
                    continue
                for c in args.concurrency:
                    script = scripts.get(name, lua)
                    results[(mode, name, c)] = r = wrk(
                        port=port, path=path, token=seeded.token, connections=c, seconds=args.seconds, lua=script
                    )
                    print(
                        f"  {mode:8} {name:9} c={c:<3} {r['rps']:8.0f} req/s  p50 {r['p50'] / 1000:7.2f} ms"
                        f"  p99 {r['p99'] / 1000:7.2f} ms  errors {r['errors']}",
                        flush=True,
                    )
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=60)
    report(results, args.concurrency)


def report(results: dict, concurrency: list[int]) -> None:
    def get(mode, name, c):
        return results.get((mode, name, c))

    print("\nSummary (wall-clock, on a shared machine):")
    c = 8 if 8 in concurrency else concurrency[0]
    ceiling = get("cached", "healthz", c)
    for name in ("floor", "rows", "list", "detail", "search", "continue", "image"):
        on, off = get("cached", name, c), get("uncached", name, c)
        if not on or not off:
            continue
        share = f"{on['rps'] / ceiling['rps']:.0%} of /healthz" if ceiling else ""
        print(
            f"  {name:9} c={c}: cached {on['rps']:6.0f} req/s p99 {on['p99'] / 1000:6.1f} ms ({share}); "
            f"uncached {off['rps']:6.0f} req/s p99 {off['p99'] / 1000:6.1f} ms"
        )
    for name in ("detail-cold", "list-cold"):
        if cold := get("cached", name, c):
            print(
                f"  {name:11} c={c}: {cold['rps']:6.0f} req/s p99 {cold['p99'] / 1000:6.1f} ms "
                "(a new item or page each request; the user's rights cached)"
            )
    if ceiling:
        print(f"  /healthz c={c}: {ceiling['rps']:.0f} req/s (the framework's ceiling here)")
    worst = max((r["p99"], key) for key, r in results.items() if key[2] == max(concurrency))
    print(f"  worst p99 at c={max(concurrency)}: {worst[0] / 1000:.1f} ms ({worst[1][0]} {worst[1][1]}; target < 1 s)")


def profile_in_process(args, seeded: apiseed.Seeded) -> None:
    """CPU ms, queries and Redis commands per request through Django's handler, no server: what Python costs."""
    import redis.connection
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    commands = [0]
    send = redis.connection.AbstractConnection.send_command

    def counting(self, *a, **kw):
        commands[0] += 1
        if os.environ.get("BENCH_REDIS_TRACE"):
            print("   redis", a[0], str(a[1])[:70] if len(a) > 1 else "")
        return send(self, *a, **kw)

    redis.connection.AbstractConnection.send_command = counting
    client = Client(HTTP_AUTHORIZATION=f"Token {seeded.token}", HTTP_ACCEPT="image/webp,*/*")
    print(f"\nin-process, {args.requests} requests each (CPU = time.process_time of this process)")
    ids, pages = seeded.visible_ids, seeded.pages
    asked = {name: (lambda i, path=path: path) for name, path in endpoints(seeded).items()}
    asked["detail-cold"] = lambda i: f"/api/v1/movies/{ids[i % len(ids)]}/"
    asked["list-cold"] = lambda i: f"/api/v1/movies/?page_size=50&page={i % pages + 1}"
    for name, path_of in asked.items():
        if args.only and name not in args.only:
            continue
        for i in range(10):
            assert client.get(path_of(i)).status_code == 200, (name, path_of(i))
        commands[0] = 0
        with CaptureQueriesContext(connection) as ctx:
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(10, 10 + args.requests):
                response = client.get(path_of(i))
                if response.streaming:
                    b"".join(response.streaming_content)
                response.close()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        n = args.requests
        print(
            f"  {name:11} CPU {cpu * 1000 / n:6.2f} ms  wall {wall * 1000 / n:6.2f} ms  "
            f"queries {len(ctx.captured_queries) / n:4.1f}  redis {commands[0] / n:4.1f}"
        )
        if args.pyinstrument:
            # cProfile timed by process_time: CPU only, so the other processes on the machine do not show.
            import cProfile
            import pstats

            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for i in range(10 + args.requests, 10 + 2 * args.requests):
                client.get(path_of(i)).close()
            profiler.disable()
            Path(args.pyinstrument).mkdir(parents=True, exist_ok=True)
            with Path(args.pyinstrument, f"{name}.txt").open("w") as out:
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(90)
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per endpoint and concurrency")
    parser.add_argument("--concurrency", type=lambda v: [int(c) for c in v.split(",")], default=[1, 8, 32])
    parser.add_argument("--profile", action="store_true", help="in-process CPU per request instead of wrk")
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint with --profile")
    parser.add_argument("--only", type=lambda v: v.split(","), help="these endpoints only")
    parser.add_argument(
        "--modes", type=lambda v: v.split(","), default=["cached", "uncached"], help="with --only: cached,uncached"
    )
    parser.add_argument("--pyinstrument", metavar="DIR", help="with --profile: write a CPU profile per endpoint here")
    args = parser.parse_args()
    redis_default = not os.environ.get("REDIS_URL")
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ.setdefault("REVENGE_BENCH_CACHE_PREFIX", f"bench-api-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="revenge-bench-api-") as scratch:
        os.environ["REVENGE_DATA_DIR"] = str(Path(scratch) / "data")
        # The server's worker processes must find the same secret key and data dir as this process.
        with benchdb.bench_database(REVENGE_RATE_LIMIT="1000000/min"):
            from django.core.cache import cache

            if redis_default:
                cache.clear()
            start = time.perf_counter()
            seeded = apiseed.seed(scratch=Path(scratch), items=args.items)
            from django.db import connection

            with connection.cursor() as cursor:
                # Planner statistics and the visibility map (index-only counts), as autovacuum makes them after a scan.
                cursor.execute("VACUUM ANALYZE")
            print(f"seeded {args.items:,} movies in {time.perf_counter() - start:.0f} s")
            if args.profile:
                profile_in_process(args, seeded)
            else:
                serve_and_measure(args, seeded)


if __name__ == "__main__":
    main()
