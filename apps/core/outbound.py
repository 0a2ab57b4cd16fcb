"""The outbound-URL guard: every URL a person or operator gives is resolved, checked and pinned here.

A target on the server's own network (loopback, private, link-local, carrier-grade NAT, reserved, …) is
refused before any connection is made, unless an admin opted the object in; the connection then goes to the
very address that was checked (no second DNS lookup to rebind), and redirects are never followed.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings

from apps.core import tracing

HTTP_SCHEMES = ("http", "https")
BODY_LIMIT = 1 << 20
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_original_getaddrinfo = socket.getaddrinfo
# Tests only: a name → addresses answer, to act out DNS that cannot exist offline (rebinding, internal names).
resolver: Callable[[str], list[str] | None] | None = None


class OutboundError(Exception):
    """An outbound request that did not happen or did not work; `str()` is safe to show (no remote content)."""


class OutboundRefused(OutboundError):
    """The guard refused the target before connecting."""


class OutboundRedirect(OutboundRefused):
    """The target answered with a redirect, which is never followed."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}: redirects are not followed")
        self.status = status


def address_problem(address: str) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_problem(str(embedded))
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT, "a shared (carrier-grade NAT) address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    return next((reason for hit, reason in checks if hit), None)


def _allowed(address: str, problem: str, allow_private: bool) -> bool:
    if problem in ("an unspecified address", "a multicast address"):
        return False  # never a server, opted in or not
    if allow_private:
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return any(ip in network for network in getattr(settings, "OUTBOUND_ALLOWED_NETWORKS", ()))


def _lookup(host: str, port: int, family: int = 0, kind: int = socket.SOCK_STREAM, proto: int = 0, flags: int = 0):
    answer = resolver(host) if resolver is not None else None
    if answer is None:
        return _original_getaddrinfo(host, port, family, kind, proto, flags)
    found = []
    for address in answer:
        ip = ipaddress.ip_address(address)
        if ip.version == 4:
            found.append((socket.AF_INET, kind or socket.SOCK_STREAM, proto, "", (address, port)))
        else:
            found.append((socket.AF_INET6, kind or socket.SOCK_STREAM, proto, "", (address, port, 0, 0)))
    return found


def _checked(host: str, answers: list, allow_private: bool) -> list:
    """The answers when every address may be reached; else OutboundRefused naming the first one that may not."""
    for answer in answers:
        address = answer[4][0]
        problem = address_problem(address)
        if problem and not _allowed(address, problem, allow_private):
            shown = address if address == host.strip("[]") else f"{address} (of {host})"
            raise OutboundRefused(f"address {shown} is {problem}")
    return answers


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`addresses`, in order) and what to say (`host`, `path`)."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[tuple, ...]
    username: str = ""
    password: str = field(default="", repr=False)


