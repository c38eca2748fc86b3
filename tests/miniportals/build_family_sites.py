"""Build one mini portal per CMS family from that family's saved fixtures.

``python -m tests.miniportals.build_family_sites`` (re)writes ``sites/<family>/`` for every
family in :data:`FAMILIES` (nukeviet, vhv, tandan_sharepoint, ministry_sharepoint, liferay7;
vnportal and liferay62 have the hand-made ``nd-giaothuy`` and ``hn-sotttt``). The output is
committed and shipped with the package (``gov-crawler serve``); each article fixture's
``page.html`` becomes a link to the shipped copy, so every page exists once. Re-run this after
a fixture changes (edit the shipped page the link points to).

Each portal serves, on the paths of the fixtures' original URLs:

- the article fixtures: ``page.html`` bytes unchanged, with ``meta.json``'s ``content_type``
  when it has one (the windows-1258 page keeps its charset-less ``text/html``);
- listing page 1 = the family's listing fixture, its items pruned to the first fixture
  article (item link rewritten to the article's root-relative path, item title set to the
  article's title) and its pager rewritten to page 1 of 2 in the family's own style;
- listing page 2 = the same fixture holding the other fixture article, pager on its last page.
  Families that paginate by URL template (``?PageIndex=N``, ``?page=N``) also get an empty
  page 3, as such portals serve past the last page: the walk stops on "no links";
- VHV (pager AJAX-only) instead serves ``/sitemap.xml`` listing every article, with
  ``{base_url}`` expanded by the server to the address the crawler used;
- ``/`` = listing page 1 (the visit widget is in the listing fixture where the family has one).

``family.json`` in each folder names the family, the start path, the page-2 path (or the
feed) and which fixture every article path comes from (read by tests/crawl/test_start_url.py).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

from crawler.extract import ListingPage
from crawler.miniportal.server import SITES_DIR
from crawler.profiles import get_profile

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MANIFEST = "family.json"
UTF8_HTML = "text/html; charset=utf-8"

# pager(doc, page_no, n_pages, page_paths) edits the listing document in place
Pager = Callable[[lxml_html.HtmlElement, int, int, list[str]], None]


@dataclass(frozen=True)
class Article:
    case: str  # "<family>/<case>" under tests/fixtures/pages/
    path: str  # root-relative path (+ query) of the original URL
    title: str
    body: bytes
    content_type: str

    @property
    def file(self) -> str:
        return f"article-{self.case.split('/', 1)[1]}.html"


def load_article(case: str) -> Article:
    folder = FIXTURES / "pages" / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    parts = urlsplit(meta["url"])
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return Article(
        case,
        path,
        expected["title"],
        (folder / "page.html").read_bytes(),
        meta.get("content_type") or UTF8_HTML,
    )


# -- pagers, one per family style ---------------------------------------------------------
def _replace(doc: lxml_html.HtmlElement, xpath: str, markup: str) -> None:
    """Swap the first element matching ``xpath`` for ``markup`` (its tail kept)."""
    old = doc.xpath(xpath)[0]
    new = lxml_html.fragment_fromstring(markup)
    new.tail = old.tail
    old.getparent().replace(old, new)


def _set_head_links(
    doc: lxml_html.HtmlElement, page_no: int, n_pages: int, paths: list[str]
) -> None:
    """``<link rel=canonical|prev|next>`` of the original host made local (NukeViet prints them)."""
    for rel in ("canonical", "prev", "next"):
        for link in doc.xpath(f'//head/link[@rel="{rel}"]'):
            target = {"canonical": page_no, "prev": page_no - 1, "next": page_no + 1}[rel]
            if 1 <= target <= n_pages:
                link.set("href", paths[target - 1])
            else:
                link.drop_tree()


def nukeviet_pager(
    doc: lxml_html.HtmlElement, page_no: int, n_pages: int, paths: list[str]
) -> None:
    """includes/functions.php nv_alias_page(): «, numbers, » (rel=prev/next; "#" when disabled)."""
    title = "Tin tức - Trang {}"
    items = []
    if page_no > 1:
        items.append(
            f'<li><a rel="prev" title="{title.format(page_no - 1)}" href="{paths[page_no - 2]}">&laquo;</a></li>'
        )
    for n in range(1, n_pages + 1):
        if n == page_no:
            items.append(f'<li class="active"><a href="#">{n}</a></li>')
        else:
            rel = "prev" if n < page_no else "next"
            items.append(
                f'<li><a rel="{rel}" title="{title.format(n)}" href="{paths[n - 1]}">{n}</a></li>'
            )
    if page_no < n_pages:
        items.append(
            f'<li><a rel="next" title="{title.format(page_no + 1)}" href="{paths[page_no]}">&raquo;</a></li>'
        )
    else:
        items.append('<li class="disabled"><a href="#">&raquo;</a></li>')
    _replace(
        doc, '//ul[contains(@class, "pagination")]', f'<ul class="pagination">{"".join(items)}</ul>'
    )
    _set_head_links(doc, page_no, n_pages, paths)


def liferay7_pager(
    doc: lxml_html.HtmlElement, page_no: int, n_pages: int, paths: list[str]
) -> None:
    """ul.lfr-pagination-buttons.pager: "Trước" / "Tiếp", a disabled ``javascript:;`` at the ends."""

    def button(target: int, label: str) -> str:
        if 1 <= target <= n_pages:
            return f'<li class=""><a href="{paths[target - 1]}" onclick="">{label}</a></li>'
        return f'<li class="disabled"><a href="javascript:;" onclick="">{label}</a></li>'

    _replace(
        doc,
        '//ul[contains(@class, "lfr-pagination-buttons")]',
        '<ul class="lfr-pagination-buttons pager">'
        f"{button(page_no - 1, 'Trước')}{button(page_no + 1, 'Tiếp')}</ul>",
    )
    for div in doc.xpath('//div[contains(@class, "lfr-pagination-page-selector")]'):
        div.text = f"Trang {page_no} trên {n_pages}"


def ministry_pager(
    doc: lxml_html.HtmlElement, page_no: int, n_pages: int, paths: list[str]
) -> None:
    """.Paging: span links «, numbers, » and a <select> of pages (the crawler uses ``?page=N``)."""
    spans = []
    if page_no > 1:
        spans.append(f'<span><a href="{paths[page_no - 2]}">&laquo;</a></span>')
    for n in range(1, n_pages + 1):
        spans.append(
            f'<span class="current">{n}</span>'
            if n == page_no
            else f'<span><a href="{paths[n - 1]}">{n}</a></span>'
        )
    if page_no < n_pages:
        spans.append(f'<span><a href="{paths[page_no]}">&raquo;</a></span>')
    options = "".join(
        f'<option value="{paths[n - 1]}"{" selected" if n == page_no else ""}>{n}</option>'
        for n in range(1, n_pages + 1)
    )
    _replace(
        doc,
        '//div[@class="Paging"]',
        f'<div class="Paging">{"".join(spans)}'
        f'<select onchange="window.location.href=this.value">{options}</select></div>',
    )


def tandan_pager(doc: lxml_html.HtmlElement, page_no: int, n_pages: int, paths: list[str]) -> None:
    """ASP.NET DataPager: __doPostBack links and span.CurrentPage (the crawler uses ?PageIndex=N)."""
    pager = "ctl00$ctl34$g_8a3c1b6e_2f4d_4c1a_9d7e_51b0a2c6f3d8$ctl00$DataPager1"

    def post_back(ctl: str, label: str | int) -> str:
        return f"<a href=\"javascript:__doPostBack('{pager}${ctl}','')\">{label}</a>"

    parts = [post_back("ctl00$ctl00", "Đầu")]
    for n in range(1, n_pages + 1):
        parts.append(
            f'<span class="CurrentPage">{n}</span>'
            if n == page_no
            else post_back(f"ctl01$ctl{n - 1:02d}", n)
        )
    parts.append(post_back("ctl02$ctl00", "Cuối"))
    _replace(
        doc,
        '//div[@class="tandan-div-paging"]',
        f'<div class="tandan-div-paging">{"&nbsp;".join(parts)}</div>',
    )


def vhv_pager(doc: lxml_html.HtmlElement, page_no: int, n_pages: int, paths: list[str]) -> None:
    """The rendered AJAX pager stays as saved (``javascript:`` links): nothing a GET can follow."""


# -- families -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Family:
    name: str
    listing: str  # "<family>/<case>" under tests/fixtures/listings/
    articles: tuple[str, ...]  # fixture cases, in listing order: page 1 gets the first
    pages: tuple[str, ...]  # listing paths: page 1, page 2 (empty for a feed-only family)
    pager: Pager
    empty_page: str | None = None  # past the last page of a URL-template pager
    feed: str | None = None  # sitemap path for AJAX-only listings
    extra_routes: dict[str, str] = field(default_factory=dict)  # alias path -> page path


LIFERAY7_QUERY = (
    "p_p_id=com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_hW9vB3YtQp2L"
    "&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
    "&_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_hW9vB3YtQp2L_delta=10"
    "&p_r_p_resetCur=false"
    "&_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_hW9vB3YtQp2L_cur={n}"
)

FAMILIES: tuple[Family, ...] = (
    Family(
        "nukeviet",
        "nukeviet/tin-tuc-page-2",
        ("nukeviet/2022-08-ngay-truyen-thong-vhtt", "nukeviet/2023-05-tong-ket-chuyen-doi-so"),
        ("/vi/news/tin-tuc/", "/vi/news/tin-tuc/page-2/"),
        nukeviet_pager,
    ),
    Family(
        "liferay7",
        "liferay7/tin-tuc-page-2",
        ("liferay7/2021-09-4-30-pm", "liferay7/2020-03-legacy-12-00-am"),
        ("/vi/web/guest/tin-tuc", "/vi/web/guest/tin-tuc?" + LIFERAY7_QUERY.format(n=2)),
        liferay7_pager,
        extra_routes={
            "/vi/web/guest/tin-tuc?" + LIFERAY7_QUERY.format(n=1): "/vi/web/guest/tin-tuc"
        },
    ),
    Family(
        "ministry_sharepoint",
        "ministry_sharepoint/most-tin-tong-hop-page-2",
        (
            "ministry_sharepoint/2023-02-mt-hoi-nghi",
            "ministry_sharepoint/2012-11-most-legacy-cp1258",
        ),
        ("/vn/chuyen-muc/493/Tin-tong-hop.aspx", "/vn/chuyen-muc/493/Tin-tong-hop.aspx?page=2"),
        ministry_pager,
        empty_page="/vn/chuyen-muc/493/Tin-tong-hop.aspx?page=3",
        extra_routes={
            "/vn/chuyen-muc/493/Tin-tong-hop.aspx?page=1": "/vn/chuyen-muc/493/Tin-tong-hop.aspx"
        },
    ),
    Family(
        "tandan_sharepoint",
        "tandan_sharepoint/nong-nghiep-page-2",
        ("tandan_sharepoint/2023-02-cay-an-qua", "tandan_sharepoint/2023-03-nguon-line"),
        (
            "/portal/Pages/Nong-nghiep-nong-thon.aspx",
            "/portal/Pages/Nong-nghiep-nong-thon.aspx?PageIndex=2",
        ),
        tandan_pager,
        empty_page="/portal/Pages/Nong-nghiep-nong-thon.aspx?PageIndex=3",
        extra_routes={
            "/portal/Pages/Nong-nghiep-nong-thon.aspx?PageIndex=1": "/portal/Pages/Nong-nghiep-nong-thon.aspx"
        },
    ),
    Family(
        "vhv",
        "vhv/tin-tuc",
        ("vhv/2025-10-hoi-nghi-xuc-tien", "vhv/2025-09-no-charset"),
        ("/tin-tuc",),
        vhv_pager,
        feed="/sitemap.xml",
    ),
)


# -- listing surgery ----------------------------------------------------------------------
def _link_selectors(css: str) -> list[str]:
    """The anchors an ``article_links`` CSS rule reads (``::attr(href)`` dropped)."""
    return [part.strip().removesuffix("::attr(href)") for part in css.split(",")]


def listing_items(
    doc: lxml_html.HtmlElement, family: str, url: str
) -> list[tuple[str, etree._Element]]:
    """``(article URL, item element)`` in page order, as the family's listing rule sees them.

    An item is the largest ancestor of a rule-matched link that holds no rule-matched link to
    another article (the panel, row or <article> around thumbnail, title and "more" links).
    """
    profile = get_profile(family)
    rule = profile.listing.article_links
    assert rule.css is not None, f"{family}: listing rule must be CSS"
    wanted = ListingPage(
        profile, url, Selector(text=lxml_html.tostring(doc, encoding="unicode"))
    ).article_links()
    anchors: list[tuple[str, etree._Element]] = []
    for css in _link_selectors(rule.css):
        for a in doc.cssselect(css):
            href = urljoin(url, a.get("href", ""))
            if href in wanted:
                anchors.append((href, a))
    items: dict[str, etree._Element] = {}
    for href, a in anchors:
        node = a
        while node.getparent() is not None:
            parent = node.getparent()
            if any(
                h != href and (parent is x or x in parent.iterdescendants()) for h, x in anchors
            ):
                break
            node = parent
        items.setdefault(href, node)
    return sorted(items.items(), key=lambda kv: wanted.index(kv[0]))


def _point_to(a: lxml_html.HtmlElement, article: Article) -> None:
    """An item link made local: the article's path, its title in the text, title and alt."""
    a.set("href", article.path)
    if a.get("title") is not None:
        a.set("title", article.title)
    if len(a) == 0 and (a.text or "").strip():
        a.text = article.title
    for img in a.iter("img"):
        if img.get("alt"):
            img.set("alt", article.title)


