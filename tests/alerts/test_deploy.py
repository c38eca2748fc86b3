"""deploy/: the systemd units (verified by systemd-analyze where it exists), the alert unit's
command, and the cron script, whose alert needs no `mail`: a local SMTP server receives it."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.storage import open_store
from tests.alerts.conftest import TELEGRAM_TOKEN, SmtpServer, WebServer, alert_env, assert_no_secret

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("gov-crawler.service", "gov-crawler.timer", "gov-crawler-alert@.service")
PREFIX = "/srv/gov-crawler"
STUB_LINE = "nd-giaothuy: UNHEALTHY listing=2 article=5 new=5 (coverage title 0% < 100%)"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOV_ALERT_", "MONITOR_", "MONGO_URI"))
    }
    env.update({"CRAWLER_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT), **extra})
    return env


# -- systemd -------------------------------------------------------------------------------------
def test_units_put_onfailure_in_unit_and_alert_through_the_notifier() -> None:
    service = unit("gov-crawler.service")
    assert service["Unit"]["OnFailure"] == "gov-crawler-alert@%n.service"
    assert "OnFailure" not in service["Service"]
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith("-m crawler nightly --all")
    assert "SuccessExitStatus" not in service["Service"]  # exit 2..5 must fail the unit
    assert unit("gov-crawler.timer")["Install"]["WantedBy"] == "timers.target"
    alert = unit("gov-crawler-alert@.service")
    assert alert["Service"]["ExecStart"].endswith("-m crawler.monitors notify --unit %i")


def test_systemd_analyze_verify_is_clean(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze not installed (Debian package systemd)")
    # the units as installed, with /srv/gov-crawler here: verify checks ExecStart's binary
    home = tmp_path / "home"
    (home / ".venv" / "bin").mkdir(parents=True)
    (home / ".venv" / "bin" / "python").symlink_to(sys.executable)
    units = tmp_path / "units"
    units.mkdir()
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(PREFIX, str(home))
        (units / name).write_text(text, encoding="utf-8")
    names = [*UNITS, "gov-crawler-alert@gov-crawler.service.service"]
    done = subprocess.run(
        [analyze, "verify", *names],
        cwd=units,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "" and done.stderr.strip() == "", done.stdout + done.stderr


def test_alert_unit_command_mails_the_failed_run(smtp_server: SmtpServer, tmp_path: Path) -> None:
    """The alert unit's ExecStart, run as systemd would after gov-crawler.service exited 2."""
    store = open_store(None, tmp_path / "data")
    store.record_run(
        {
            "run_id": "R42",
            "site_id": "nd-giaothuy",
            "verdict": "unhealthy",
            "problems": ["coverage published_at 40% < 90%"],
            "started_at": datetime.now(UTC),
            "pages": {"listing": 2, "article": 5},
            "articles": {"new": 5},
            "errors": {},
        }
    )
    store.close()
    command = shlex.split(unit("gov-crawler-alert@.service")["Service"]["ExecStart"])
    assert command[0] == f"{PREFIX}/.venv/bin/python"
    command = [sys.executable, *command[1:-1], "gov-crawler.service"]  # %i
    env = base_env(
        tmp_path,
        MONITOR_EXIT_STATUS="2",
        MONITOR_EXIT_CODE="exited",
        MONITOR_SERVICE_RESULT="exit-code",
        **alert_env(smtp_server),
    )
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(smtp_server.messages) == 1, done.stderr
    mail = smtp_server.messages[0]
    body = smtp_server.bodies()[0]
    assert "gov-crawler.service" in mail["Subject"]
    assert "exit 2 (at least one site unhealthy)" in mail["Subject"]
    assert "service_result=exit-code" in body
    assert "nd-giaothuy: UNHEALTHY" in body and "coverage published_at 40% < 90%" in body
    assert_no_secret(done.stdout, done.stderr)


# -- cron ----------------------------------------------------------------------------------------
def run_cron(
    tmp_path: Path, exit_code: int, env_file: dict[str, str] | None = None, **env: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """deploy/cron-nightly.sh with a stub crawl command that prints a summary line and exits
    ``exit_code``; the alert settings come from an env file, as ``.env`` in production."""
    stub = tmp_path / "stub-nightly"
    stub.write_text(
        f'#!/bin/sh\necho "{STUB_LINE}"\necho "stub args: $*"\nexit {exit_code}\n', encoding="utf-8"
    )
    stub.chmod(0o755)
    dot_env = tmp_path / "env"
    dot_env.write_text(
        "".join(f"{k}={shlex.quote(v)}\n" for k, v in (env_file or {}).items()), encoding="utf-8"
    )
    logs = tmp_path / "logs"
    done = subprocess.run(
        ["bash", str(DEPLOY / "cron-nightly.sh"), "--all"],
        env=base_env(
            tmp_path,
            GOV_CRAWLER_NIGHTLY=str(stub),
            GOV_CRAWLER_PYTHON=sys.executable,
            GOV_CRAWLER_LOG_DIR=str(logs),
            GOV_CRAWLER_ENV_FILE=str(dot_env),
            **env,
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done, logs


def test_cron_script_mails_a_failed_night_without_mail(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    done, logs = run_cron(tmp_path, 2, alert_env(smtp_server))
    assert done.returncode == 2, done.stderr  # the crawl's exit code, for cron's own records
    assert len(smtp_server.messages) == 1, (logs / "alerts.log").read_text()
    mail = smtp_server.messages[0]
    body = smtp_server.bodies()[0]
    assert "exit 2 (at least one site unhealthy)" in mail["Subject"]
    assert STUB_LINE in body  # this night's output
    assert mail["X-Envelope-To"] == "ops@example.org, oncall@example.org"
    summary = (logs / "summary.log").read_text()
    assert STUB_LINE in summary
    assert f"--all -s LOG_FILE={logs}/nightly-" in summary
    alerts = (logs / "alerts.log").read_text()
    assert "alert sent by email" in alerts
    assert_no_secret(done.stdout, done.stderr, alerts, summary)


def test_cron_script_without_channels_keeps_the_alert_in_its_log(tmp_path: Path) -> None:
    done, logs = run_cron(tmp_path, 3)
    assert done.returncode == 3
    alerts = (logs / "alerts.log").read_text()
    assert "no channel configured" in alerts
    assert "exit 3 (store unreachable)" in alerts
    assert STUB_LINE in alerts
    assert "Traceback" not in alerts


def test_cron_script_success_sends_nothing(smtp_server: SmtpServer, tmp_path: Path) -> None:
    done, logs = run_cron(tmp_path, 0, alert_env(smtp_server))
    assert done.returncode == 0
    assert smtp_server.messages == []
    assert not (logs / "alerts.log").exists()
    assert STUB_LINE in (logs / "summary.log").read_text()


def test_cron_script_masks_a_failing_channel(
    smtp_server: SmtpServer, web_server: WebServer, tmp_path: Path
) -> None:
    env = alert_env(smtp_server, web_server, telegram_api=web_server.base_url + "/refuse")
    done, logs = run_cron(tmp_path, 4, env)
    assert done.returncode == 4
    alerts = (logs / "alerts.log").read_text()
    assert len(smtp_server.messages) == 1 and len(web_server.posted("slack")) == 1
    assert "telegram alert not delivered: HTTP 401" in alerts
    assert "alert not fully delivered (notifier exit 1)" in alerts
    assert TELEGRAM_TOKEN not in alerts
    assert_no_secret(done.stdout, done.stderr, alerts)