def outbound_target(url: str, *, allow_private: bool = False, schemes: tuple[str, ...] = HTTP_SCHEMES) -> Target:
    """Parse, resolve and check `url`; OutboundRefused says what was refused and why."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused(f"not a valid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        raise OutboundRefused(f"must be an {' or '.join(s + '://' for s in schemes)} URL")
    host = parts.hostname or ""
    if not host:
        raise OutboundRefused("the URL names no host")
    port = port or (443 if scheme == "https" else 80)
    try:
        answers = _lookup(host, port)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise OutboundRefused(f"cannot resolve {host}") from exc
    if not answers:
        raise OutboundRefused(f"cannot resolve {host}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(
        scheme=scheme,
        host=host,
        port=port,
        path=path,
        addresses=tuple(_checked(host, answers, allow_private)),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def outbound_url_problem(url: str, *, allow_private: bool = False, schemes: tuple[str, ...] = HTTP_SCHEMES) -> str:
    """For saving: why `url` will be refused, or "". A name that does not resolve now is left to send time."""
    try:
        outbound_target(url, allow_private=allow_private, schemes=schemes)
    except OutboundRefused as exc:
        return "" if str(exc).startswith("cannot resolve") else str(exc)
    return ""


def literal_host_problem(url: str, *, allow_private: bool = False) -> str:
    """For URLs whose host may be a token rather than a server (Apprise): check it only when it is an address
    in standard notation or a localhost name; everything else is checked when it is resolved to send."""
    try:
        host = (urlsplit(url).hostname or "").strip("[]")
    except ValueError:
        return ""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        if host != "localhost" and not host.endswith(".localhost"):
            return ""
    try:
        _checked(host, _lookup(host, 0), allow_private)
    except OutboundRefused as exc:
        return str(exc)
    except (OSError, UnicodeError, ValueError):
        return ""
    return ""


def may_allow_private_network(user) -> bool:
    """Who may let an object reach the private network: admins (superusers), or the system itself (None)."""
    return user is None or bool(getattr(user, "is_superuser", False) and user.is_active)


def opt_in_refusal(*, by, was_allowed: bool, allowed: bool, address_changed: bool) -> str:
    """Why `by` may not give or take the opt-in, or re-aim an opted-in object elsewhere; "" when they may."""
    if may_allow_private_network(by):
        return ""
    if allowed != was_allowed:
        return "Only an admin may let this reach the server's own network (or take that away)."
    if allowed and address_changed:
        return "Only an admin may change the address of something allowed to reach the server's own network."
    return ""


def _pinned_connect(addresses: tuple[tuple, ...]):
    """A socket factory for http.client that connects to the checked addresses only, whatever it is asked."""

    def connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        last: OSError | None = None
        for family, kind, proto, _, sockaddr in addresses:
            sock = socket.socket(family, kind or socket.SOCK_STREAM, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        raise last or OSError("no address to connect to")

    return connect


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case ("retry-after")


def outbound_request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float,
    allow_private: bool = False,
    limit: int = BODY_LIMIT,
) -> Response:
    """One HTTP request to a checked, pinned address; no redirects. Any status comes back; failures raise
    OutboundError with a reason that never quotes the remote answer."""
    target = outbound_target(url, allow_private=allow_private)
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    connection._create_connection = _pinned_connect(target.addresses)
    headers = dict(headers or {})
    if target.username and "Authorization" not in headers:
        pair = f"{target.username}:{target.password}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    # The host only: paths and queries of notification targets may carry their secrets.
    attributes = {"http.request.method": method, "server.address": target.host, "server.port": target.port}
    try:
        with tracing.span(f"{method} {target.host}", client=True, attributes=attributes) as span:
            connection.request(method, target.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read(limit)
            if span is not None:
                span.set_attribute("http.response.status_code", answer.status)
    except TimeoutError as exc:
        raise OutboundError(f"no answer within {timeout:g} s") from exc
    except ssl.SSLError as exc:
        raise OutboundError(f"TLS failed ({exc.reason or type(exc).__name__})") from exc
    except http.client.HTTPException as exc:
        raise OutboundError(f"broken answer ({type(exc).__name__})") from exc
    except OSError as exc:
        raise OutboundError(f"could not connect ({exc.strerror or type(exc).__name__})") from exc
    finally:
        connection.close()
    if 300 <= answer.status < 400:
        raise OutboundRedirect(answer.status)
    headers = {name.lower(): value for name, value in answer.getheaders()}
    return Response(status=answer.status, body=data, headers=headers)


# --- Libraries that do their own HTTP (Apprise through `requests`): the guard sits in getaddrinfo -------------

_state = threading.local()


@dataclass
class _Guard:
    allow_private: bool
    pinned: dict = field(default_factory=dict)
    refused: str = ""


def _guarded_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    guard: _Guard | None = getattr(_state, "guard", None)
    if guard is None:
        return _original_getaddrinfo(host, port, family, type, proto, flags)
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name not in guard.pinned:
        try:
            guard.pinned[name] = _checked(name, _lookup(name, 0, family, type, proto, flags), guard.allow_private)
        except OutboundRefused as exc:
            guard.refused = guard.refused or str(exc)
            raise socket.gaierror(socket.EAI_FAIL, str(exc)) from exc
    number = int(port) if str(port or "").isdigit() else 0
    return [(f, k, p, c, (a[0], number, *a[2:])) for f, k, p, c, a in guard.pinned[name]]


_install_lock = threading.Lock()


def _requests_without_redirects() -> None:
    """`requests` (Apprise's HTTP) follows redirects on its own; inside a guard it follows none."""
    try:
        import requests  # optional: installed with Apprise, which is what uses it
    except ImportError:
        return
    original = requests.Session.send
    if getattr(original, "revenge_guarded", False):
        return

    def send(self, request, **kwargs):
        if getattr(_state, "guard", None) is not None:
            kwargs["allow_redirects"] = False
        return original(self, request, **kwargs)

    send.revenge_guarded = True
    requests.Session.send = send


@contextmanager
def outbound_guarded(*, allow_private: bool = False) -> Iterator[_Guard]:
    """While inside, every name this thread resolves is checked and answered the same way each time, and `requests`
    follows no redirect; a refusal surfaces as a failed lookup, and `guard.refused` says why."""
    with _install_lock:
        if socket.getaddrinfo is not _guarded_getaddrinfo:
            socket.getaddrinfo = _guarded_getaddrinfo
            _requests_without_redirects()
    guard = _Guard(allow_private=allow_private)
    outer, _state.guard = getattr(_state, "guard", None), guard
    try:
        yield guard
    finally:
        _state.guard = outer