def build_listing(
    source: bytes,
    family: str,
    url: str,
    keep: dict[int, Article],
    pager: Pager,
    page_no: int,
    paths: list[str],
) -> bytes:
    """The listing fixture with only the items in ``keep`` (index -> article), links made local."""
    doc = lxml_html.document_fromstring(source.decode("utf-8"))
    items = listing_items(doc, family, url)
    for index, (href, item) in enumerate(items):
        article = keep.get(index)
        if article is None:
            item.drop_tree()
            continue
        for a in doc.iter("a"):
            if urljoin(url, a.get("href", "")) == href:
                _point_to(a, article)
    if page_no:
        pager(doc, page_no, len(paths), paths)
    else:  # past the last page: no items, no pager
        for node in doc.xpath(
            '//ul[contains(@class, "pagination")] | //div[@class="Paging"]'
            ' | //div[@class="tandan-div-paging"]'
        ):
            node.drop_tree()
    doctype = doc.getroottree().docinfo.doctype
    page: bytes = etree.tostring(doc, encoding="utf-8", method="html", doctype=doctype)
    return page + b"\n"


def sitemap(articles: list[Article]) -> bytes:
    urls = "".join(f"  <url><loc>{{base_url}}{a.path}</loc></url>\n" for a in articles)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode()


