"""Local stand-ins for the alert channels: an SMTP server (aiosmtpd) that requires a login, and
one HTTP server playing the Slack webhook and the Telegram Bot API. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER = "crawler-alerts"
SMTP_PASSWORD = "smtp-Pa55-w0rd-7Q"
TELEGRAM_TOKEN = "123456:TEST-bot-TOKEN-zz9"
TELEGRAM_CHAT = "-1001234"
SLACK_PATH = "/services/T0TEST/B0TEST/slackSECRETpath42"
SECRETS = (SMTP_PASSWORD, TELEGRAM_TOKEN, SLACK_PATH, "slackSECRETpath42")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def bodies(self) -> list[str]:
        return [str(m.get_body(("plain",)).get_content()) for m in self.messages]  # type: ignore[union-attr]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not session.authenticated:  # as auth_required=True, without its warning about TLS
            return "530 5.7.0 Authentication required"
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.server.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    state = SmtpServer("127.0.0.1", free_port())

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login = (auth_data.login.decode(), auth_data.password.decode())
            state.logins.append(login)
            return AuthResult(success=login == (SMTP_USER, SMTP_PASSWORD))
        return AuthResult(success=False)

    controller = Controller(
        _Handler(state),
        hostname=state.host,
        port=state.port,
        authenticator=authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield state
    controller.stop()


@dataclass
class WebServer:
    base_url: str
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def slack_webhook(self) -> str:
        return self.base_url + SLACK_PATH

    def posted(self, kind: str) -> list[dict[str, Any]]:
        return [r["json"] for r in self.requests if r["kind"] == kind]


@pytest.fixture
def web_server() -> Iterator[WebServer]:
    """``/services/...``: the Slack webhook (answers ``ok``); ``/bot<token>/sendMessage``: the
    Telegram Bot API; ``/refuse/bot<token>/...``: a Bot API that refuses and quotes the request
    path (with the token) in its error, as a misbehaving proxy might."""
    state = WebServer("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            kind = (
                "slack"
                if self.path == SLACK_PATH
                else "telegram"
                if self.path == f"/bot{TELEGRAM_TOKEN}/sendMessage"
                else "other"
            )
            state.requests.append(
                {
                    "kind": kind,
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(body or b"null"),
                }
            )
            if kind == "slack":
                self._answer(200, b"ok", "text/plain")
            elif kind == "telegram":
                self._answer(200, json.dumps({"ok": True, "result": {"message_id": 1}}).encode())
            else:
                self._answer(
                    401,
                    json.dumps(
                        {"ok": False, "error_code": 401, "description": f"Unauthorized {self.path}"}
                    ).encode(),
                )

        def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def alert_env(
    smtp: SmtpServer | None = None, web: WebServer | None = None, telegram_api: str | None = None
) -> dict[str, str]:
    """GOV_ALERT_* for the local servers; the secrets go in the environment, as in production."""
    env: dict[str, str] = {}
    if smtp:
        env.update(
            {
                "GOV_ALERT_SMTP_HOST": smtp.host,
                "GOV_ALERT_SMTP_PORT": str(smtp.port),
                "GOV_ALERT_SMTP_SECURITY": "none",
                "GOV_ALERT_SMTP_USER": SMTP_USER,
                "GOV_ALERT_SMTP_PASSWORD": SMTP_PASSWORD,
                "GOV_ALERT_SMTP_FROM": "crawler@example.org",
                "GOV_ALERT_SMTP_TO": "ops@example.org, oncall@example.org",
            }
        )
    if web:
        env.update(
            {
                "GOV_ALERT_SLACK_WEBHOOK": web.slack_webhook,
                "GOV_ALERT_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
                "GOV_ALERT_TELEGRAM_CHAT_ID": TELEGRAM_CHAT,
                "GOV_ALERT_TELEGRAM_API": telegram_api or web.base_url,
            }
        )
    return env


def assert_no_secret(*outputs: str) -> None:
    for text in outputs:
        for secret in SECRETS:
            assert secret not in text, f"secret {secret[:4]}… printed"


@pytest.fixture(autouse=True)
def _no_alert_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Alert settings from the developer's shell never reach these tests."""
    import os

    for name in list(os.environ):
        if name.startswith(("GOV_ALERT_", "MONITOR_")):
            monkeypatch.delenv(name)
