"""crawler/eggdata.py: the data files of a zipped egg, extracted once (no Scrapyd needed)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from crawler.eggdata import egg_archive, extract_data, use_egg_data


def _egg(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as egg:
        egg.writestr("crawler/__init__.py", "")
        egg.writestr("crawler/profiles/cms/vnportal.toml", 'id = "vnportal"\n')
        egg.writestr("crawler/registry/sites.csv", "id,name\n")
        egg.writestr("spiders/portal.py", "")
        egg.writestr("EGG-INFO/PKG-INFO", "")
    return path


def test_checkout_is_not_an_egg() -> None:
    assert egg_archive() is None
    assert use_egg_data() is None


def test_extracts_data_files_once_per_egg(tmp_path: Path) -> None:
    egg = _egg(tmp_path / "r1.egg")
    cache = tmp_path / "cache"
    root = extract_data(egg, cache)
    assert (root / "crawler/profiles/cms/vnportal.toml").read_text() == 'id = "vnportal"\n'
    assert (root / "crawler/registry/sites.csv").is_file()
    assert not (root / "crawler/__init__.py").exists()  # code stays in the egg
    assert not (root / "spiders").exists() and not (root / "EGG-INFO").exists()
    assert extract_data(egg, cache) == root  # cached
    assert [p.name for p in cache.iterdir()] == [root.name]  # no staging folder left

    other = _egg(tmp_path / "r2.egg")
    with zipfile.ZipFile(other, "a") as egg_file:
        egg_file.writestr("crawler/profiles/sites/x/y.toml", "")
    assert extract_data(other, cache) != root  # another egg, another folder
