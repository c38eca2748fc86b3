"""The alert channels and texts: e-mail over SMTP, a Slack incoming webhook, a Telegram bot.

One implementation for every alert: the Spidermon actions of ``crawler/monitors.py`` send one
site's failed run from inside the crawl; ``python -m crawler.monitors notify`` (cron's
``deploy/cron-nightly.sh``, systemd's ``deploy/gov-crawler-alert@.service``) sends a whole run
that did not exit 0. Settings only (``GOV_ALERT_*``, read by ``crawler/settings.py`` from the
environment variables of the same names); nothing configured means nothing is sent and nothing
fails. Spidermon's own e-mail, Slack and Telegram actions need a Slack bot token (no webhooks),
a fixed Telegram address, SMTP credentials always, Jinja/premailer/requests/slack_sdk, and send
e-mail through a Twisted deferred nobody waits for at the end of the crawl: this module is
small, synchronous (with a timeout per channel) and standard library only.

Secrets (SMTP password, webhook URL, bot token, the MongoDB URI's credentials) never appear in a
message or a log line: everything sent or printed here goes through :meth:`AlertConfig.mask`,
and a failed delivery raises :class:`AlertError` with a masked message, never the original
exception (which may quote a URL with the token).

The checks the monitors make (:func:`verdict_problem`, :func:`coverage_problems`,
:func:`finish_problem`) live here too, outside the module that Spidermon runs as unittest code.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import smtplib
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

from crawler import config
from crawler import statnames as stat
from crawler.extensions import HEALTHY, RunReportExtension
from crawler.storage import mask_secrets

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

FINISHED = "finished"
EMAIL, SLACK, TELEGRAM = "email", "slack", "telegram"
TELEGRAM_API = "https://api.telegram.org"
TELEGRAM_MAX_TEXT = 4096
SMTP_SECURITY = ("starttls", "ssl", "none")
EXIT_MEANINGS = {
    1: "usage or configuration error",
    2: "at least one site unhealthy",
    3: "store unreachable",
    4: "another run holds the lock",
    5: "a site's run stopped before the end",
}


class AlertError(RuntimeError):
    """A channel could not deliver; the message is already masked."""


# -- configuration -----------------------------------------------------------------------------
def _get(settings: Any, name: str, default: str = "") -> str:
    value = settings.get(name) if settings is not None else None
    if value is None:
        return default
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value).strip()


@dataclass(frozen=True)
class AlertConfig:
    """Where alerts go (``GOV_ALERT_*`` settings, read by ``crawler/settings.py`` from the
    environment variables of the same names)."""

    smtp_host: str = ""
    smtp_port: int = 0  # 0: 465 for "ssl", else 587 ("starttls") or 25 ("none")
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_to: tuple[str, ...] = ()
    slack_webhook: str = ""
    telegram_token: str = ""
    telegram_chat_id: str = ""
    telegram_api: str = TELEGRAM_API
    timeout: float = 10.0
    mongo_uri: str = ""  # never used to send anything: only masked

    @classmethod
    def from_settings(cls, settings: Any) -> AlertConfig:
        security = _get(settings, "GOV_ALERT_SMTP_SECURITY", "starttls").lower() or "starttls"
        if security not in SMTP_SECURITY:
            raise ValueError(
                f"GOV_ALERT_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, "
                f"got {security!r}"
            )
        port = _get(settings, "GOV_ALERT_SMTP_PORT", "0") or "0"
        timeout = _get(settings, "GOV_ALERT_TIMEOUT", "10") or "10"
        to = _get(settings, "GOV_ALERT_SMTP_TO")
        return cls(
            smtp_host=_get(settings, "GOV_ALERT_SMTP_HOST"),
            smtp_port=int(port),
            smtp_security=security,
            smtp_user=_get(settings, "GOV_ALERT_SMTP_USER"),
            smtp_password=_get(settings, "GOV_ALERT_SMTP_PASSWORD"),
            smtp_from=_get(settings, "GOV_ALERT_SMTP_FROM"),
            smtp_to=tuple(a.strip() for a in to.replace(";", ",").split(",") if a.strip()),
            slack_webhook=_get(settings, "GOV_ALERT_SLACK_WEBHOOK"),
            telegram_token=_get(settings, "GOV_ALERT_TELEGRAM_TOKEN"),
            telegram_chat_id=_get(settings, "GOV_ALERT_TELEGRAM_CHAT_ID"),
            telegram_api=_get(settings, "GOV_ALERT_TELEGRAM_API", TELEGRAM_API) or TELEGRAM_API,
            timeout=float(timeout),
            mongo_uri=_get(settings, "MONGO_URI"),
        )

    def channels(self) -> list[str]:
        """The channels fully configured."""
        found = []
        if self.smtp_host and self.smtp_to:
            found.append(EMAIL)
        if self.slack_webhook:
            found.append(SLACK)
        if self.telegram_token and self.telegram_chat_id:
            found.append(TELEGRAM)
        return found

    def incomplete(self) -> list[str]:
        """Half-configured channels, as warnings (they send nothing)."""
        notes = []
        if bool(self.smtp_host) != bool(self.smtp_to):
            notes.append("e-mail needs both GOV_ALERT_SMTP_HOST and GOV_ALERT_SMTP_TO")
        if bool(self.telegram_token) != bool(self.telegram_chat_id):
            notes.append("Telegram needs GOV_ALERT_TELEGRAM_TOKEN and GOV_ALERT_TELEGRAM_CHAT_ID")
        return notes

    def secrets(self) -> list[str]:
        values = [self.smtp_password, self.telegram_token, self.slack_webhook]
        if self.slack_webhook:  # the webhook's path is its secret, wherever it shows
            parts = urllib.parse.urlsplit(self.slack_webhook)
            values.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        out: set[str] = set()
        for value in values:
            if len(value) >= 4:
                out.update({value, urllib.parse.quote(value, safe=""), urllib.parse.quote(value)})
        return sorted(out, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """``text`` with every alert secret and MongoDB credential replaced by ``***``."""
        text = mask_secrets(text, self.mongo_uri or None)
        for secret in self.secrets():
            text = text.replace(secret, "***")
        return text

    def describe(self) -> list[str]:
        """One masked line per channel, for ``test`` and the logs."""
        lines = []
        if EMAIL in self.channels():
            port = self.smtp_port or _default_port(self.smtp_security)
            login = f", login {self.smtp_user}" if self.smtp_user else ""
            lines.append(
                f"e-mail: {self.smtp_host}:{port} ({self.smtp_security}{login}) "
                f"-> {', '.join(self.smtp_to)}"
            )
        if SLACK in self.channels():
            host = urllib.parse.urlsplit(self.slack_webhook).netloc or "?"
            lines.append(f"slack: webhook at {host}")
        if TELEGRAM in self.channels():
            lines.append(f"telegram: chat {self.telegram_chat_id} via {self.telegram_api}")
        return [self.mask(line) for line in lines]


def _default_port(security: str) -> int:
    return {"ssl": 465, "none": 25}.get(security, 587)


# -- the alert and its channels -------------------------------------------------------------------
@dataclass
class Alert:
    subject: str
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join([self.subject, "", *self.lines])

    def masked(self, config: AlertConfig) -> Alert:
        return Alert(config.mask(self.subject), [config.mask(line) for line in self.lines])


def send_email(config: AlertConfig, alert: Alert) -> None:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = config.smtp_from or f"gov-crawler@{socket.getfqdn()}"
    message["To"] = ", ".join(config.smtp_to)
    message.set_content("\n".join(alert.lines) + "\n")
    port = config.smtp_port or _default_port(config.smtp_security)
    smtp: smtplib.SMTP
    if config.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(
            config.smtp_host, port, timeout=config.timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(config.smtp_host, port, timeout=config.timeout)
    with smtp:
        if config.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password)
        smtp.send_message(message)


def _post_json(url: str, payload: dict[str, Any], timeout: float) -> bytes:
    request = urllib.request.Request(  # http(s) only, checked below
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "gov-crawler alerts",
        },
    )
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("only http(s) URLs are allowed")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def post_slack(config: AlertConfig, alert: Alert) -> None:
    """A Slack incoming webhook: ``{"text": ...}``."""
    _post_json(config.slack_webhook, {"text": alert.text}, config.timeout)


def post_telegram(config: AlertConfig, alert: Alert) -> None:
    """The Bot API's ``sendMessage`` (plain text, no preview)."""
    url = f"{config.telegram_api.rstrip('/')}/bot{config.telegram_token}/sendMessage"
    body = _post_json(
        url,
        {
            "chat_id": config.telegram_chat_id,
            "text": alert.text[:TELEGRAM_MAX_TEXT],
            "disable_web_page_preview": True,
        },
        config.timeout,
    )
    answer = json.loads(body or b"{}")
    if not answer.get("ok"):
        raise AlertError(f"Telegram refused the message: {answer.get('description', answer)}")


