"""Open the store: a real MongoDB when ``MONGO_URI`` is set, else the embedded on-disk store.

An unreachable MongoDB raises :class:`StoreUnavailable` at once; it never falls back to the
embedded store. Secrets in the URI are never shown: a URI is described by its scheme, hosts
and database only (:func:`describe_uri`, ``<unparseable URI>`` when that much cannot be read
safely), and any message is scrubbed of its credentials, of credential-bearing options
(``authMechanismProperties``, ``tlsCertificateKeyFilePassword``...) and, for the configured
URI, of each secret substring however it was written (:func:`mask_secrets`).

A damaged embedded store file is named, with the way to recover (:mod:`crawler.storage.files`).
"""

from __future__ import annotations

import fcntl
import logging
import re
import sqlite3
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

from crawler import config
from crawler.exceptions import StoreUnavailable
from crawler.storage import files
from crawler.storage.store import ArticleStore, WriteResult

logger = logging.getLogger(__name__)

DEFAULT_DB = config.default("GOV_DB_NAME")  # crawler/settings.py
UNPARSEABLE = "<unparseable URI>"
MONGO_SCHEMES = ("mongodb", "mongodb+srv")
# options whose values are credentials (pymongo's, and any name that says so)
SECRET_OPTIONS = (
    "authmechanismproperties",
    "tlscertificatekeyfilepassword",
    "sslpemkeypassword",
    "sslclientcertificatekeypassword",
    "proxypassword",
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "accesskey",
    "access_key",
    "secretkey",
    "secret_key",
)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_HOST = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9._-]*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_DB_NAME = re.compile(r"[A-Za-z0-9_.-]+")
# userinfo in any URI: up to the last @ of the authority; for mongo* schemes, whose passwords
# are often pasted unescaped (@ / ? # in them), up to the last @ of the whole token
_MONGO_USERINFO = re.compile(r"(?i)\b(mongo[a-z0-9+.-]*://)\S*@")
_USERINFO = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#]*@")
_SECRET_OPTION = re.compile(r"(?i)(?<![A-Za-z0-9_])(" + "|".join(SECRET_OPTIONS) + r")(=)[^&\s]*")
_OPTION = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=([^&\s]*)")

__all__ = [
    "DEFAULT_DB",
    "UNPARSEABLE",
    "ArticleStore",
    "WriteResult",
    "describe_uri",
    "mask_secrets",
    "mask_uri",
    "open_store",
]


def describe_uri(uri: str) -> str:
    """What may be shown of a URI: ``mongodb://***@host1,host2/db``.

    Credentials become ``***`` and options are never shown. When the hosts cannot be told
    apart from the rest with certainty (a URI pymongo would reject: a password with an
    unescaped ``/``, no scheme...), nothing of it is shown but ``<unparseable URI>``.
    """
    text = uri.strip()
    match = _SCHEME.match(text)
    if not match:
        return UNPARSEABLE
    rest = text[match.end() :]
    # pymongo's reading: the authority ends at the first /, or at ? when there is no path
    authority, slash, path = rest.partition("/")
    if not slash:
        authority, _, _ = authority.partition("?")
    if "@" in path:  # an @ past the authority: a password cut by an unescaped /, or worse
        return UNPARSEABLE
    _, at, hosts = authority.rpartition("@")
    if not hosts or not all(_HOST.fullmatch(h) for h in hosts.split(",")):
        return UNPARSEABLE
    database = path.partition("?")[0]
    shown = f"{match.group(1)}://{'***@' if at else ''}{hosts}"
    return shown + (f"/{database}" if _DB_NAME.fullmatch(database) else "")


def mask_uri(text: str) -> str:
    """Credentials of every URI in ``text`` (``scheme://user:pass@`` -> ``scheme://***@``) and
    the values of credential options (``tlsCertificateKeyFilePassword=***``)."""
    text = _MONGO_USERINFO.sub(r"\1***@", text)
    text = _USERINFO.sub(r"\1***@", text)
    return _SECRET_OPTION.sub(r"\1\2***", text)


def _uri_secrets(uri: str) -> set[str]:
    """Every substring of ``uri`` that may be a secret, as written and %-decoded."""
    text = uri.strip()
    found: set[str] = set()
    match = _SCHEME.match(text)
    rest = text[match.end() :] if match else text
    if "@" in rest:  # however the password was written, it is before the last @
        userinfo = rest.rpartition("@")[0]
        authority_userinfo = rest.partition("/")[0].rpartition("@")[0]
        for info in (userinfo, authority_userinfo):
            found.add(info)
            found.add(info.partition(":")[2])
            # what a parser that split it elsewhere would show: "ssword" of "u:p@ssword"
            # (the user name alone is no secret, and masking it would garble messages)
            user = info.partition(":")[0]
            found.update(piece for piece in re.split(r"[:@/?#]", info) if piece != user)
    for name, value in _OPTION.findall(text):
        if name.lower() in SECRET_OPTIONS:
            found.add(value)
            for decoded in (unquote(value), unquote_plus(value)):
                found.add(decoded)
                # KEY:value,KEY:value (authMechanismProperties)
                found.update(piece.partition(":")[2] for piece in decoded.split(","))
    if describe_uri(text) == UNPARSEABLE:  # never echo a URI that could not be read, or a part
        found.add(text)
        found.update(re.split(r"[\s:@/?#&=,;]+", text))
    for secret in list(found):
        found.update((unquote(secret), unquote_plus(secret)))
    return {s for s in found if len(s) >= 3}


