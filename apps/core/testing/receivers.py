"""Real receivers on 127.0.0.1: a signed-webhook endpoint, Gotify- and ntfy-compatible servers, a Discord
webhook that validates the body as Discord documents it, and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from apps.core.testing.servers import free_port

# The secret the webhook receivers share with the agents that call them.
SECRET = "a-webhook-secret-of-some-length"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.time)

    def json(self):
        return json.loads(self.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Receiver:
    """An HTTP server in a thread; `mode` says how it answers: ok, fail (500), garbage, hang. stop()/start() take it
    down and bring it back on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mode = "ok"
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.released = threading.Event()
        self.server: _Server | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, request: Received) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/json"}, b'{"ok": true}'

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Received("POST", self.path, dict(self.headers.items()), self.rfile.read(length))
                mode = receiver.mode
                if mode == "hang":
                    receiver.released.wait(30)
                    return
                if mode == "garbage":
                    self.wfile.write(b"\x00\x01 this is not HTTP\r\n\r\n")
                    self.close_connection = True
                    return
                with receiver.lock:
                    receiver.received.append(request)
                status, headers, body = (500, {}, b"boom") if mode == "fail" else receiver.answer(request)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = _Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def close(self) -> None:
        self.released.set()
        self.stop()


class WebhookReceiver(Receiver):
    """Checks X-Revenge-Signature against the shared secret, as a receiver of ours should."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        super().__init__()

    def verified(self, request: Received) -> bool:
        expected = "sha256=" + hmac.new(self.secret.encode(), request.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, request.headers.get("X-Revenge-Signature", ""))

    def answer(self, request: Received) -> tuple[int, dict[str, str], bytes]:
        if not self.verified(request):
            return 401, {}, b"bad signature"
        return 200, {"Content-Type": "application/json"}, b'{"ok": true}'

    def deliveries(self) -> list[str]:
        with self.lock:
            return [r.headers.get("X-Revenge-Delivery", "") for r in self.received]


class GotifyServer(Receiver):
    """Gotify's POST /message with the application token in X-Gotify-Key (or ?token=)."""

    def __init__(self, token: str) -> None:
        self.token = token
        super().__init__()

    def answer(self, request: Received) -> tuple[int, dict[str, str], bytes]:
        token = request.headers.get("X-Gotify-Key") or request.path.partition("token=")[2]
        if not request.path.startswith("/message"):
            return 404, {}, b'{"error":"Not Found"}'
        if token != self.token:
            return 401, {"Content-Type": "application/json"}, b'{"error":"Unauthorized","errorCode":401}'
        document = request.json()
        reply = {
            "id": len(self.received),
            "appid": 1,
            "message": document.get("message"),
            "title": document.get("title"),
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(reply).encode()


class NtfyServer(Receiver):
    """ntfy's publish-as-JSON: POST / with {"topic", "title", "message"}."""

    def answer(self, request: Received) -> tuple[int, dict[str, str], bytes]:
        try:
            document = request.json()
        except ValueError:
            return 400, {}, b'{"code":40001,"error":"invalid request: body must be JSON"}'
        if not document.get("topic"):
            return 400, {}, b'{"code":40009,"error":"invalid request: topic missing"}'
        reply = {"id": "x1", "time": int(time.time()), "event": "message", **document}
        return 200, {"Content-Type": "application/json"}, json.dumps(reply).encode()


class DiscordServer(Receiver):
    """Discord's execute-webhook endpoint: POST /api/webhooks/{id}/{token}, the body checked as documented."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        super().__init__()

    def webhook_url(self) -> str:
        return f"{self.url}/api/webhooks/123456789012345678/secret-webhook-token"

    @staticmethod
    def body_problems(document: object) -> list[str]:
        if not isinstance(document, dict):
            return ["the body is not a JSON object"]
        problems = []
        content, embeds = document.get("content"), document.get("embeds")
        if not content and not embeds:
            problems.append("Cannot send an empty message")
        if content is not None and (not isinstance(content, str) or len(content) > 2000):
            problems.append("content: a string of at most 2000 characters")
        username = document.get("username")
        if username is not None and (
            not isinstance(username, str) or not 1 <= len(username) <= 80 or "discord" in username.lower()
        ):
            problems.append("username: 1 to 80 characters, without 'discord'")
        if embeds is not None:
            if not isinstance(embeds, list) or len(embeds) > 10:
                problems.append("embeds: at most 10")
                embeds = []
            total = 0
            for embed in embeds:
                for key, limit in (("title", 256), ("description", 4096)):
                    value = embed.get(key, "")
                    if not isinstance(value, str) or len(value) > limit:
                        problems.append(f"embeds.{key}: at most {limit} characters")
                    total += len(value) if isinstance(value, str) else 0
                if "url" in embed and not str(embed["url"]).startswith(("http://", "https://")):
                    problems.append("embeds.url: Not a well formed URL")
                thumbnail = embed.get("thumbnail")
                if thumbnail is not None and not str(thumbnail.get("url", "")).startswith(("http://", "https://")):
                    problems.append("embeds.thumbnail.url: Not a well formed URL")
                unknown = set(embed) - {"title", "description", "url", "thumbnail", "color", "fields", "footer"}
                if unknown:
                    problems.append(f"embeds: unknown keys {sorted(unknown)}")
            if total > 6000:
                problems.append("embeds: more than 6000 characters in all")
        return problems

    def answer(self, request: Received) -> tuple[int, dict[str, str], bytes]:
        parts = request.path.strip("/").split("/")
        if len(parts) != 4 or parts[:2] != ["api", "webhooks"]:
            return 404, {}, b'{"message": "Unknown Webhook", "code": 10015}'
        if not request.headers.get("Content-Type", "").startswith("application/json"):
            return 400, {}, b'{"message": "Cannot send an empty message", "code": 50006}'
        try:
            problems = self.body_problems(request.json())
        except ValueError:
            problems = ["the body is not JSON"]
        if problems:
            self.problems.extend(problems)
            body = json.dumps({"message": "Invalid Form Body", "code": 50035, "errors": problems}).encode()
            return 400, {"Content-Type": "application/json"}, body
        return 204, {}, b""


class SmtpServer:
    """aiosmtpd on 127.0.0.1: every message it accepts, parsed."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[list[str], EmailMessage]] = []
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope) -> str:
                server.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.original_content)))
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?from=revenge@example.org"

    def wait_for(self, count: int, timeout: float = 15) -> list[tuple[list[str], EmailMessage]]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)

    def close(self) -> None:
        self.controller.stop()