SENDERS: dict[str, Callable[[AlertConfig, Alert], None]] = {
    EMAIL: send_email,
    SLACK: post_slack,
    TELEGRAM: post_telegram,
}


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        try:
            detail = exc.read().decode("utf-8", "replace")[:300]
        except Exception:  # noqa: BLE001 (the body is a courtesy)
            detail = ""
        return f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
    return f"{type(exc).__name__}: {exc}"


def send(config: AlertConfig, alert: Alert, channel: str) -> None:
    """Deliver ``alert`` on one channel; any failure is an :class:`AlertError` whose message is
    masked (and that hides the original exception, which may quote a secret)."""
    alert = alert.masked(config)
    try:
        SENDERS[channel](config, alert)
    except Exception as exc:  # noqa: BLE001 (any failure of any channel: reported, masked)
        message = config.mask(_describe_error(exc))
    else:
        return
    raise AlertError(f"{channel} alert not delivered: {message}")


def notify(config: AlertConfig, alert: Alert) -> dict[str, str | None]:
    """Send ``alert`` on every configured channel: ``{channel: None (sent) or masked error}``."""
    results: dict[str, str | None] = {}
    for channel in config.channels():
        try:
            send(config, alert, channel)
        except AlertError as exc:
            results[channel] = str(exc)
            logger.error("%s", exc)
        else:
            results[channel] = None
            logger.info("alert sent by %s: %s", channel, config.mask(alert.subject))
    return results


