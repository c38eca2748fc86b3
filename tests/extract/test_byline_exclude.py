"""``[article.byline] exclude``: right-aligned template elements that are never a byline."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.extract.body import body_from_element
from crawler.profiles.schema import Byline

PAGE = """<div class="content">
<p>Sáng 25/12, huyện Giao Thủy tổ chức lễ ra quân làm thủy lợi đông xuân tại xã Giao Hà.</p>
<p align="right"><strong>Hoàng Mai</strong></p>
<p align="right" class="updated">Cập nhật: 25/12/2020</p>
</div>"""


def read(rule: Byline) -> tuple[str | None, str | None, str | None]:
    result = body_from_element(lxml_html.fromstring(PAGE), [], rule, "http://x.gov.vn/")
    return result.author, result.source, result.text


def test_without_exclude_the_right_aligned_date_line_is_read_as_the_byline() -> None:
    author, source, _ = read(Byline())
    assert (author, source) == ("Hoàng Mai", "Cập nhật: 25/12/2020")


def test_an_excluded_element_is_never_a_byline_and_stays_in_the_body() -> None:
    author, source, text = read(Byline(exclude=["p.updated"]))
    assert author is None and source is None  # the byline search ends at the excluded line
    assert text is not None and text.endswith("Cập nhật: 25/12/2020")
