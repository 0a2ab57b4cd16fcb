"""Scan benchmark: the whole `manage.py scan_library` command, on SQLite and PostgreSQL, against same-run baselines.

Run: .venv/bin/python bench/scan.py [--files 2000] [--rescan-files 100000] [--backends sqlite,postgres]

Measured, each as a subprocess the way an operator runs it:
- the first scan of `--files` small H.264/AAC files (half .mkv, half .mp4), whole command, files/s;
- the same files with `ffprobe` per file (a sample, same run) and with minidlna when installed
  (`apt-get install -y minidlna`; run under `unshare -n` with loopback up, as it needs an interface);
- start-up: a trivial management command (`version`) and `scan_library` with nothing to scan;
- unchanged rescans of `--rescan-files` files (hard links of a few clips, rows as a finished scan leaves them):
  one that stats every file, then one that lists no folder whose times are unchanged;
- peak RSS of each scan_library process, to show memory stays flat in library size.
PostgreSQL: DATABASE_URL's server (database NAME_bench is created and dropped), with REDIS_URL when set.
CPU seconds (the command and the processes it waited for) are printed beside wall time: on a shared machine
they move less than wall time does.
SQLite: a fresh data dir with the file-based cache, as an install without Redis runs.
The project's bytecode is compiled first, as the container image does when it is built and as any run without
PYTHONDONTWRITEBYTECODE leaves it: without it each command compiled every module of ours it imported (the
commands here run with PYTHONDONTWRITEBYTECODE, so they write nothing themselves).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv/bin/python") if (ROOT / ".venv/bin/python").exists() else sys.executable
MANAGE = str(ROOT / "manage.py")
TARGET_RATE = 1000


def make_base_clips(folder: Path) -> list[Path]:
    """Two tiny H.264/AAC clips, Matroska and MP4, encoded once."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")
    from apps.core.testing.media import make_clip

    return [make_clip(folder / "base.mkv"), make_clip(folder / "base.mp4")]


def make_corpus(folder: Path, count: int, bases: list[Path]) -> list[Path]:
    """`count` movies in folders of their own, alternating mkv and mp4; each copy differs in size (trailing bytes
    on mkv, which the demuxer skips) and name."""
    rng = random.Random(0)  # noqa: S311 -- reproducible filler, not secrets
    paths = []
    for i in range(count):
        base = bases[i % len(bases)]
        name = f"Bench Movie {i:05d} ({1950 + i % 70})"
        target = folder / name / f"{name}{base.suffix}"
        target.parent.mkdir(parents=True)
        shutil.copyfile(base, target)
        if base.suffix == ".mkv":
            with target.open("ab") as fh:
                fh.write(rng.randbytes(rng.randint(1, 2048)))
        paths.append(target)
    return paths


def make_links(folder: Path, count: int, clips: list[Path]) -> None:
    """`count` hard links of a few clips (one inode takes at most 65,000 links), ten per movie folder."""
    for i in range(count):
        movie, version = divmod(i, 10)
        name = f"Movie {movie:05d} ({1950 + movie % 70})"
        if version == 0:
            (folder / name).mkdir()
        os.link(clips[i % len(clips)], folder / name / f"{name} - v{version}.mkv")