# -- alert texts ---------------------------------------------------------------------------------
def summary_line(report: dict[str, Any]) -> str:
    pages = report.get("pages", {})
    art = report.get("articles", {})
    return (
        f"listing={pages.get('listing', 0)} article={pages.get('article', 0)} "
        f"new={art.get('new', 0)} updated={art.get('updated', 0)} "
        f"unchanged={art.get('unchanged', 0)} dropped={sum(art.get('dropped', {}).values())} "
        f"errors={sum(report.get('errors', {}).values())}"
    )


def site_alert(report: dict[str, Any], failures: Sequence[tuple[str, str]] = ()) -> Alert:
    """The alert for one site's run: verdict, problems, the monitors that failed."""
    site = report.get("site_id", "?")
    verdict = str(report.get("verdict", "?")).upper()
    lines = [
        f"site: {site} ({report.get('cms') or 'no profile family'}), mode {report.get('mode')}",
        f"run: {report.get('run_id')} on {socket.gethostname()}",
        f"verdict: {verdict}; finish reason: {report.get('finish_reason')}",
    ]
    if report.get("problems"):
        lines += ["problems:", *(f"  - {p}" for p in report["problems"])]
    if failures:
        lines += ["failed monitors:", *(f"  - {name}: {message}" for name, message in failures)]
    lines += [f"counts: {summary_line(report)}", f"details: python -m crawler runs --site {site}"]
    return Alert(f"gov-crawler: {site} {verdict} (run {report.get('run_id')})", lines)


