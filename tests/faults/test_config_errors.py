"""Every configuration mistake is one line naming the setting or argument, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixturetypes import RunCli

CASES = [
    (
        ["-s", "CONCURRENT_REQUESTS=abc"],
        "setting CONCURRENT_REQUESTS: expected an integer, got 'abc'",
    ),
    (["-s", "DOWNLOAD_TIMEOUT=-5"], "setting DOWNLOAD_TIMEOUT: must not be negative, got '-5'"),
    (["-s", "DOWNLOAD_DELAY=soon"], "setting DOWNLOAD_DELAY: expected a number, got 'soon'"),
    (["-s", "GOV_PROFILE_DELAYS=maybe"], "setting GOV_PROFILE_DELAYS: expected True or False"),
    (
        ["-s", "LOG_FILE=/nonexistent/folder/x.log"],
        "setting LOG_FILE: folder '/nonexistent/folder'",
    ),
    (["-s", "NOEQUALS"], "-s expects NAME=VALUE"),
    (["--base-url", "notaurl"], "--base-url: expected an http(s) URL with a host, got 'notaurl'"),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[c[1].split(":")[0] for c in CASES])
def test_one_line_exit_1(run_cli: RunCli, args: list[str], message: str) -> None:
    result = run_cli("crawl", "nd-giaothuy", *args)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_start_url_that_is_not_a_url(run_cli: RunCli) -> None:
    result = run_cli("crawl", "--start-url", "notaurl")
    assert result.returncode == 1 and "--start-url: expected an http(s) URL" in result.stderr


def test_data_folder_that_is_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    result = run_cli("crawl", "nd-giaothuy", env={"CRAWLER_DATA_DIR": str(afile)})
    assert result.returncode == 1, result.stderr[-2000:]
    assert "is a file, not a folder" in result.stderr and "Traceback" not in result.stderr


def test_a_cms_family_given_as_a_site(run_cli: RunCli) -> None:
    result = run_cli("crawl", "vnportal")
    assert result.returncode == 1
    assert "'vnportal' is a CMS family, not a site" in result.stderr
