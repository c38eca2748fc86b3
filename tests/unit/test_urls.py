from __future__ import annotations

from crawler.fingerprint import content_hash
from crawler.urls import canonicalize

LIFERAY_STRIP = ["p_p_id", "p_p_lifecycle", "p_p_col_*", "_101_*"]


def test_canonicalize_strips_profile_params_and_sorts() -> None:
    a = canonicalize(
        "https://SOTTTT.hanoi.gov.vn/vi/x/-/view_content/1-a.html?p_p_id=101&_101_cur=3&b=2&a=1#top",
        LIFERAY_STRIP,
    )
    b = canonicalize(
        "https://sotttt.hanoi.gov.vn/vi/x/-/view_content/1-a.html?a=1&b=2", LIFERAY_STRIP
    )
    assert a == b == "https://sotttt.hanoi.gov.vn/vi/x/-/view_content/1-a.html?a=1&b=2"


def test_canonicalize_keeps_port_and_drops_default_port() -> None:
    assert canonicalize("http://127.0.0.1:8080/a") == "http://127.0.0.1:8080/a"
    assert canonicalize("http://example.gov.vn:80/a") == "http://example.gov.vn/a"


def test_content_hash_ignores_layout_noise() -> None:
    assert content_hash("Thông báo,  số 1.") == content_hash("thông báo số 1")
    assert content_hash("Thông báo số 1") != content_hash("Thông báo số 2")
    assert content_hash(None) is None


def test_canonicalize_drops_session_ids() -> None:
    """A servlet's URL rewriting gives every visit new article URLs: the id must not change."""
    base = "https://sotp.tinh.gov.vn/portal/tintuc.do?id=4521&method=detail"
    for url in (
        "https://sotp.tinh.gov.vn/portal/tintuc.do;jsessionid=8F3A9C0D1E2B?method=detail&id=4521",
        "https://sotp.tinh.gov.vn/portal/tintuc.do;JSESSIONID=AB12.node1?method=detail&id=4521",
        "https://sotp.tinh.gov.vn/portal/tintuc.do?method=detail&id=4521&PHPSESSID=q1w2e3",
        "https://sotp.tinh.gov.vn/portal/tintuc.do?ASPSESSIONIDQQ=ABC&method=detail&id=4521",
    ):
        assert canonicalize(url) == base, url
    # a site id is not a session id (vnPortal: Default.aspx?sname=...&sid=1262)
    assert "sid=1262" in canonicalize("https://x.gov.vn/Default.aspx?sname=a&sid=1262&pageid=7")
