"""The outbound-URL guard against hostile addresses, DNS that changes its answer, redirects and port scans."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.core import outbound
from apps.core.outbound import OutboundRefused, outbound_guarded, outbound_request, outbound_target
from apps.core.testing.servers import free_port

REFUSED = [
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://10.1.2.3/", "10.1.2.3 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://172.31.255.254/", "is a private address"),
    ("http://192.168.1.1:8080/", "192.168.1.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[fc00::1]/", "fc00::1 is a private address"),
    ("http://[fd12:3456::1]/", "is a private address"),
    ("http://0.0.0.0:8000/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
    ("http://[::ffff:10.0.0.1]/", "is a private address"),
    ("http://[64:ff9b::7f00:1]/", "is a loopback address"),
    ("http://240.0.0.1/", "240.0.0.1 is"),
    ("http://2130706433/", "127.0.0.1 (of 2130706433) is a loopback address"),
    ("http://0x7f.1/", "127.0.0.1 (of 0x7f.1) is a loopback address"),
    ("http://017700000001/", "127.0.0.1 (of 017700000001) is a loopback address"),
    ("http://127.1/", "127.0.0.1 (of 127.1) is a loopback address"),
    ("http://localhost:8399/admin", "127.0.0.1 (of localhost) is a loopback address"),
    ("https://user:pw@LocalHost/x", "is a loopback address"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_every_address_of_the_own_network_is_refused(url, reason):
    with pytest.raises(OutboundRefused, match=r"^address ") as refused:
        outbound_target(url)
    assert reason in str(refused.value)
    assert outbound.outbound_url_problem(url) == str(refused.value)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("gopher://127.0.0.1:6379/_INFO", "http:// or https://"),
        ("http:///nohost", "names no host"),
        ("http://127.0.0.1:99999/", "not a valid URL"),
    ],
)
def test_only_http_urls_with_a_host(url, reason):
    with pytest.raises(OutboundRefused, match=reason):
        outbound_target(url)


def test_public_addresses_pass_and_unresolvable_names_wait_for_send_time():
    assert outbound_target("https://8.8.8.8/x?y=1").path == "/x?y=1"
    assert outbound.outbound_url_problem("http://[2606:4700:4700::1111]/") == ""
    assert outbound.outbound_url_problem("http://hooks.invalid/") == ""
    with pytest.raises(OutboundRefused, match=r"cannot resolve hooks\.invalid"):
        outbound_target("http://hooks.invalid/")


def test_the_admin_opt_in_allows_the_private_network_but_never_unspecified_or_multicast_addresses():
    assert outbound_target("http://127.0.0.1:9/", allow_private=True).port == 9
    assert outbound_target("http://192.168.1.1/", allow_private=True).addresses
    for url in ("http://0.0.0.0/", "http://224.0.0.1/"):
        with pytest.raises(OutboundRefused):
            outbound_target(url, allow_private=True)


def test_networks_the_operator_allows_are_open_to_everyone_and_no_others(settings):
    import ipaddress

    settings.OUTBOUND_ALLOWED_NETWORKS = [ipaddress.ip_network("192.168.7.0/24")]
    assert outbound_target("http://192.168.7.20/").addresses
    with pytest.raises(OutboundRefused, match=r"192\.168\.8\.1 is a private address"):
        outbound_target("http://192.168.8.1/")


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        self.server.seen.append(
            (self.path, self.headers.get("Host"), self.rfile.read(int(self.headers["Content-Length"])))
        )
        status, location, body = self.server.answer
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@contextmanager
def receiver(address: str = "127.0.0.1", port: int = 0, answer=(200, "", b"ok")):
    server = ThreadingHTTPServer((address, port), _Recorder)
    server.seen, server.answer = [], answer
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def dns(answers: dict[str, list[list[str]]]):
    """A resolver that gives each name its answers in turn (the last one again when they run out)."""
    asked: list[str] = []

    def resolve(host: str):
        if host not in answers:
            return None
        asked.append(host)
        turns = answers[host]
        return turns[min(len([h for h in asked if h == host]) - 1, len(turns) - 1)]

    outbound.resolver = resolve
    try:
        yield asked
    finally:
        outbound.resolver = None


def test_the_connection_goes_to_the_checked_address_not_to_a_second_answer():
    """DNS rebinding: the name answers 127.0.0.1 when checked and 127.0.0.2 afterwards; only the first is used."""
    with receiver("127.0.0.1") as checked, receiver("127.0.0.2", checked.server_address[1]) as rebound:
        port = checked.server_address[1]
        with dns({"hooks.example": [["127.0.0.1"], ["127.0.0.2"]]}) as asked:
            response = outbound_request(
                "POST", f"http://hooks.example:{port}/in?x=1", body=b"hi", timeout=5, allow_private=True
            )
            outbound_request("POST", f"http://hooks.example:{port}/again", body=b"2", timeout=5, allow_private=True)
    assert response.status == 200 and response.body == b"ok"
    assert checked.seen[0] == ("/in?x=1", f"hooks.example:{port}", b"hi")  # the name is still the Host
    assert [path for path, _, _ in rebound.seen] == ["/again"]  # a new request is a new check, not a reuse
    assert asked == ["hooks.example", "hooks.example"]


def test_a_name_that_turns_private_on_its_second_answer_is_refused_then():
    with dns({"flip.example": [["8.8.8.8"], ["10.0.0.7"]]}):
        assert outbound_target("http://flip.example/").addresses[0][4][0] == "8.8.8.8"
        with pytest.raises(OutboundRefused, match=r"10.0.0.7 \(of flip.example\) is a private address"):
            outbound_request("GET", "http://flip.example/", timeout=1)


def test_redirects_are_not_followed():
    with receiver() as target:
        inside = f"http://127.0.0.1:{target.server_address[1]}/secret"
        with receiver(answer=(302, inside, b"moved")) as first:
            url = f"http://127.0.0.1:{first.server_address[1]}/hook"
            with pytest.raises(OutboundRefused, match="HTTP 302: redirects are not followed"):
                outbound_request("POST", url, body=b"x", timeout=5, allow_private=True)
    assert len(first.seen) == 1 and target.seen == []


def test_refused_targets_look_the_same_whether_the_port_is_open_or_closed():
    with receiver() as open_server:
        open_port = open_server.server_address[1]
        closed_port = free_port()
        answers = []
        for port in (open_port, closed_port):
            with pytest.raises(OutboundRefused) as refused:
                outbound_request("POST", f"http://127.0.0.1:{port}/", body=b"x", timeout=5)
            answers.append(str(refused.value))
    assert answers[0] == answers[1] == "address 127.0.0.1 is a loopback address"
    assert open_server.seen == []  # refused before connecting


def test_inside_the_guard_every_lookup_is_checked_and_pinned():
    with outbound_guarded() as guard, pytest.raises(socket.gaierror):
        socket.getaddrinfo("localhost", 80)
    assert guard.refused == "address 127.0.0.1 (of localhost) is a loopback address"
    assert socket.getaddrinfo("localhost", 80)  # outside the guard, nothing changes
    with dns({"flip.example": [["127.0.0.1"], ["127.0.0.2"]]}) as asked, outbound_guarded(allow_private=True):
        first = socket.getaddrinfo("flip.example", 80)[0][4]
        second = socket.getaddrinfo("flip.example", 443)[0][4]
    assert first == ("127.0.0.1", 80) and second == ("127.0.0.1", 443) and asked == ["flip.example"]


def test_the_guard_belongs_to_its_thread():
    seen = {}

    def other():
        seen["other"] = socket.getaddrinfo("localhost", 80)[0][4][0]

    with outbound_guarded():
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen["other"] == "127.0.0.1"


def test_only_admins_or_the_system_may_opt_in(django_user_model):
    admin = django_user_model(username="a", is_superuser=True, is_active=True)
    staff = django_user_model(username="s", is_staff=True, is_active=True)
    assert outbound.may_allow_private_network(None) and outbound.may_allow_private_network(admin)
    assert not outbound.may_allow_private_network(staff)
    refusal = outbound.opt_in_refusal(by=staff, was_allowed=True, allowed=True, address_changed=True)
    assert "Only an admin may change the address" in refusal
    assert outbound.opt_in_refusal(by=staff, was_allowed=True, allowed=True, address_changed=False) == ""
    assert outbound.opt_in_refusal(by=staff, was_allowed=False, allowed=True, address_changed=False)


def _certificate(tmp_path, name: str):
    """A self-signed certificate for `name` (cert file, key file): the test's own CA."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def test_https_to_a_pinned_address_still_checks_the_certificate_of_the_name(tmp_path, monkeypatch):
    import ssl

    cert_file, key_file = _certificate(tmp_path, "hooks.example")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # the test's CA is the only one trusted
    with receiver() as server:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        port = server.server_address[1]
        with dns({"hooks.example": [["127.0.0.1"]], "other.example": [["127.0.0.1"]]}):
            response = outbound_request(
                "POST", f"https://hooks.example:{port}/tls", body=b"x", timeout=5, allow_private=True
            )
            with pytest.raises(outbound.OutboundError, match="TLS failed"):
                outbound_request("POST", f"https://other.example:{port}/tls", body=b"x", timeout=5, allow_private=True)
    assert response.status == 200 and server.seen[0][:2] == ("/tls", f"hooks.example:{port}")
