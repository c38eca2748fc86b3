"""Spidermon monitors over each site's run, their alert actions, and the alert command.

**Monitors.** Spidermon (the Scrapy ecosystem's monitoring framework) runs
:class:`RunMonitorSuite` when each site's spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS`` in
``crawler/settings.py``). Its monitors read the run report that
:class:`crawler.extensions.RunReportExtension` builds (stats key ``gov/run_report``): the verdict
must be ``healthy``, every field must reach the profile's ``[expect]`` coverage, and the finish
reason must be ``finished``. Signal handlers run in the order the extensions connected them, so
Spidermon is listed after the report extension; should the report not be in the stats yet all
the same, the monitors build it with the extension's own code (:func:`crawler.alerts.run_report`),
so the verdict is never computed in two ways. The CLI's verdict and exit codes do not change.

**Actions.** When a monitor fails, one action per configured channel (e-mail, Slack, Telegram;
``GOV_ALERT_*``) sends the site's alert through :mod:`crawler.alerts`. Nothing configured: no
action, no message. A channel that fails is reported by Spidermon as that action's error, in one
masked line.

**Outside a crawl.** ``python -m crawler.monitors notify --exit-code N`` sends the alert for a
whole run (cron: ``deploy/cron-nightly.sh``; systemd: ``--unit %i`` in
``deploy/gov-crawler-alert@.service``); with no channel configured it prints the alert (the cron
script keeps it in ``logs/alerts.log``). ``python -m crawler.monitors test`` sends a test alert
to every configured channel.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import Any

from spidermon import Action, Monitor, MonitorSuite, monitors

from crawler import alerts
from crawler.alerts import EMAIL, SLACK, TELEGRAM, AlertConfig, AlertError

# Spidermon runs monitors as unittest test cases and logs a failure with its traceback; like
# unittest's own assert helpers, this module's frames are left out, so a failed monitor logs
# its finding ("AssertionError: nd-giaothuy UNHEALTHY: coverage ...") and no traceback. The
# checks themselves are in crawler/alerts.py: a bug there still shows its frames.
__unittest = True

logger = logging.getLogger("crawler.monitors")  # also under python -m

# Spidermon's result log goes through Spider.log(), which Scrapy deprecates: not our warning
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", module=r"spidermon\.")


class _ReportMonitor(Monitor):
    """Monitors that read the run report; the message they fail with goes into the alert."""

    alert_message: str | None = None

    def report(self) -> dict[str, Any]:
        report = alerts.run_report(self.data)
        if report is None:
            self.skipTest("no run report (RunReportExtension is off)")
        return report  # type: ignore[return-value]  # skipTest raises

    def check(self, problem: str | None) -> None:
        if problem:
            self.alert_message = problem
            self.fail(problem)


@monitors.name("Run verdict")
class VerdictMonitor(_ReportMonitor):
    """The site's run verdict (crawler/extensions.py verdict_for) is healthy."""

    @monitors.name("healthy")
    def test_verdict_is_healthy(self) -> None:
        self.check(alerts.verdict_problem(self.report()))


@monitors.name("Field coverage")
class FieldCoverageMonitor(_ReportMonitor):
    """Every field reaches the coverage the site's profile expects (``[expect] coverage``)."""

    @monitors.name("at or above the profile's thresholds")
    def test_field_coverage(self) -> None:
        expect = getattr(getattr(self.data.get("spider"), "profile", None), "expect", None)
        self.check("; ".join(alerts.coverage_problems(self.report(), expect)))


@monitors.name("Finish reason")
class FinishReasonMonitor(_ReportMonitor):
    """The spider closed because it had finished (not a timeout, a signal, an error limit)."""

    @monitors.name("finished")
    def test_finish_reason(self) -> None:
        reason = self.data["stats"].get("finish_reason") or self.report().get("finish_reason")
        self.check(alerts.finish_problem(reason))


