"""A corpus of bad inputs, built from the seed article's real layout (vnPortal).

Each case: the bytes a portal might send, the Content-Type it sends them with, and what must
happen (stored with some fields null, or dropped with a counted reason). Built in code so the
5 MB page is not committed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from crawler.extract.legacy_encodings import to_tcvn3
from crawler.miniportal import SITES_DIR
from tests.helpers import add_listing_links

SEED = (SITES_DIR / "nd-giaothuy" / "article-37511.html").read_text(encoding="utf-8")
TITLE = "Hội nghị trực tuyến công tác Dân vận năm 2021"
HTML = "text/html; charset=utf-8"
TONES = "\u0300\u0301\u0303\u0309\u0323"


@dataclass
class BadCase:
    name: str
    body: bytes
    content_type: str = HTML
    dropped: str | None = None  # the counted drop reason, or None when stored
    null_fields: list[str] = field(default_factory=list)
    stats: list[str] = field(default_factory=list)  # gov/... counters that must be set
    title: str | None = TITLE


def to_cp1258(text: str) -> bytes:
    """windows-1258 keeps base letters precomposed but tones as combining marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            tones = "".join(c for c in parts if c in TONES)
            out.append((base + tones).encode("cp1258", errors="replace"))
    return b"".join(out)


def _sub(old: str, new: str, text: str = SEED) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def build() -> list[BadCase]:
    seed = SEED
    half = seed.encode("utf-8")[: len(seed.encode("utf-8")) * 6 // 10]
    big_para = "<p>" + "Đoạn văn bản rất dài của một văn bản hành chính. " * 40 + "</p>\n"
    huge = _sub("<p>&nbsp;</p>", big_para * (5_200_000 // len(big_para.encode("utf-8"))))
    nested = _sub(
        '<div class="ArticleContent">',
        '<div class="ArticleContent">' + "<div>" * 3000 + "<p>Đoạn sâu.</p>" + "</div>" * 3000,
    )
    no_charset = seed.replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />', ""
    )
    cp1258 = seed.replace("charset=utf-8", "charset=windows-1258")
    tcvn3_latin1 = seed.replace("charset=utf-8", "charset=windows-1252").replace(
        '<div class="ArticleContent">', '<div class="ArticleContent"><font face=".VnTime">', 1
    )
    nfd = unicodedata.normalize("NFD", seed)
    return [
        BadCase("empty", b"", dropped="empty_page", title=None),
        BadCase("truncated", half, null_fields=["author", "source"]),
        BadCase(
            "pdf-as-html",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            dropped="binary_page",
            title=None,
        ),
        BadCase(
            "image-as-html",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
            dropped="binary_page",
            title=None,
        ),
        BadCase("huge-5mb", huge.encode("utf-8")),
        # libxml2 stops building the tree past its depth limit: the title survives, the body
        # does not, so the article is dropped as "no_body" (never a crash or a hang)
        BadCase("deeply-nested", nested.encode("utf-8"), dropped="no_body", null_fields=["body"]),
        BadCase(
            "wrong-charset", seed.encode("utf-8"), content_type="text/html; charset=iso-8859-1"
        ),
        BadCase("missing-charset", no_charset.encode("utf-8"), content_type="text/html"),
        BadCase("windows-1258", to_cp1258(cp1258), content_type="text/html"),
        # the server says UTF-8, the bytes are windows-1258: repaired and counted
        BadCase(
            "windows-1258-sent-as-utf8",
            to_cp1258(seed),
            content_type="text/html; charset=utf-8",
            stats=["gov/extract/encoding_repaired"],
        ),
        # TCVN3 (.VnTime) bytes labelled windows-1252, or with no charset: repaired and counted
        BadCase(
            "tcvn3-labelled-latin1",
            to_tcvn3(tcvn3_latin1),
            content_type="text/html",
            stats=["gov/extract/encoding_repaired", "gov/extract/encoding_repaired/tcvn3"],
        ),
        BadCase("tcvn3-no-charset", to_tcvn3(no_charset), content_type="text/html"),
        BadCase("utf16-with-bom", seed.encode("utf-16"), content_type="text/html"),
        # "Trang không tồn tại" served with status 200 inside the article layout
        BadCase(
            "soft-404",
            _sub(
                '<div class="ArticleContent">',
                '<div class="ArticleContent"><p>Xin lỗi, bài viết bạn tìm không tồn tại.</p></div>'
                '<div class="x">',
            )
            .replace(TITLE, "Trang không tồn tại")
            .encode("utf-8"),
            dropped="not_found_page",
            title="Trang không tồn tại",
        ),
        BadCase("mixed-nfd", nfd.encode("utf-8")),
        BadCase(
            "future-date",
            _sub("15/03/2021 10:20", "15/03/2099 10:20").encode("utf-8"),
            dropped="future_date",
        ),
        BadCase(
            "impossible-date",
            _sub("15/03/2021 10:20", "31/02/2021 10:20").encode("utf-8"),
            null_fields=["published_at"],
            stats=["gov/extract/bad_date"],
        ),
        BadCase(
            "views-with-letters",
            _sub("Lượt xem: 137", "Lượt xem: 13a7").encode("utf-8"),
            null_fields=["views"],
            stats=["gov/extract/bad_views"],
        ),
        # no OpenGraph title either, so no fallback can supply one
        BadCase(
            "whitespace-title",
            _sub(
                f"<h1>{TITLE}</h1>",
                "<h1> &nbsp; \u200b </h1>",
                _sub(f'<meta property="og:title" content="{TITLE}" />', ""),
            ).encode("utf-8"),
            dropped="no_title",
            title=None,
        ),
        BadCase(
            "script-injected",
            _sub(
                "<p>&nbsp;</p>",
                '<script>document.write("<p>INJECTED</p>")</script>'
                '<p onmouseover="alert(1)">Đoạn an toàn.</p><noscript>NOSCRIPT</noscript>',
            ).encode("utf-8"),
        ),
    ]


def write_site(folder: Path, cases: list[BadCase]) -> dict[str, str]:
    """Add every case to a copied mini portal: files, routes, and links on listing page 1."""
    import json

    routes = json.loads((folder / "routes.json").read_text(encoding="utf-8"))
    paths = {}
    for n, case in enumerate(cases):
        path = f"/tin-moi/bad-{case.name}-{90000 + n}"
        name = f"bad-{case.name}.bin"
        (folder / name).write_bytes(case.body)
        routes[path] = {"file": name, "content_type": case.content_type}
        paths[case.name] = path
    add_listing_links(folder, list(paths.values()), list(paths))
    # listing page 2 has no links at all and a "next" link to itself
    listing2 = "/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/?page=2"
    (folder / "listing-2.html").write_text(
        '<html><body><div class="UIArticleInMenu_Default"><ul class="ArticleList"></ul>'
        f'<ul class="pagination"><li class="page-item active"><a href="{listing2}">2</a></li>'
        f'<li class="page-item"><a class="page-link" href="{listing2}">»</a></li></ul></div>'
        "</body></html>",
        encoding="utf-8",
    )
    (folder / "routes.json").write_text(json.dumps(routes, ensure_ascii=False), encoding="utf-8")
    return paths