# -- the checks the monitors make -------------------------------------------------------------
def _extension(crawler: Any, cls: type[_T]) -> _T | None:
    manager = getattr(crawler, "extensions", None)
    for ext in getattr(manager, "middlewares", ()):
        if isinstance(ext, cls):
            return ext
    return None


def run_report(data: Any) -> dict[str, Any] | None:
    """This site's run report for Spidermon's ``data``: the one in the stats, else built now by
    the crawl's :class:`RunReportExtension` (same code, same verdict: Spidermon's
    ``spider_closed`` may run before the extension's); ``None`` when the extension is off."""
    stats = data["stats"]
    report = stats.get(stat.RUN_REPORT)
    if report:
        return dict(report)
    ext = _extension(data.get("crawler"), RunReportExtension)
    if ext is None or data.get("spider") is None:
        return None
    return ext.build_report(data["spider"], stats.get("finish_reason") or FINISHED)


def verdict_problem(report: dict[str, Any]) -> str | None:
    """``None`` for a healthy run, else the verdict and its problems in one line."""
    if report.get("verdict") == HEALTHY:
        return None
    problems = "; ".join(report.get("problems") or []) or "no reason recorded"
    return f"{report.get('site_id')} {str(report.get('verdict')).upper()}: {problems}"


def coverage_problems(report: dict[str, Any], expect: Any) -> list[str]:
    """Fields under the profile's ``[expect] coverage`` (the same rule as ``verdict_for``: a
    run that extracted no article has no coverage to judge)."""
    if expect is None or not report.get("articles", {}).get("extracted"):
        return []
    coverage = report.get("coverage", {})
    return [
        f"coverage {name} {coverage.get(name, 0.0):.0%} < {minimum:.0%}"
        for name, minimum in expect.coverage.items()
        if coverage.get(name, 0.0) < minimum
    ]


def finish_problem(reason: str | None) -> str | None:
    if reason == FINISHED:
        return None
    return f"finish reason {reason!r}, expected {FINISHED!r}"


# -- outside a crawl: cron and systemd -------------------------------------------------------------
def _settings(overrides: Sequence[str]) -> Any:
    from scrapy.settings import Settings

    import crawler.settings as defaults

    settings = Settings()
    settings.setmodule(defaults, priority="project")
    for item in overrides:
        if "=" not in item:
            raise ValueError(f"-s expects NAME=VALUE, got {item!r}")
        name, value = item.split("=", 1)
        settings.set(name, value, priority="cmdline")
    return settings


def _command_output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def _unit_state(unit: str) -> dict[str, str]:
    """How the failed unit ended: systemd (>= 251) hands it to the ``OnFailure=`` unit as
    ``MONITOR_*`` variables; older ones are asked with ``systemctl show``."""
    state = {
        key: os.environ[f"MONITOR_{key.upper()}"]
        for key in ("exit_status", "exit_code", "service_result", "invocation_id")
        if os.environ.get(f"MONITOR_{key.upper()}")
    }
    if "exit_status" not in state:
        out = _command_output(["systemctl", "show", unit, "--property=ExecMainStatus,Result"])
        for line in out.splitlines():
            key, _, value = line.partition("=")
            if key == "ExecMainStatus" and value:
                state["exit_status"] = value
            elif key == "Result" and value:
                state.setdefault("service_result", value)
    return state


def _unit_journal(unit: str, invocation: str | None, lines: int) -> list[str]:
    match = [f"_SYSTEMD_INVOCATION_ID={invocation}"] if invocation else ["-u", unit]
    out = _command_output(["journalctl", *match, "-n", str(lines), "--no-pager", "-o", "cat"])
    return out.splitlines()[-lines:]


