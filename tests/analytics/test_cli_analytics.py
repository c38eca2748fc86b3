"""The ``export``, ``report`` and ``clusters`` commands, through the real CLI entry point."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from crawler.cli.analytics import cmd_clusters, cmd_export, cmd_report, register
from crawler.storage import ArticleStore
from tests.fixturetypes import RunIn


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler")
    register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_export_csv_to_a_file(crawled_dir: Path, tmp_path: Path, run_in: RunIn) -> None:
    out = tmp_path / "gt.csv"
    result = run_in(
        crawled_dir,
        "export",
        "--format",
        "csv",
        "--site",
        "nd-giaothuy",
        "--fields",
        "title,views,published_at",
        "--bom",
        "--since",
        "2021-01-14",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "exported 3 articles" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftitle,views,published_at\r\n")
    assert raw.decode("utf-8-sig").count("\r\n") == 4
    assert (
        "Hội nghị trực tuyến công tác Dân vận năm 2021,137,2021-03-15T10:20:00+07:00"
        in raw.decode()
    )


def test_export_jsonl_to_stdout_with_repeated_sites(crawled_dir: Path, run_in: RunIn) -> None:
    result = run_in(
        crawled_dir, "export", "--site", "nd-giaothuy", "--site", "hn-sotttt", "--fields", "site_id"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 9 and {r["site_id"] for r in rows} == {"nd-giaothuy", "hn-sotttt"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "15/03/2021"], "expected a date YYYY-MM-DD"),
        (["--fields", "title,secret"], "unknown field(s) secret"),
        (["--bom"], "--bom is for --format csv"),
        (["--since", "2021-03-02", "--until", "2021-03-01"], "--since is after --until"),
    ],
)
def test_export_usage_errors_exit_1_and_write_nothing(
    crawled_dir: Path, tmp_path: Path, run_in: RunIn, args: list[str], message: str
) -> None:
    out = tmp_path / "x.jsonl"
    result = run_in(crawled_dir, "export", *args, "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr
    assert not out.exists()


def test_report_command(crawled_dir: Path, tmp_path: Path, run_in: RunIn) -> None:
    out = tmp_path / "report.html"
    result = run_in(
        crawled_dir, "report", "--site", "hn-sotttt", "--since", "2010-01-01", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    html = out.read_text(encoding="utf-8")
    assert "Cuộc thi viết thư quốc tế UPU" in html and "sites: hn-sotttt" in html
    assert run_in(crawled_dir, "report").returncode == 1  # --out is required


def test_clusters_command(crawled_copy: Path, run_in: RunIn) -> None:
    result = run_in(crawled_copy, "clusters")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "0 republication clusters, 0 across portals" in result.stdout


def test_unreachable_store_exits_3(tmp_path: Path, run_in: RunIn) -> None:
    result = run_in(
        tmp_path,
        "export",
        MONGO_URI="mongodb://u:topsecret@127.0.0.1:1/db?serverSelectionTimeoutMS=300",
    )
    assert result.returncode == 3
    assert "store unavailable" in result.stderr and "topsecret" not in result.stderr


def test_handlers_called_directly(
    crawled_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # crawler.settings read the environment when first imported: set what it read
    monkeypatch.setattr("crawler.settings.GOV_DATA_DIR", str(crawled_copy))
    monkeypatch.setattr("crawler.settings.MONGO_URI", None)
    out = tmp_path / "a.jsonl"
    assert cmd_export(parse("export", "--fields", "title", "--out", str(out))) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 9
    assert cmd_report(parse("report", "--out", str(tmp_path / "r.html"))) == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cmd_report(parse("report", "--out", str(tmp_path / "missing" / "r.html"))) == 1
    assert cmd_clusters(parse("clusters", "--show", "3")) == 0
    assert "republication clusters" in capsys.readouterr().out


# -- unknown site ids are errors, not empty exports ------------------------------------------
@pytest.mark.parametrize("command", ["export", "report"])
def test_unknown_site_is_one_line_and_exit_1(
    crawled_dir: Path, tmp_path: Path, run_in: RunIn, command: str
) -> None:
    out = tmp_path / "out"
    result = run_in(
        crawled_dir, command, "--site", "nd-giaothuy", "--site", "nd-giaothy", "--out", str(out)
    )
    assert result.returncode == 1
    expected = (
        f"{command}: unknown site 'nd-giaothy' (did you mean nd-giaothuy?): no article, "
        "run, profile or registry row has that id (`python -m crawler sites` lists the "
        "registry)"
    )
    assert result.stderr.splitlines() == [expected]
    assert not out.exists()


def test_unknown_site_with_nothing_close_lists_the_stored_sites(
    crawled_dir: Path, run_in: RunIn
) -> None:
    result = run_in(crawled_dir, "export", "--site", "zz-nowhere", "--site", "qq")
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert (
        "unknown sites 'zz-nowhere' (sites in the store: hn-sotttt, nd-giaothuy); "
        "'qq' (sites in the store: hn-sotttt, nd-giaothuy)"
    ) in result.stderr


def test_a_registry_site_not_crawled_yet_exports_nothing_without_error(
    crawled_dir: Path, run_in: RunIn
) -> None:
    result = run_in(
        crawled_dir, "export", "--site", "nb-ubnd", "--site", "nd-giaothuy", "--fields", "site_id"
    )
    assert result.returncode == 0, result.stderr
    assert {json.loads(line)["site_id"] for line in result.stdout.splitlines()} == {"nd-giaothuy"}


def test_sites_known_by_their_runs_or_snapshots_only(store: ArticleStore) -> None:
    from datetime import UTC, datetime

    from crawler.analytics.sites import unknown_sites_problem

    store.crawl_runs.insert_one(
        {
            "site_id": "127.0.0.1:8701",
            "run_id": "r1",
            "started_at": datetime(2026, 1, 1, tzinfo=UTC),
        }
    )
    store.site_stats.insert_one({"site_id": "only-stats", "captured_at": datetime.now(UTC)})
    assert unknown_sites_problem(store, ["127.0.0.1:8701", "only-stats"], configured=()) is None
    assert unknown_sites_problem(store, ["x-registry"], configured={"x-registry"}) is None
    problem = unknown_sites_problem(store, ["only-stat"], configured=())
    assert problem is not None and problem.startswith(
        "unknown site 'only-stat' (did you mean only-stats?)"
    )
