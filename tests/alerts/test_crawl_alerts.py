"""A real nightly crawl of a mini portal with Spidermon on: alerts on an unhealthy run only,
secrets never printed, the CLI's verdict and exit code unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.miniportal import MiniPortal
from tests.alerts.conftest import (
    SMTP_PASSWORD,
    SMTP_USER,
    TELEGRAM_CHAT,
    SmtpServer,
    WebServer,
    alert_env,
    assert_no_secret,
)
from tests.fixturetypes import MakePortal, RunCli
from tests.helpers import FAST

SITE = "nd-giaothuy"
PROBLEM = "coverage title 0%"
# the project's extensions with Spidermon's spider_closed connected *before* the run report's
SPIDERMON_FIRST = json.dumps(
    {
        "crawler.extensions.RunReportExtension": 500,
        "crawler.progress.ProgressExtension": 510,
        "scrapy.extensions.logstats.LogStats": None,
        "spidermon.contrib.scrapy.extensions.Spidermon": 100,
    }
)


def break_layout(portal: MiniPortal) -> None:
    """As tests/crawl/test_nightly.py: the article pages lose the profile's container."""
    for page in portal.folder.glob("article-*.html"):
        page.write_text(
            page.read_text(encoding="utf-8").replace("ArticleDetailControl", "NewsDetail"),
            encoding="utf-8",
        )


@pytest.mark.parametrize("order", ["default", "spidermon_first"])
def test_unhealthy_crawl_alerts_by_email_slack_and_telegram(
    order: str,
    make_portal: MakePortal,
    run_cli: RunCli,
    smtp_server: SmtpServer,
    web_server: WebServer,
) -> None:
    portal = make_portal(SITE)
    break_layout(portal)
    extra = ["-s", f"EXTENSIONS={SPIDERMON_FIRST}"] if order == "spidermon_first" else []
    result = run_cli(
        "nightly",
        SITE,
        "--base-url",
        portal.base_url,
        *FAST,
        *extra,
        env=alert_env(smtp_server, web_server),
    )
    # the CLI's verdict and exit code are those of any unhealthy run
    assert result.returncode == 2, result.stderr[-3000:]
    assert "nd-giaothuy: UNHEALTHY" in result.stdout
    # the monitors saw the verdict whichever spider_closed handler ran first
    assert "[Spidermon] Run verdict/healthy... FAIL" in result.stderr
    assert "[Spidermon] Finish reason/finished... OK" in result.stderr
    # a failed monitor logs its finding, not a traceback
    assert f"AssertionError: {SITE} UNHEALTHY: {PROBLEM}" in result.stderr
    assert "Traceback" not in result.stderr

    assert len(smtp_server.messages) == 1, result.stderr[-3000:]
    mail = smtp_server.messages[0]
    body = smtp_server.bodies()[0]
    assert SITE in mail["Subject"] and "UNHEALTHY" in mail["Subject"]
    assert mail["From"] == "crawler@example.org"
    assert mail["X-Envelope-To"] == "ops@example.org, oncall@example.org"
    assert smtp_server.logins == [(SMTP_USER, SMTP_PASSWORD)]
    assert f"site: {SITE}" in body
    assert PROBLEM in body
    assert "Run verdict/healthy" in body and "Field coverage" in body

    slack = web_server.posted("slack")
    assert len(slack) == 1
    assert SITE in slack[0]["text"] and PROBLEM in slack[0]["text"]
    telegram = web_server.posted("telegram")
    assert len(telegram) == 1
    assert telegram[0]["chat_id"] == TELEGRAM_CHAT
    assert SITE in telegram[0]["text"] and PROBLEM in telegram[0]["text"]
    assert not web_server.posted("other")

    assert "EmailAlert... OK" in result.stderr
    assert_no_secret(result.stdout, result.stderr)


def test_healthy_crawl_sends_nothing(
    make_portal: MakePortal, run_cli: RunCli, smtp_server: SmtpServer, web_server: WebServer
) -> None:
    portal = make_portal(SITE)
    result = run_cli(
        "nightly",
        SITE,
        "--base-url",
        portal.base_url,
        *FAST,
        env=alert_env(smtp_server, web_server),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nd-giaothuy: HEALTHY" in result.stdout
    assert "[Spidermon] Run verdict/healthy... OK" in result.stderr
    assert smtp_server.messages == []
    assert web_server.requests == []
    assert_no_secret(result.stdout, result.stderr)


def test_no_alert_settings_no_notification_no_error(
    make_portal: MakePortal, run_cli: RunCli
) -> None:
    portal = make_portal(SITE)
    break_layout(portal)
    result = run_cli("nightly", SITE, "--base-url", portal.base_url, *FAST)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "[Spidermon] Run verdict/healthy... FAIL" in result.stderr
    assert "Alert..." not in result.stderr  # no action configured, none run
    assert "not delivered" not in result.stderr
    assert "alerts:" not in result.stderr  # no warning about half-configured channels
    assert "Traceback" not in result.stderr


def test_undeliverable_alert_is_logged_masked(
    make_portal: MakePortal,
    run_cli: RunCli,
    smtp_server: SmtpServer,
    web_server: WebServer,
    tmp_path: Path,
) -> None:
    """A channel that fails (here a Bot API that answers 401 and quotes the token) is logged,
    masked; the other channels still deliver; the crawl's exit code does not change."""
    portal = make_portal(SITE)
    break_layout(portal)
    log_file = tmp_path / "nightly.log"
    env = alert_env(smtp_server, web_server, telegram_api=web_server.base_url + "/refuse")
    result = run_cli(
        "nightly", SITE, "--base-url", portal.base_url, *FAST, "-s", f"LOG_FILE={log_file}", env=env
    )
    assert result.returncode == 2, result.stderr[-3000:]
    log = log_file.read_text(encoding="utf-8")
    assert len(smtp_server.messages) == 1
    assert len(web_server.posted("slack")) == 1
    assert "TelegramAlert... ERROR" in log
    assert "telegram alert not delivered: HTTP 401" in log
    assert "Unauthorized /refuse/bot***/sendMessage" in log
    assert "Traceback" not in log  # a channel down is a logged fact, not a crash
    assert_no_secret(result.stdout, result.stderr, log)