def mask_secrets(text: str, uri: str | None = None) -> str:
    """:func:`mask_uri`, and every secret substring of ``uri`` (the configured URI) masked."""
    text = mask_uri(text)
    if uri:
        for secret in sorted(_uri_secrets(uri), key=len, reverse=True):
            text = text.replace(secret, "***")
    return text


def _open_mongo(uri: str, db_name: str, timeout_ms: int) -> ArticleStore:
    from pymongo import MongoClient
    from pymongo.errors import ConfigurationError, PyMongoError

    shown = describe_uri(uri)
    scheme = shown.partition("://")[0] if "://" in shown else ""
    if scheme.lower() not in MONGO_SCHEMES:
        raise StoreUnavailable(
            f"MONGO_URI is not a MongoDB URI ({shown}): it must be "
            "mongodb://USER:PASSWORD@HOST[:PORT]/DATABASE (or mongodb+srv://), with the user "
            "name and password %-escaped (urllib.parse.quote_plus)"
        )
    try:
        with warnings.catch_warnings(record=True) as caught:  # "Unknown option ...": one line
            warnings.simplefilter("always")
            client: MongoClient[dict[str, Any]] = MongoClient(
                uri,
                tz_aware=True,
                serverSelectionTimeoutMS=timeout_ms,
                connectTimeoutMS=timeout_ms,
                appname="gov-crawler",
            )
    except (PyMongoError, ConfigurationError, ValueError, TypeError, OSError) as exc:
        raise StoreUnavailable(
            f"MONGO_URI rejected ({shown}): {mask_secrets(str(exc), uri)}"
        ) from None
    for warning in caught:
        logger.warning("MONGO_URI (%s): %s", shown, mask_secrets(str(warning.message), uri))
    try:
        db = client.get_default_database(default=db_name)
        if not db.write_concern.acknowledged:
            raise StoreUnavailable(
                f"MONGO_URI ({shown}) asks for unacknowledged writes (w=0): the crawler must "
                "know what was stored; remove w=0"
            )
        client.admin.command("ping")
    except (PyMongoError, ConfigurationError, ValueError) as exc:
        client.close()
        raise StoreUnavailable(
            f"MongoDB unreachable at {shown}: {mask_secrets(str(exc), uri)}"
        ) from None
    except StoreUnavailable:
        client.close()
        raise
    return ArticleStore(db, f"MongoDB {shown} (database {db.name})", embedded=False)


def _open_embedded(data_dir: Path, db_name: str) -> ArticleStore:
    import litemongo

    path = data_dir.expanduser().resolve() / "store"
    db_dir = path / db_name
    try:
        files.check_files(files.collection_files(db_dir))  # damaged headers: StoreCorrupt
        path.mkdir(parents=True, exist_ok=True)
        client = litemongo.connect(str(path), tz_aware=True)
        db = client[db_name]
        return ArticleStore(db, f"embedded store {path} (database {db_name})", True, db_dir)
    except OSError as exc:
        raise StoreUnavailable(f"embedded store at {path} cannot be opened: {exc}") from None
    except sqlite3.DatabaseError as exc:
        if not files.is_damage(exc):
            raise StoreUnavailable(f"embedded store at {path} cannot be opened: {exc}") from None
        raise files.explain(db_dir, exc) from None


def open_store(
    uri: str | None,
    data_dir: str | Path = "data",
    db_name: str = DEFAULT_DB,
    timeout_ms: int = 5000,
    max_articles: int = 0,
) -> ArticleStore:
    """The configured store, indexes ensured; raises :class:`StoreUnavailable` on failure
    (:class:`files.StoreCorrupt` for a damaged embedded store file). With ``max_articles``,
    an embedded store holding more articles logs the warning of
    :func:`crawler.storage.limits.check_embedded_size`."""
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
        store = _ensure_indexes(_open_embedded(Path(data_dir), db_name), uri)
        store.remember_files()
    if max_articles:
        from crawler.storage.limits import check_embedded_size

        check_embedded_size(path / db_name, max_articles)
    return store


def _ensure_indexes(store: ArticleStore, uri: str | None) -> ArticleStore:
    from pymongo.errors import PyMongoError

    try:
        store.ensure_indexes()  # an SQLite damage error: StoreCorrupt naming the file
    except (PyMongoError, sqlite3.Error, OSError) as exc:
        store.close()
        raise StoreUnavailable(
            f"{store.description}: cannot create indexes: {mask_secrets(str(exc), uri)}"
        ) from None
    except StoreUnavailable:
        store.close()
        raise
    return store
