"""Canonical article URLs: w3lib canonicalisation plus the profile's parameter stripping."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# session ids servers write into links (Java's ";jsessionid=" path parameter, PHP's and classic
# ASP's query parameters): one article would get a new id with every session
_SESSION_PATH = re.compile(r";jsessionid=[^/?#;]*", re.IGNORECASE)
_SESSION_PARAMS = ("jsessionid", "phpsessid", "aspsessionid*", "sessionid")


def drop_session_path(url: str) -> str:
    """``url`` without a servlet's ``;jsessionid=…`` path parameter (links rewritten per
    session: the same article must be one link)."""
    return _SESSION_PATH.sub("", url) if ";" in url else url


def canonicalize(url: str, strip_params: list[str] | tuple[str, ...] = ()) -> str:
    """Sorted query, no fragment, no session ids (``;jsessionid=…``, ``PHPSESSID``), no
    profile-stripped parameters, lower-case host.

    ``strip_params`` are glob patterns (``p_p_col_*``) from the profile's ``[urls]`` table.
    The scheme is kept: a portal that moved to https gets the same id through its redirect.
    """
    parts = urlsplit(drop_session_path(url))
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not any(fnmatchcase(k, pat) for pat in strip_params)
        and not any(fnmatchcase(k.lower(), pat) for pat in _SESSION_PARAMS)
    ]
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80)
        or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    rebuilt = urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)
