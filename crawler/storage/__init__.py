"""Open the store: a real MongoDB when ``MONGO_URI`` is set, else the embedded on-disk store.

An unreachable MongoDB raises :class:`StoreUnavailable` at once; it never falls back to the
embedded store. Credentials in the URI are masked in every message (:func:`mask_uri`).
"""

from __future__ import annotations

import fcntl
import logging
import re
import sqlite3
from pathlib import Path
from typing import Any

from crawler.exceptions import StoreUnavailable
from crawler.storage.store import ArticleStore, WriteResult

logger = logging.getLogger(__name__)

DEFAULT_DB = "govnews"
_CREDENTIALS = re.compile(r"(mongodb(?:\+srv)?://)([^@/\s]+)@")

__all__ = ["DEFAULT_DB", "ArticleStore", "WriteResult", "mask_secrets", "mask_uri", "open_store"]


def mask_uri(uri: str) -> str:
    """``mongodb://user:pass@host/db`` -> ``mongodb://***@host/db``."""
    return _CREDENTIALS.sub(r"\1***@", uri)


def mask_secrets(text: str, uri: str | None = None) -> str:
    """Mask any credential-bearing URI in ``text``, and the raw password of ``uri`` if given."""
    text = mask_uri(text)
    if uri:
        match = _CREDENTIALS.search(uri)
        if match:
            userinfo = match.group(2)
            password = userinfo.split(":", 1)[1] if ":" in userinfo else ""
            for secret in (userinfo, password):
                if len(secret) >= 3:
                    text = text.replace(secret, "***")
    return text


def _open_mongo(uri: str, db_name: str, timeout_ms: int) -> ArticleStore:
    from pymongo import MongoClient
    from pymongo.errors import ConfigurationError, PyMongoError

    masked = mask_uri(uri)
    try:
        client: MongoClient[dict[str, Any]] = MongoClient(
            uri,
            tz_aware=True,
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            appname="gov-crawler",
        )
        client.admin.command("ping")
    except (PyMongoError, ConfigurationError, ValueError) as exc:
        raise StoreUnavailable(
            f"MongoDB unreachable at {masked}: {mask_secrets(str(exc), uri)}"
        ) from None
    db = client.get_default_database(default=db_name)
    return ArticleStore(db, f"MongoDB {masked} (database {db.name})", embedded=False)


def _open_embedded(data_dir: Path, db_name: str) -> ArticleStore:
    import litemongo

    path = data_dir.expanduser().resolve() / "store"
    try:
        path.mkdir(parents=True, exist_ok=True)
        client = litemongo.connect(str(path), tz_aware=True)
    except OSError as exc:
        raise StoreUnavailable(f"embedded store at {path} cannot be opened: {exc}") from None
    return ArticleStore(client[db_name], f"embedded store {path} (database {db_name})", True)


def open_store(
    uri: str | None,
    data_dir: str | Path = "data",
    db_name: str = DEFAULT_DB,
    timeout_ms: int = 5000,
) -> ArticleStore:
    """The configured store, indexes ensured; raises :class:`StoreUnavailable` on failure."""
    if uri:
        return _ensure_indexes(_open_mongo(uri, db_name, timeout_ms), uri)
    # processes opening a fresh embedded store at once race inside litemongo (mkdir of the
    # database folder, the key_format row of each collection file): one at a time
    path = Path(data_dir).expanduser().resolve() / "store"
    try:
        path.mkdir(parents=True, exist_ok=True)
        lock = (path / ".open.lock").open("a")
    except OSError as exc:
        raise StoreUnavailable(f"embedded store at {path} cannot be opened: {exc}") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_indexes(_open_embedded(Path(data_dir), db_name), uri)


def _ensure_indexes(store: ArticleStore, uri: str | None) -> ArticleStore:
    from pymongo.errors import PyMongoError

    try:
        store.ensure_indexes()
    except (PyMongoError, sqlite3.Error, OSError) as exc:
        raise StoreUnavailable(
            f"{store.description}: cannot create indexes: {mask_secrets(str(exc), uri)}"
        ) from None
    return store