def _tail(path: Path, lines: int) -> list[str]:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 64 * 1024))
            return handle.read().decode("utf-8", "replace").splitlines()[-lines:]
    except OSError as exc:
        return [f"(cannot read {path}: {exc.strerror})"]


def _last_run(settings: Any) -> list[str]:
    """The newest run's per-site verdicts from ``crawl_runs``."""
    from crawler.storage import open_store

    try:
        store = open_store(
            settings.get("MONGO_URI"),
            config.get(settings, "GOV_DATA_DIR"),
            db_name=config.get(settings, "GOV_DB_NAME"),
            timeout_ms=3000,
        )
    except Exception as exc:  # noqa: BLE001 (the alert goes out without the runs)
        return [f"(store unavailable: {exc})"]
    try:
        runs = store.recent_runs(None, 200)
    finally:
        store.close()
    if not runs:
        return ["(no runs recorded)"]
    newest = runs[0].get("run_id")
    return [
        f"{r.get('site_id')}: {str(r.get('verdict', '?')).upper()} {summary_line(r)}"
        + (f" ({'; '.join(r['problems'])})" if r.get("problems") else "")
        for r in runs
        if r.get("run_id") == newest
    ]


def run_alert(args: argparse.Namespace, settings: Any) -> Alert:
    """The alert for a whole run that did not exit 0 (cron, systemd)."""
    host = socket.gethostname()
    lines: list[str] = []
    code: int | None = args.exit_code
    state: dict[str, str] = {}
    if args.unit:
        state = _unit_state(args.unit)
        if code is None and state.get("exit_status", "").isdigit():
            code = int(state["exit_status"])
    if code is not None:
        what = f"exit {code}" + (f" ({EXIT_MEANINGS[code]})" if code in EXIT_MEANINGS else "")
    elif state.get("exit_status"):
        what = f"{state.get('exit_code', 'ended')} {state['exit_status']}"
    else:
        what = "failed"
    name = args.unit or "nightly"
    subject = f"gov-crawler {name} on {host}: {what}"
    lines.append(f"{name} on {host}: {what}")
    if state:
        lines.append("systemd: " + ", ".join(f"{k}={v}" for k, v in sorted(state.items())))
    if code not in (1, 3, 4):  # those never reached the sites
        lines += ["", "last run (crawl_runs):", *(f"  {line}" for line in _last_run(settings))]
    for path in args.log:
        tail = _tail(Path(path), args.lines)
        lines += ["", f"last lines of {path}:", *(f"  {line}" for line in tail)]
    if args.unit:
        journal = _unit_journal(args.unit, state.get("invocation_id"), args.lines)
        if journal:
            lines += ["", f"journal of {args.unit}:", *(f"  {line}" for line in journal)]
    lines += [
        "",
        "exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_MEANINGS.items()),
        "recent runs: python -m crawler runs --last 20",
    ]
    return Alert(subject, lines)


def cmd_notify(args: argparse.Namespace) -> int:
    settings = _settings(args.set)
    config = AlertConfig.from_settings(settings)
    alert = run_alert(args, settings).masked(config)
    return _deliver(config, alert)


def cmd_test(args: argparse.Namespace) -> int:
    config = AlertConfig.from_settings(_settings(args.set))
    for line in config.describe():
        print(line)
    alert = Alert(
        f"gov-crawler: test alert from {socket.gethostname()}",
        ["This is a test of the gov-crawler alert channels. Nothing is wrong."],
    )
    return _deliver(config, alert)


def _deliver(config: AlertConfig, alert: Alert) -> int:
    for note in config.incomplete():
        logger.warning("alerts: %s; that channel sends nothing", note)
    if not config.channels():
        logger.warning("alerts: no channel configured (GOV_ALERT_*); the alert is only logged here")
        print(alert.text, file=sys.stderr, flush=True)
        return 0
    results = notify(config, alert)
    return 1 if any(results.values()) else 0