class Backend:
    """One database (+ cache) the commands run against, and the environment that selects it."""

    def __init__(self, name: str, scratch: Path) -> None:
        self.name = name
        self.data_dir = scratch / f"data-{name}"
        self.data_dir.mkdir()
        self.env = {**os.environ, "REVENGE_DATA_DIR": str(self.data_dir), "PYTHONDONTWRITEBYTECODE": "1"}
        self.env.setdefault("REVENGE_SECRET_KEY", secrets.token_urlsafe(50))
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        if name == "sqlite":
            self.env.pop("DATABASE_URL", None)
            self.env.pop("REDIS_URL", None)
            self.server_url = None
        else:
            self.server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/revenge")
            self.database = self.server_url.rsplit("/", 1)[1] + "_bench"
            self.env["DATABASE_URL"] = self.server_url.rsplit("/", 1)[0] + "/" + self.database

    def _postgres(self, *, create: bool) -> None:
        import psycopg

        admin = self.server_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
            if create:
                conn.execute(f"CREATE DATABASE {self.database}")

    def reset(self) -> None:
        if self.server_url:
            self._postgres(create=True)
        else:
            for leftover in self.data_dir.iterdir():
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        self.manage("migrate", "--verbosity", "0")

    def drop(self) -> None:
        if self.server_url:
            self._postgres(create=False)

    def manage(self, *args: str) -> tuple[float, int, str]:
        """Run a management command; (wall seconds, 0, stdout). Raises when it fails."""
        start = time.perf_counter()
        proc = subprocess.Popen(
            [PYTHON, MANAGE, *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out, err = proc.communicate()
        elapsed = time.perf_counter() - start
        if proc.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{out}\n{err}")
        return elapsed, 0, out

    def measured(self, *args: str) -> tuple[float, int, str]:
        """Like manage(), with the child's peak RSS from wait4(); its CPU seconds go to self.cpu."""
        with tempfile.TemporaryFile(mode="w+") as out_file:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [PYTHON, MANAGE, *args], cwd=ROOT, env=self.env, stdout=out_file, stderr=subprocess.DEVNULL
            )
            _pid, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            self.cpu = usage.ru_utime + usage.ru_stime
            out_file.seek(0)
            out = out_file.read()
        if proc.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{out}")
        return elapsed, usage.ru_maxrss * 1024, out

    def insert_rows(self, folder: Path, library: str) -> None:
        """Rows for every file under `folder`, as a finished scan leaves them, without reading the files."""
        code = (
            "import os\n"
            "from apps.libraries.models import Library\n"
            "from apps.media.models import MediaFile\n"
            f"library = Library.objects.get(name={library!r})\n"
            "rows = []\n"
            f"for dirpath, _dirs, names in os.walk({str(folder)!r}):\n"
            "    for name in names:\n"
            "        path = os.path.join(dirpath, name)\n"
            "        st = os.stat(path)\n"
            "        rows.append(MediaFile(library=library, path=path, size=st.st_size, mtime_ns=st.st_mtime_ns,\n"
            "            device=st.st_dev, inode=st.st_ino, probe_status='ok'))\n"
            "MediaFile.objects.bulk_create(rows, batch_size=5000)\n"
        )
        self.manage("shell", "-c", code)


def scan_seconds(output: str) -> float | None:
    """The scan's own duration, as the command reports it."""
    found = re.search(r"completed in ([0-9.]+) s", output)
    return float(found.group(1)) if found else None


def bench_startup(backend: Backend, runs: int = 5) -> None:
    version = min(backend.manage("version")[0] for _ in range(runs))
    empty, cpu = min((backend.measured("scan_library")[0], backend.cpu) for _ in range(runs))
    print(f"{backend.name:8}  start-up: `version`               {version:6.2f} s  (target <= 0.7 s; best of {runs})")
    print(f"{backend.name:8}  start-up: scan_library, no work   {empty:6.2f} s  (CPU {cpu:.2f} s)")


def bench_first_scan(backend: Backend, folder: Path, count: int) -> float:
    backend.manage("add_library", "bench", str(folder), "--kind", "movies", "--no-watch")
    elapsed, rss, out = backend.measured("scan_library", "bench")
    assert f"added {count}," in out and "errors 0" in out, out
    rate = count / elapsed
    inner = scan_seconds(out)
    print(
        f"{backend.name:8}  scan_library, {count} new files    {elapsed:6.2f} s = {rate:6.0f} files/s "
        f"(target >= {TARGET_RATE}; scan itself {inner} s; CPU {backend.cpu:.2f} s; peak RSS {rss / 2**20:.0f} MiB)"
    )
    elapsed_again, _rss, out = backend.measured("scan_library", "bench")
    assert f"unchanged {count}," in out, out
    print(f"{backend.name:8}  scan_library, {count} unchanged    {elapsed_again:6.2f} s")
    return rate


def bench_rescan(backend: Backend, folder: Path, count: int) -> None:
    """Two unchanged rescans: the first stats every file (as a library's first walk, and the daily verification,
    do), the second lists no folder whose times are unchanged (walker.SETTLED_NS: they must be older than 5 s)."""
    backend.manage("add_library", "rescan", str(folder), "--kind", "movies", "--no-watch")
    backend.insert_rows(folder, "rescan")
    settled = max(os.stat(path).st_ctime for path in (folder, *folder.iterdir())) + 5.5
    time.sleep(max(0.0, settled - time.time()))
    for label, target in (("every file stat'ed ", ""), ("folder times trusted", "; target <= 1.0 s")):
        elapsed, rss, out = backend.measured("scan_library", "rescan")
        assert f"unchanged {count}," in out, out
        print(
            f"{backend.name:8}  scan_library, {count} unchanged, {label} {elapsed:6.2f} s  (scan itself "
            f"{scan_seconds(out)} s; CPU {backend.cpu:.2f} s; peak RSS {rss / 2**20:.0f} MiB{target})"
        )


def bench_walk(folder: Path) -> float:
    """Baseline for the rescan: os.scandir + stat of every file, in this process."""
    start = time.perf_counter()
    stack, found = [str(folder)], 0
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    stack.append(entry.path)
                else:
                    entry.stat()
                    found += 1
    elapsed = time.perf_counter() - start
    print(f"baseline  os.scandir + stat, {found} files  {elapsed:6.2f} s")
    return elapsed


def bench_ffprobe(files: list[Path], sample: int) -> float | None:
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        print("baseline  ffprobe per file: not installed (apt-get install -y ffmpeg)")
        return None
    chosen = files[:: max(1, len(files) // sample)][:sample]
    start = time.perf_counter()
    for path in chosen:
        subprocess.run(
            [ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
            check=True,
            capture_output=True,
        )
    rate = len(chosen) / (time.perf_counter() - start)
    print(f"baseline  ffprobe per file ({len(chosen)} of {len(files)})      {rate:6.0f} files/s")
    return rate


MINIDLNA_CONF = """media_dir=V,{media}
db_dir={db}
log_dir={log}
log_level=general,artwork,database,inotify,scanner,metadata,http,ssdp,tivo=info
port=18200
inotify=no
network_interface=lo
"""


def bench_minidlna(folder: Path, scratch: Path, count: int) -> float | None:
    minidlnad = shutil.which("minidlnad") or ("/usr/sbin/minidlnad" if Path("/usr/sbin/minidlnad").exists() else None)
    unshare = shutil.which("unshare")
    if not minidlnad or not unshare:
        print("baseline  minidlna: not available (apt-get install -y minidlna; needs unshare)")
        return None
    work = scratch / "minidlna"
    (work / "db").mkdir(parents=True)
    conf = work / "minidlna.conf"
    conf.write_text(MINIDLNA_CONF.format(media=folder, db=work / "db", log=work))
    log = work / "minidlna.log"
    # A network namespace of its own (no SSDP on the real network); minidlna refuses to start without an
    # interface with an IPv4 address, and the kernel here may lack the dummy link type, so loopback gets one.
    script = f"ip link set lo up && ip addr add 10.254.0.1/24 dev lo && exec {minidlnad} -S -R -f {conf} -P {work}/pid"
    start = time.perf_counter()
    proc = subprocess.Popen([unshare, "-n", "sh", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = start + 300
        while time.perf_counter() < deadline and proc.poll() is None:
            text = log.read_text(errors="replace") if log.exists() else ""
            if "Scanning" in text and "finished" in text:
                break
            time.sleep(0.02)
        else:
            print(f"baseline  minidlna: did not finish (exit {proc.returncode}); see {log}")
            return None
    finally:
        proc.terminate()
        proc.wait(10)
    elapsed = time.perf_counter() - start
    found = re.search(r"finished \((\d+) files\)", log.read_text(errors="replace"))
    files = int(found.group(1)) if found else count
    rate = files / elapsed
    print(f"baseline  minidlna (C, libav), {files} files    {elapsed:6.2f} s = {rate:6.0f} files/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rescan-files", type=int, default=100_000)
    parser.add_argument("--ffprobe-files", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--skip", default="", help="comma-separated: startup,first,rescan,ffprobe,minidlna")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    subprocess.run([PYTHON, "-m", "compileall", "-q", "apps", "revenge", "manage.py"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory(prefix="revenge-bench-") as scratch_name:
        scratch = Path(scratch_name)
        (scratch / "clips").mkdir()
        bases = make_base_clips(scratch / "clips")
        corpus = scratch / "corpus"
        files = make_corpus(corpus, args.files, bases)
        print(f"corpus    {len(files)} files, H.264/AAC, mkv + mp4, {os.cpu_count()} cores")
        many = scratch / "many"
        if "rescan" not in skip:
            many.mkdir()
            make_links(many, args.rescan_files, sorted(corpus.rglob("*.mkv"))[:10])
            bench_walk(many)
        for name in args.backends.split(","):
            backend = Backend(name, scratch)
            try:
                backend.reset()
                if "startup" not in skip:
                    bench_startup(backend)
                if "first" not in skip:
                    # The baselines right before each scan: on a shared machine the load changes within minutes.
                    ffprobe_rate = None if "ffprobe" in skip else bench_ffprobe(files, args.ffprobe_files)
                    minidlna_rate = None if "minidlna" in skip else bench_minidlna(corpus, scratch / name, len(files))
                    rate = bench_first_scan(backend, corpus, args.files)
                    for label, theirs in (("ffprobe per file", ffprobe_rate), ("minidlna", minidlna_rate)):
                        if theirs:
                            print(f"{name:8}  ratio to {label:16}     {rate / theirs:6.2f}x")
                if "rescan" not in skip:
                    bench_rescan(backend, many, args.rescan_files)
            finally:
                backend.drop()


if __name__ == "__main__":
    main()
