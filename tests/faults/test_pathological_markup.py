"""Bounded cost on pathological markup (issue 13: "bounded cost on pathological markup (tens of
thousands of attributes)").

No timed assertions: the parser's work is counted (attribute comparisons libxml2 makes), and
the full extraction of huge pathological pages runs in a subprocess under a CPU-time limit
(``RLIMIT_CPU``) far above what linear work needs and far below what the quadratic parse took
(one start tag with 400,000 attributes: about 160 s of CPU before, well under a second now).
Speed is measured in ``benchmarks/pathological.py``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.extract import extract_article
from crawler.extract.markup_bounds import MAX_ATTRIBUTES, cap_attributes
from tests.faults.corpus import SEED, TITLE

ROOT = Path(__file__).resolve().parents[2]
URL = "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-37511"
CPU_LIMIT_S = 60  # linear work: ~1 s with the interpreter's start; quadratic: minutes
OPEN = '<div class="ArticleContent">'
FORMS = {  # how a start tag can spell N attributes, as the HTML tokenizer splits them
    "name=value": lambda n: " ".join(f'data-a{i}="v"' for i in range(n)),
    "bare names": lambda n: " ".join(f"a{i}" for i in range(n)),
    "slashes": lambda n: "/".join(f"a{i}" for i in range(n)),
    "no separator": lambda n: "".join(f'a{i}="v"' for i in range(n)),
    "unquoted": lambda n: " ".join(f"a{i}=v{i}" for i in range(n)),
}


def with_attributes(n: int, form: str = "name=value") -> str:
    return SEED.replace(OPEN, f"{OPEN}<p {FORMS[form](n)}>Đoạn có nhiều thuộc tính.</p>", 1)


def comparisons(markup: str) -> int:
    """The attribute comparisons libxml2's duplicate check makes while parsing ``markup``:
    every attribute against the ones before it in the same tag."""
    root = lxml_html.fromstring(markup)
    return sum(len(el.attrib) * (len(el.attrib) - 1) // 2 for el in root.iter())


@pytest.mark.parametrize("form", FORMS)
def test_a_tag_is_cut_to_the_first_attributes_and_nothing_else_changes(form: str) -> None:
    page = with_attributes(5_000, form)
    capped, count = cap_attributes(page)
    assert count == 1
    p = lxml_html.fromstring(capped).find(".//div[@class='ArticleContent']/p")
    assert p is not None and len(p.attrib) == MAX_ATTRIBUTES
    assert p.text == "Đoạn có nhiều thuộc tính."
    assert capped.replace(
        capped[capped.index("<p ") : capped.index(">Đoạn có")], ""
    ) == page.replace(page[page.index("<p ") : page.index(">Đoạn có")], "")
    assert cap_attributes(page.encode())[0] == capped.encode()  # bytes as text
    data = extract_article(page.encode(), URL, "nd-giaothuy")
    assert data.title == TITLE and "Đoạn có nhiều thuộc tính." in (data.body or "")


def test_the_parse_work_is_linear_in_page_size() -> None:
    """Comparisons per byte parsed stay below a constant as the tag grows (they grew as N
    before: N²/2 comparisons for an N-attribute tag of about 10·N bytes)."""
    bound = MAX_ATTRIBUTES // 2  # comparisons per attribute kept, at most
    for n in (1_000, 10_000, 100_000):
        page = with_attributes(n)
        capped, _ = cap_attributes(page)
        work = comparisons(capped)
        assert work <= bound * len(page), (n, work)
        assert work == comparisons(with_attributes(MAX_ATTRIBUTES))  # the same at every N
    assert comparisons(with_attributes(3_000)) > 40 * len(with_attributes(3_000))  # uncut


def test_usual_pages_are_returned_untouched() -> None:
    pages = sorted((ROOT / "tests" / "fixtures").glob("**/page.html"))
    assert len(pages) > 20
    for path in pages:
        body = path.read_bytes()
        assert cap_attributes(body) == (body, 0), path
        text = body.decode("utf-8", "replace")
        assert cap_attributes(text)[0] is text


CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_CPU, ({limit}, {limit}))
from crawler.extract import extract_article
from tests.faults.test_pathological_markup import pathological
out = {{}}
for name, body in pathological().items():
    data = extract_article(body, {url!r}, "nd-giaothuy")
    out[name] = [data.title, len(data.body or "")]
print(json.dumps(out))
"""


def pathological() -> dict[str, bytes]:
    """Pages of several MB whose parse was quadratic, or that are merely huge."""
    spread = "".join(f"<span {FORMS['name=value'](300)}>x</span>" for _ in range(1_000))
    return {
        "one tag, 400,000 attributes": with_attributes(400_000).encode(),
        "1,000 tags of 300 attributes": SEED.replace(OPEN, OPEN + spread, 1).encode(),
        "100,000 elements": SEED.replace(OPEN, OPEN + "<span>x</span>" * 100_000, 1).encode(),
        "nesting 100,000 deep": SEED.replace(
            OPEN, OPEN + "<div>" * 100_000 + "<p>Đoạn sâu.</p>" + "</div>" * 100_000, 1
        ).encode(),
    }


def test_huge_pathological_pages_extract_within_a_cpu_limit() -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=CPU_LIMIT_S, url=URL)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert child.returncode != -signal.SIGXCPU, "hit the CPU limit: the parse is not linear"
    assert child.returncode == 0, child.stderr[-2000:]
    out = json.loads(child.stdout)
    for name in ("one tag, 400,000 attributes", "1,000 tags of 300 attributes", "100,000 elements"):
        assert out[name][0] == TITLE and out[name][1] > 1_000, name
    # past libxml2's depth limit the tree stops: the title survives, the body does not (the
    # crawl drops the article as "no_body", tests/faults/corpus.py), at bounded cost
    assert out["nesting 100,000 deep"][0] == TITLE
    assert "more than 256 attributes" in child.stderr
