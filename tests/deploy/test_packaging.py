"""`pip install .` gives a working `gov-crawler`: the wheel carries the three packages and their
data (profiles, registry, mini portals) and no tests; installed in a fresh venv it runs from any
folder, with nothing of the checkout on its path."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.deploy.support import clean_env

pytestmark = pytest.mark.deploy

SEED = "tests/fixtures/pages/nd-giaothuy/2021-03-hoi-nghi-dan-van"
SEED_URL = (
    "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-truc-tuyen-cong-tac-dan-van-nam-2021-37511"
)
DATA_DIRS = ("crawler/profiles", "crawler/registry", "crawler/miniportal/sites")


def _run(
    cmd: list[str | Path], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(source_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip wheel .`` as ``pip install .`` builds it (isolated build, setuptools from PyPI)."""
    out = tmp_path_factory.mktemp("wheel")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, "."],
        cwd=source_tree,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
    (path,) = out.glob("gov_crawler-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the wheel; the dependencies come from this venv's
    site-packages through a ``.pth`` line (no download; its ``.pth`` files are not run, so an
    editable install of the checkout there stays invisible)."""
    root = tmp_path_factory.mktemp("venv") / "v"
    made = _run([sys.executable, "-m", "venv", root], cwd=root.parent)
    assert made.returncode == 0, made.stderr
    (site,) = root.glob("lib/python3*/site-packages")
    (site / "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run(
        [root / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", wheel], cwd=root.parent
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return root


def test_wheel_carries_the_packages_and_their_data_but_no_tests(
    wheel: Path, source_tree: Path
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names if not n.startswith("gov_crawler-")}
    assert tops == {"crawler", "spiders", "pipelines"}
    data = {
        p.relative_to(source_tree).as_posix()
        for d in DATA_DIRS
        for p in (source_tree / d).rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc")
    }
    assert {
        "crawler/profiles/cms/vnportal.toml",
        "crawler/profiles/sites/nam-dinh/giao-thuy.toml",
        "crawler/registry/sites.csv",
        "crawler/miniportal/sites/nd-giaothuy/routes.json",
        "crawler/miniportal/sites/vhv/sitemap.xml",
    } <= data
    assert data - names == set(), "data files missing from the wheel"
    entry_points = zipfile.ZipFile(wheel).read("gov_crawler-0.1.0.dist-info/entry_points.txt")
    assert "gov-crawler = crawler.cli:main" in entry_points.decode()


def test_installed_package_is_imported_from_site_packages(venv: Path, tmp_path: Path) -> None:
    code = "import crawler, spiders, pipelines; print(crawler.__file__)"
    result = _run([venv / "bin" / "python", "-c", code], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(venv)


def test_console_script_extracts_and_validates_from_any_folder(
    venv: Path, source_tree: Path, tmp_path: Path
) -> None:
    page = source_tree / SEED / "page.html"
    result = _run([venv / "bin" / "gov-crawler", "extract", page, "--url", SEED_URL], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    article = json.loads(result.stdout.splitlines()[0])
    expected = json.loads((source_tree / SEED / "expected.json").read_text(encoding="utf-8"))
    assert article["site"] == "nd-giaothuy"
    assert (article["cms"], article["title"]) == (expected["cms"], expected["title"])
    assert article["author"] == "Hoàng Mai" and article["views"] == 137

    validated = _run([venv / "bin" / "gov-crawler", "sites", "validate"], cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout[-2000:] + validated.stderr[-3000:]


def test_demo_runs_from_any_folder(venv: Path, tmp_path: Path) -> None:
    """The issue's check: `gov-crawler demo` outside the checkout serves the packaged mini
    portals and stores under ./data of the current folder."""
    result = _run([venv / "bin" / "gov-crawler", "demo"], cwd=tmp_path, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "nd-giaothuy: 5 articles" in result.stdout
    assert "hn-sotttt: 4 articles" in result.stdout
    assert (tmp_path / "data").is_dir()
