"""Next listing page found without a layout: every pager shape portals use (synthetic pages)."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract.layoutfree.listing import read_listing


def pager(current: str, links: list[tuple[str, str]], extra: str = "") -> str:
    cells = "".join(f'<a href="{href}">{text}</a> ' for text, href in links)
    return (
        f'<html><body><div class="content">{extra}</div>'
        f'<div class="paging">{current} {cells}</div></body></html>'
    )


CASES = [
    # (current URL, page HTML, expected next)
    (
        "https://a.gov.vn/tin-tuc?page=2",
        pager(
            "<span class='current'>2</span>", [("1", "?page=1"), ("3", "?page=3"), ("4", "?page=4")]
        ),
        "https://a.gov.vn/tin-tuc?page=3",
    ),
    (
        "https://a.gov.vn/Pages/tin.aspx?PageIndex=1",
        pager("<b>1</b>", [("2", "tin.aspx?PageIndex=2")]),
        "https://a.gov.vn/Pages/tin.aspx?PageIndex=2",
    ),
    (
        "https://a.gov.vn/vi/news/tin-tuc/page-2/",
        pager("", [("«", "/vi/news/tin-tuc/"), ("»", "/vi/news/tin-tuc/page-3/")]),
        "https://a.gov.vn/vi/news/tin-tuc/page-3/",
    ),
    (
        "https://a.gov.vn/tin-tuc/trang-1.html",
        pager(
            "<span class='current'>1</span>",
            [("2", "trang-2.html"), ("Trang sau »", "trang-2.html")],
        ),
        "https://a.gov.vn/tin-tuc/trang-2.html",
    ),
    (
        "https://a.gov.vn/tin/p/3",
        pager("", [("2", "/tin/p/2"), ("4", "/tin/p/4")]),
        "https://a.gov.vn/tin/p/4",
    ),
    (
        "https://a.gov.vn/category/tin-tuc/page/2/",
        pager(
            "<span class='page-numbers current'>2</span>", [("Tiếp »", "/category/tin-tuc/page/3/")]
        ),
        "https://a.gov.vn/category/tin-tuc/page/3/",
    ),
    (
        "https://a.gov.vn/tin-tuc?start=10",
        (
            '<html><body><ul class="pagination"><li><a href="?start=0">1</a></li>'
            '<li class="active"><span>2</span></li><li><a href="?start=20">3</a></li></ul></body></html>'
        ),
        "https://a.gov.vn/tin-tuc?start=20",
    ),
    (
        "https://a.gov.vn/web/guest/tin?_101_cur=5",
        pager("", [("Tiếp", "?_101_cur=6"), ("Trước", "?_101_cur=4")]),
        "https://a.gov.vn/web/guest/tin?_101_cur=6",
    ),
    (
        "https://a.gov.vn/tin?page=2",
        '<html><head><link rel="next" href="/tin?page=3"></head><body></body></html>',
        "https://a.gov.vn/tin?page=3",
    ),
    # the last page links only backwards: no next page, and a link to itself is no next page
    (
        "https://a.gov.vn/tin-tuc/trang-3.html",
        pager("<span class='current'>3</span>", [("1", "trang-1.html"), ("2", "trang-2.html")]),
        None,
    ),
    ("https://a.gov.vn/tin?page=2", pager("", [("Trang sau", "/tin?page=2")]), None),
    # "Xem tiếp »" under a box is a "read more" link, not a pager
    ("https://a.gov.vn/tin-tuc", pager("", [], '<a href="/van-ban">Xem tiếp »</a>'), None),
]


@pytest.mark.parametrize(("url", "html", "want"), CASES, ids=[c[0] for c in CASES])
def test_next_page(url: str, html: str, want: str | None) -> None:
    assert read_listing(Selector(text=html).root, url).next_page == want


POSTBACK = (
    "<html><body><div class='paging'><a href=\"javascript:__doPostBack('p$1','')\">1</a> "
    "<span class='CurrentPage'>2</span> <a href=\"javascript:__doPostBack('p$3','')\">3</a>"
    "</div></body></html>"
)


def test_postback_pager_on_a_page_numbered_url_follows_the_number() -> None:
    found = read_listing(Selector(text=POSTBACK).root, "https://a.gov.vn/Pages/x.aspx?PageIndex=2")
    assert found.next_page == "https://a.gov.vn/Pages/x.aspx?PageIndex=3"


def test_postback_only_pager_is_reported_not_followed() -> None:
    found = read_listing(Selector(text=POSTBACK).root, "https://a.gov.vn/Pages/x.aspx")
    assert found.next_page is None and found.postback