class _AlertAction(Action):
    """Send the site's alert on one channel (the subclasses name it)."""

    channel = ""

    def __init__(self, config: AlertConfig | None = None) -> None:
        super().__init__()
        self.config = config or AlertConfig()

    @classmethod
    def from_crawler(cls, crawler: Any) -> _AlertAction:
        return cls(AlertConfig.from_settings(crawler.settings))

    def failures(self) -> list[tuple[str, str]]:
        found = []
        for item in self.result.monitors_failed_results:
            monitor = item.item
            message = getattr(monitor, "alert_message", None)
            if not message:
                lines = str(item.error or "").strip().splitlines()
                message = lines[-1] if lines else "failed"
            found.append((str(getattr(monitor, "name", monitor)), message))
        return found

    def run_action(self) -> None:
        report = alerts.run_report(self.data) or {
            "site_id": getattr(self.data.get("spider"), "site_id", "?"),
            "verdict": "?",
            "finish_reason": self.data["stats"].get("finish_reason"),
        }
        alerts.send(self.config, alerts.site_alert(report, self.failures()), self.channel)

    def run(self, result: Any, data: Any) -> None:
        """Spidermon's ``Action.run``, with errors reported in one masked line: a channel down
        is a fact to log, not a crash (and its exception may quote a secret)."""
        self.result, self.data = result, data
        result.start_action(self)
        try:
            self.run_action()
        except AlertError as exc:
            result.add_action_error(self, str(exc))
        except Exception:  # noqa: BLE001 (a bug here: its traceback, masked)
            result.add_action_error(self, self.config.mask(traceback.format_exc()))
        else:
            result.add_action_success(self)


class EmailAlert(_AlertAction):
    channel = EMAIL


class SlackAlert(_AlertAction):
    channel = SLACK


class TelegramAlert(_AlertAction):
    channel = TELEGRAM


ACTIONS: dict[str, type[_AlertAction]] = {
    EMAIL: EmailAlert,
    SLACK: SlackAlert,
    TELEGRAM: TelegramAlert,
}


class RunMonitorSuite(MonitorSuite):
    """Run at each site's ``spider_closed``; on a failure, one alert per configured channel."""

    monitors = [VerdictMonitor, FieldCoverageMonitor, FinishReasonMonitor]

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any) -> None:
        actions: list[type[_AlertAction]] = []
        if crawler is not None:
            try:
                config = AlertConfig.from_settings(crawler.settings)
            except ValueError as exc:  # a bad port or security mode: say so, crawl on
                logger.error("alerts disabled, bad GOV_ALERT_* setting: %s", exc)
                config = AlertConfig()
            for note in config.incomplete():
                logger.warning("alerts: %s; that channel sends nothing", note)
            actions = [ACTIONS[channel] for channel in config.channels()]
        kwargs.setdefault("monitors_failed_actions", actions)
        super().__init__(*args, crawler=crawler, **kwargs)


# -- the command -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.monitors",
        description="Send gov-crawler alerts (GOV_ALERT_* settings).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("notify", help="alert that a nightly run failed (cron, systemd OnFailure=)")
    p.add_argument("--exit-code", type=int, help="the nightly command's exit code")
    p.add_argument("--unit", help="the failed systemd unit (%%i in gov-crawler-alert@.service)")
    p.add_argument(
        "--log",
        action="append",
        default=[],
        metavar="FILE",
        help="add the last lines of this log file (repeatable)",
    )
    p.add_argument("--lines", type=int, default=20, help="lines of each log or journal (20)")
    p.add_argument(
        "-s",
        dest="set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="setting override, e.g. -s GOV_ALERT_SMTP_TO=ops@example.org",
    )
    p.set_defaults(func=alerts.cmd_notify)
    p = sub.add_parser("test", help="send a test alert on every configured channel")
    p.add_argument(
        "-s", dest="set", action="append", default=[], metavar="NAME=VALUE", help="setting override"
    )
    p.set_defaults(func=alerts.cmd_test)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
