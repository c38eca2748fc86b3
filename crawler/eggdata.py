"""The bundled data files when the crawler runs from a zipped egg (Scrapyd).

``scrapyd-deploy`` packs the project as an egg, and Scrapyd puts that zip file itself on the job's
``sys.path``: the modules import, but ``Path(__file__).parent / "sites.csv"`` is a path *inside*
the zip, which no ``open()`` can read. So when ``crawler`` is imported from a zip,
:func:`use_egg_data` extracts the package's data files (profiles, registry, mini portals) once
into a per-user cache folder keyed by the egg's content, and points the loaders at them through
their usual environment variables (``CRAWLER_PROFILES_DIR``, ``CRAWLER_REGISTRY``) unless the
operator set those. Installed normally (``pip install``, a checkout) it does nothing.

Called from :mod:`crawler.settings`, the module Scrapyd's runner loads before any spider.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
import zipimport
from pathlib import Path

import crawler

CACHE_ENV = "CRAWLER_EGG_CACHE"  # default: $XDG_CACHE_HOME/gov-crawler/egg-data


def egg_archive() -> Path | None:
    """The zip file ``crawler`` was imported from, or ``None`` when it is on disk."""
    spec = crawler.__spec__
    loader = spec.loader if spec else None
    if isinstance(loader, zipimport.zipimporter):
        return Path(loader.archive)
    return None


def _cache_root() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gov-crawler" / "egg-data"


def extract_data(archive: Path, cache_root: Path | None = None) -> Path:
    """Extract every non-Python file under ``crawler/`` in ``archive``; returns the folder that
    holds the extracted ``crawler/`` tree. Safe when several jobs start at once."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:20]
    root = cache_root or _cache_root()
    target = root / digest
    if (target / "crawler").is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{digest}.", dir=root))
    try:
        with zipfile.ZipFile(archive) as egg:
            for name in egg.namelist():
                if name.startswith("crawler/") and not name.endswith(("/", ".py", ".pyc")):
                    egg.extract(name, staging)  # zipfile drops ".." and absolute parts
        (staging / "crawler").mkdir(exist_ok=True)
        try:
            staging.rename(target)
        except OSError:  # another job extracted the same egg first
            if not (target / "crawler").is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def use_egg_data() -> Path | None:
    """When running from a zipped egg: extract its data and set the loaders' environment
    variables (the operator's own values win). Returns the extracted folder, else ``None``."""
    archive = egg_archive()
    if archive is None:
        return None
    target = extract_data(archive)
    os.environ.setdefault("CRAWLER_PROFILES_DIR", str(target / "crawler" / "profiles"))
    os.environ.setdefault("CRAWLER_REGISTRY", str(target / "crawler" / "registry" / "sites.csv"))
    return target