def link_fixture(page: Path, shipped: Path) -> None:
    """One copy of each page: the shipped mini portal holds it, the fixture links to it."""
    page.unlink(missing_ok=True)
    page.symlink_to(os.path.relpath(shipped, page.parent))


def build(family: Family, out: Path) -> None:
    listing_dir = FIXTURES / "listings" / family.listing
    listing_meta = json.loads((listing_dir / "meta.json").read_text(encoding="utf-8"))
    source = (listing_dir / "page.html").read_bytes()
    articles = [load_article(case) for case in family.articles]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    routes: dict[str, dict[str, object]] = {}
    paths = list(family.pages)
    # page 1 holds the first article (item 0), page 2 the others (items 1..); a feed-only
    # family's single page holds the first and its sitemap lists them all
    plan = [{0: articles[0]}]
    if len(paths) > 1:
        plan.append(dict(enumerate(articles[1:], start=1)))
    for page_no, keep in enumerate(plan, start=1):
        name = f"listing-{page_no}.html"
        (out / name).write_bytes(
            build_listing(
                source, family.name, listing_meta["url"], keep, family.pager, page_no, paths
            )
        )
        routes[paths[page_no - 1]] = {"file": name}
    if family.empty_page:
        (out / "listing-empty.html").write_bytes(
            build_listing(source, family.name, listing_meta["url"], {}, family.pager, 0, paths)
        )
        routes[family.empty_page] = {"file": "listing-empty.html"}
    for alias, target in family.extra_routes.items():
        routes[alias] = dict(routes[target])
    for article in articles:
        (out / article.file).write_bytes(article.body)
        link_fixture(FIXTURES / "pages" / article.case / "page.html", out / article.file)
        route: dict[str, object] = {"file": article.file}
        if article.content_type != UTF8_HTML:
            route["content_type"] = article.content_type
        routes[article.path] = route
    if family.feed:
        (out / "sitemap.xml").write_bytes(sitemap(articles))
        routes[family.feed] = {
            "file": "sitemap.xml",
            "content_type": "application/xml",
            "expand_base_url": True,
        }
    routes["/"] = {"file": "listing-1.html"}
    (out / "routes.json").write_text(
        json.dumps(routes, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    manifest = {
        "family": family.name,
        "start": paths[0],
        "page_2": paths[1] if len(paths) > 1 else None,
        "feed": family.feed,
        "articles": {a.path: a.case for a in articles},
        "built_by": "python -m tests.miniportals.build_family_sites",
    }
    (out / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def main() -> int:
    for family in FAMILIES:
        out = SITES_DIR / family.name
        build(family, out)
        size = sum(p.stat().st_size for p in out.iterdir())
        print(f"{family.name}: {len(list(out.iterdir()))} files, {size // 1024} KB -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
