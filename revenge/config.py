"""Typed parsing of the environment; problems are collected, not raised, so system checks report them."""

from __future__ import annotations

import contextlib
import os
import secrets
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


@dataclass
class ConfigProblem:
    """One misconfiguration: the check id and a one-line message."""

    id: str
    message: str


@dataclass
class Env:
    """Reads variables from a mapping and remembers every problem it met."""

    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    problems: list[ConfigProblem] = field(default_factory=list)

    def problem(self, check_id: str, message: str) -> None:
        self.problems.append(ConfigProblem(check_id, message))

    def str(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default).strip()

    def bool(self, name: str, default: bool = False) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.problem("revenge.E010", f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")
        return default

    def int(self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            self.problem("revenge.E011", f"{name}={raw!r} is not a whole number.")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.problem("revenge.E011", f"{name}={value} is outside {minimum}..{maximum}.")
            return default
        return value

    def float(self, name: str, default: float, *, minimum: float | None = None) -> float:
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            value = float(raw.strip())
        except ValueError:
            self.problem("revenge.E011", f"{name}={raw!r} is not a number.")
            return default
        if value != value or (minimum is not None and value < minimum):  # NaN, or below the minimum
            self.problem("revenge.E011", f"{name}={raw.strip()} is below {minimum}.")
            return default
        return value

    def list(self, name: str, default: list[str]) -> list[str]:
        raw = self.environ.get(name)
        if raw is None:
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]


def database_config(env: Env, *, data_dir: Path) -> tuple[dict, bool]:
    """Return (Django DATABASES['default'], embedded?) from DATABASE_URL."""
    embedded = {
        "ENGINE": "django_prometheus.db.backends.sqlite3",
        "NAME": str(data_dir / "revenge.sqlite3"),
        "OPTIONS": {
            # WAL and IMMEDIATE let web, worker and beat share one file without "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
    url = env.str("DATABASE_URL")
    if not url:
        return embedded, True
    try:
        parsed = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # the library raises several kinds for bad input
        env.problem("revenge.E001", f"DATABASE_URL is not a valid database URL: {exc}")
        return embedded, True
    engine = parsed.get("ENGINE", "")
    if engine == "django.db.backends.postgresql":
        if not parsed.get("NAME"):
            env.problem("revenge.E001", "DATABASE_URL names no database (postgres://user@host:5432/NAME).")
            return embedded, True
        parsed["ENGINE"] = "django_prometheus.db.backends.postgresql"
        parsed.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        return parsed, False
    if engine == "django.db.backends.sqlite3":
        parsed["ENGINE"] = "django_prometheus.db.backends.sqlite3"
        parsed["OPTIONS"] = embedded["OPTIONS"]
        parsed["CONN_MAX_AGE"] = 0
        return parsed, True
    scheme = urlsplit(url).scheme or "(none)"
    env.problem("revenge.E001", f"DATABASE_URL scheme {scheme!r} is not supported; use postgres:// or sqlite://.")
    return embedded, True


def redis_url(env: Env) -> str:
    """Return REDIS_URL when set and well formed, else an empty string."""
    url = env.str("REDIS_URL")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"} or not (parts.hostname or parts.path):
        env.problem("revenge.E002", f"REDIS_URL {url!r} is not a redis://host:port/db URL.")
        return ""
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        env.problem("revenge.E002", f"REDIS_URL {url!r} has an invalid port.")
        return ""
    return url


def networks(env: Env, name: str, default: list[str]) -> list:
    """A comma-separated list of CIDRs (IPv4 or IPv6); a bad entry is reported and skipped."""
    import ipaddress

    found = []
    for item in env.list(name, default):
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            env.problem("revenge.E012", f"{name}: {item!r} is not an IP address or CIDR network.")
    return found


def folders(env: Env, name: str) -> list[str]:
    """A comma-separated list of absolute folders, normalised; a relative entry is reported and skipped."""
    found = []
    for item in env.list(name, []):
        if not os.path.isabs(item) or "\x00" in item:
            env.problem("revenge.E141", f"{name}: {item!r} is not an absolute folder path.")
            continue
        found.append(os.path.normpath(item))
    return found


def metrics_token(env: Env) -> str:
    """REVENGE_METRICS_TOKEN: a bearer token for Prometheus; too short to resist guessing is a problem."""
    token = env.str("REVENGE_METRICS_TOKEN")
    if token and (len(token) < 16 or any(ch.isspace() for ch in token)):
        env.problem("revenge.E040", "REVENGE_METRICS_TOKEN must be at least 16 characters, without spaces.")
        return ""
    return token


def lockout_trusted_networks(env: Env) -> list:
    """REVENGE_LOCKOUT_TRUSTED_NETWORKS: where a username is locked per username+IP; never every address."""
    found = networks(env, "REVENGE_LOCKOUT_TRUSTED_NETWORKS", [])
    if any(network.prefixlen == 0 for network in found):
        env.problem("revenge.E041", "REVENGE_LOCKOUT_TRUSTED_NETWORKS may not hold every address (a /0 network).")
        return [network for network in found if network.prefixlen]
    return found


LOCKOUT_PARAMETERS = {"username": "username", "ip": "ip_address", "username+ip": ["username", "ip_address"]}


def lockout_parameters(env: Env) -> list:
    """REVENGE_LOCKOUT_BY: what failed logins are counted against (username, ip, username+ip), as axes wants it."""
    found = []
    for item in env.list("REVENGE_LOCKOUT_BY", ["username", "ip"]):
        if item not in LOCKOUT_PARAMETERS:
            env.problem("revenge.E013", f"REVENGE_LOCKOUT_BY: {item!r} is not one of username, ip, username+ip.")
            continue
        found.append(LOCKOUT_PARAMETERS[item])
    return found or ["username", "ip_address"]


def time_zone(env: Env) -> str:
    name = env.str("REVENGE_TIME_ZONE", "UTC") or "UTC"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        env.problem("revenge.E004", f"REVENGE_TIME_ZONE={name!r} is not a known time zone (e.g. Europe/Berlin).")
        return "UTC"
    return name


PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700


def private_folder(path: Path) -> Path:
    """Create `path` and any missing parent as 0700: only the server's own user may look inside."""
    missing = []
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            folder.mkdir(mode=PRIVATE_FOLDER)
    return Path(path)


def private_database(database: dict) -> None:
    """Create the SQLite file 0600 before SQLite does (its -wal and -shm take the same mode); tighten old ones."""
    name = str(database.get("NAME") or "")
    if "sqlite" not in database.get("ENGINE", "") or not name or name == ":memory:" or name.startswith("file:"):
        return
    try:
        private_folder(Path(name).parent)
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    except OSError:
        return  # a read-only or foreign data folder: Django reports the database error itself
    for path in (name, f"{name}-wal", f"{name}-shm"):
        _tighten(Path(path))


def _tighten(path: Path) -> None:
    """Files written by older versions took the umask's mode; a file we cannot change (a mounted secret) is left."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE)
    except OSError:
        pass


def secret_key(env: Env, *, data_dir: Path, embedded: bool) -> str:
    """The secret key from the environment; on the embedded default, generated once into the data dir."""
    key = env.str("REVENGE_SECRET_KEY")
    if key:
        if len(key) < 32:
            env.problem("revenge.E003", "REVENGE_SECRET_KEY is shorter than 32 characters.")
        return key
    if not embedded:
        env.problem("revenge.E003", "REVENGE_SECRET_KEY is required when DATABASE_URL points at a server.")
        # A throwaway key keeps Django importable so the check can report the problem.
        return secrets.token_urlsafe(50)
    key_file = data_dir / "secret_key"
    try:
        if key_file.exists():
            _tighten(key_file)
            return key_file.read_text().strip()
        private_folder(data_dir)
        key = secrets.token_urlsafe(50)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key
    except FileExistsError:  # another process wrote it first
        return key_file.read_text().strip()
    except OSError as exc:
        env.problem("revenge.E005", f"cannot keep the secret key in {key_file}: {exc.strerror}.")
        return secrets.token_urlsafe(50)


def secret_key_fallbacks(env: Env) -> list[str]:
    """REVENGE_SECRET_KEY_FALLBACKS: former keys, comma-separated, still accepted to read what they protected."""
    keys = env.list("REVENGE_SECRET_KEY_FALLBACKS", [])
    if any(len(key) < 32 for key in keys):
        env.problem("revenge.E003", "REVENGE_SECRET_KEY_FALLBACKS holds a key shorter than 32 characters.")
    return keys
