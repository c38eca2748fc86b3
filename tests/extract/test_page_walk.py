"""The page walk (``layoutfree.blocks.read_page``) on small pages whose blocks are known."""

from __future__ import annotations

from crawler.extract import selector_for
from crawler.extract.layoutfree.blocks import read_page


def _texts(html: str) -> list[str]:
    page = read_page(selector_for(f"<html><body>{html}</body></html>").root)
    return [b.text for b in page.blocks]


def test_text_after_a_comment_stays_in_its_block() -> None:
    assert _texts("<p>Sáng 5/3<!-- x --> tại UBND xã</p><p>b</p>") == [
        "Sáng 5/3 tại UBND xã",
        "b",
    ]


def _link_chars(inner: str) -> int:
    html = f'<html><body><p><a href="/t/1.html">{inner}</a></p></body></html>'
    (block,) = read_page(selector_for(html).root).blocks
    assert block.text == "Tin mới"
    return block.link_chars


def test_text_after_a_comment_inside_a_link_counts_as_link_text() -> None:
    # as much link text as the same words split by an inline element
    assert _link_chars("Tin<!-- c --> mới") == _link_chars("Tin<b> mới</b>") > len("Tin")


def test_hidden_and_script_subtrees_are_skipped_but_their_tails_are_read() -> None:
    assert _texts('<p>a<span style="display:none">admin</span> b<script>var x</script> c</p>') == [
        "a b c"
    ]


def test_chrome_ends_with_the_element_that_opened_it() -> None:
    page = read_page(
        selector_for(
            '<html><body><div class="menu"><p>Trang chủ</p></div><p>Nội dung</p></body></html>'
        ).root
    )
    assert [(b.text, b.chrome) for b in page.blocks] == [("Trang chủ", True), ("Nội dung", False)]
