"""GOV_ALERT_* settings: which channels are on, and secrets masked in everything printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler.alerts import AlertConfig
from tests.alerts.conftest import (
    SLACK_PATH,
    SMTP_PASSWORD,
    TELEGRAM_TOKEN,
    SmtpServer,
    WebServer,
    alert_env,
    assert_no_secret,
)

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_configured_means_no_channel() -> None:
    config = AlertConfig.from_settings({})
    assert config.channels() == [] and config.incomplete() == []


def test_channels_and_half_configured_ones() -> None:
    config = AlertConfig.from_settings(
        {
            "GOV_ALERT_SMTP_HOST": "smtp.example.org",
            "GOV_ALERT_SMTP_TO": "a@x.vn; b@x.vn",
            "GOV_ALERT_SLACK_WEBHOOK": "https://hooks.slack.com" + SLACK_PATH,
            "GOV_ALERT_TELEGRAM_TOKEN": TELEGRAM_TOKEN,  # no chat id
        }
    )
    assert config.channels() == ["email", "slack"]
    assert config.smtp_to == ("a@x.vn", "b@x.vn")
    assert config.incomplete() == [
        "Telegram needs GOV_ALERT_TELEGRAM_TOKEN and GOV_ALERT_TELEGRAM_CHAT_ID"
    ]
    assert config.describe() == [
        "e-mail: smtp.example.org:587 (starttls) -> a@x.vn, b@x.vn",
        "slack: webhook at hooks.slack.com",
    ]


def test_bad_security_mode_is_an_error() -> None:
    with pytest.raises(ValueError, match="GOV_ALERT_SMTP_SECURITY"):
        AlertConfig.from_settings({"GOV_ALERT_SMTP_SECURITY": "tls"})


def test_mask_hides_every_secret_however_quoted() -> None:
    webhook = "https://hooks.slack.com" + SLACK_PATH
    config = AlertConfig.from_settings(
        {
            "GOV_ALERT_SMTP_PASSWORD": SMTP_PASSWORD,
            "GOV_ALERT_SLACK_WEBHOOK": webhook,
            "GOV_ALERT_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "MONGO_URI": "mongodb://crawler:m0ngoPass@db.example.org/govnews",
        }
    )
    text = (
        f"login {SMTP_PASSWORD} to {webhook}, path {SLACK_PATH}, "
        f"https://api.telegram.org/bot{TELEGRAM_TOKEN}/sendMessage, "
        f"quoted {TELEGRAM_TOKEN.replace(':', '%3A')}, "
        "mongodb://crawler:m0ngoPass@db.example.org/govnews, bare m0ngoPass"
    )
    masked = config.mask(text)
    assert_no_secret(masked)
    assert "m0ngoPass" not in masked and TELEGRAM_TOKEN.replace(":", "%3A") not in masked
    assert "https://api.telegram.org/bot***/sendMessage" in masked


def test_test_command_sends_a_test_alert(
    smtp_server: SmtpServer, web_server: WebServer, tmp_path: Path
) -> None:
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("GOV_ALERT_")}
    env.update(alert_env(smtp_server, web_server), CRAWLER_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-m", "crawler.monitors", "test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "e-mail: 127.0.0.1:" in done.stdout and "slack: webhook at 127.0.0.1:" in done.stdout
    assert len(smtp_server.messages) == 1 and "test alert" in smtp_server.messages[0]["Subject"]
    assert len(web_server.posted("slack")) == 1 and len(web_server.posted("telegram")) == 1
    assert_no_secret(done.stdout, done.stderr)
