"""The ``export``, ``report`` and ``clusters`` commands, through the real CLI entry point."""

from __future__ import annotations

import argparse
import json

import pytest

from crawler.cli_analytics import cmd_clusters, cmd_export, cmd_report, register


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler")
    register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_export_csv_to_a_file(crawled_dir, tmp_path, run_in):
    out = tmp_path / "gt.csv"
    result = run_in(crawled_dir, "export", "--format", "csv", "--site", "nd-giaothuy",
                      "--fields", "title,views,published_at", "--bom", "--since", "2021-01-14",
                      "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "exported 3 articles" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftitle,views,published_at\r\n")
    assert raw.decode("utf-8-sig").count("\r\n") == 4
    assert "Hội nghị trực tuyến công tác Dân vận năm 2021,137,2021-03-15T10:20:00+07:00" in raw.decode()


def test_export_jsonl_to_stdout_with_repeated_sites(crawled_dir, run_in):
    result = run_in(crawled_dir, "export", "--site", "nd-giaothuy", "--site", "hn-sotttt",
                      "--fields", "site_id")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 9 and {r["site_id"] for r in rows} == {"nd-giaothuy", "hn-sotttt"}


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "15/03/2021"], "expected a date YYYY-MM-DD"),
    (["--fields", "title,secret"], "unknown field(s) secret"),
    (["--bom"], "--bom is for --format csv"),
    (["--since", "2021-03-02", "--until", "2021-03-01"], "--since is after --until"),
])
def test_export_usage_errors_exit_1_and_write_nothing(crawled_dir, tmp_path, run_in, args, message):
    out = tmp_path / "x.jsonl"
    result = run_in(crawled_dir, "export", *args, "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr
    assert not out.exists()


def test_report_command(crawled_dir, tmp_path, run_in):
    out = tmp_path / "report.html"
    result = run_in(crawled_dir, "report", "--site", "hn-sotttt", "--since", "2010-01-01",
                      "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    html = out.read_text(encoding="utf-8")
    assert "Cuộc thi viết thư quốc tế UPU" in html and "sites: hn-sotttt" in html
    assert run_in(crawled_dir, "report").returncode == 1  # --out is required


def test_clusters_command(crawled_copy, run_in):
    result = run_in(crawled_copy, "clusters")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "0 republication clusters, 0 across portals" in result.stdout


def test_unreachable_store_exits_3(tmp_path, run_in):
    result = run_in(tmp_path, "export",
                      MONGO_URI="mongodb://u:topsecret@127.0.0.1:1/db?serverSelectionTimeoutMS=300")
    assert result.returncode == 3
    assert "store unavailable" in result.stderr and "topsecret" not in result.stderr


def test_handlers_called_directly(crawled_copy, tmp_path, monkeypatch, capsys):
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
