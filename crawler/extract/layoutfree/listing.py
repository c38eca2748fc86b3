"""A listing page read without a layout: its main list of article links and its next page (pure).

**Links.** Every visible link is placed in the repeated structure it belongs to: climbing from
the link, the first ancestor whose parent has two or more children of its tag linking to
different pages is the *item*, and that parent is the *list*. Each list is scored by its items
that read like articles: a headline link (several words, or the folded text matching the URL
slug), with a date, a thumbnail or a lead beside it. Lists in page chrome (menus, sidebars,
footers) or under an "other news" heading ("Tin xem nhiều", "Tin mới", ...) do not count; nor
do links to other hosts, documents (PDF/DOC...), or this page. Lists whose items have the same
shape as the best one (same tag and class) join it: one list split in several boxes.

**Next page.** ``rel=next``; then a link labelled "Trang sau", "Tiếp", "»", "›", "Next"...;
then the number after the current page in a numbered pager; then any link to this URL with the
page number (``?page=N``, ``PageIndex``, ``_cur``, ``start``, ``/page-N``, ``trang-N.html``,
``/p/N``, ``/page/N/``) one step further. ``__doPostBack`` pagers cannot be followed:
``postback`` says the page has one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.extract.layoutfree.blocks import Element, PageText, is_chrome, read_page
from crawler.extract.layoutfree.caseless import Caseless
from crawler.extract.layoutfree.headline import overlap, slug_words, words
from crawler.extract.layoutfree.meta import DATE_SHAPE
from crawler.urls import drop_session_path

_DOCUMENT = Caseless(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|jpe?g|png|gif|mp[34]|avi)(?:[?#]|$)")
_NOT_ARTICLE = Caseless(
    r"/(?:tag|tags|search|tim-?kiem|login|dang-?nhap|rss|lien-?he|contact|sitemap)(?:[/.?]|$)"
    r"|[?&](?:tag|keyword|q)="
)
_OTHER_LIST = re.compile(
    r"^(?:tin|bài(?:\s+viết)?|tin\s+bài)\s+(?:xem\s+nhiều|đọc\s+nhiều|mới(?:\s+nhất)?|liên\s+quan|khác"
    r"|nổi\s+bật|tiêu\s+điểm|đã\s+đưa|mới\s+cập\s+nhật)|^(?:xem|đọc)\s+nhiều|^văn\s+bản|^liên\s+kết"
    r"|^thông\s+báo\s+mới|^sự\s+kiện\s+nổi\s+bật",
    re.IGNORECASE,
)
_NEXT_PAGE_TEXT = re.compile(
    r"^(?:trang\s+sau|trang\s+tiếp(?:\s+theo)?|next\s+page"
    # a blog's list, newest first: the older posts are the next page
    r"|(?:bài\s+đăng|bài\s+viết|bài|tin)\s+cũ\s+hơn|older\s+(?:posts|entries))\s*[»›>]*$",
    re.IGNORECASE,
)
# short labels that also mean "read more" elsewhere: a next page only inside a numbered pager
_NEXT_TEXT = re.compile(r"^(?:tiếp(?:\s+theo)?|sau|next)\s*[»›>]*$|^[»›>]$|^>>$", re.IGNORECASE)
_CURRENT_CLASS = Caseless(r"\b(?:current|active|selected|is-active|on)\b")
_PAGE_PARAMS = (
    "page",
    "pageindex",
    "p",
    "pg",
    "trang",
    "start",
    "paged",
    "pagenum",
    "page_no",
    "cur",
)
_PAGE_PATH = re.compile(
    r"(?:/page[-/]|/trang[-/]|/p/|[-_/]page-?|[-_/]trang-?)(\d+)(?=(?:\.html?|/)?$)", re.IGNORECASE
)
_MIN_HEADLINE_WORDS = 4
_SLUG_HEADLINE_WORDS = 7
_POSTBACK = "__doPostBack"


@dataclass
class FreeListing:
    links: list[str] = field(default_factory=list)
    next_page: str | None = None
    next_method: str | None = None
    postback: bool = False  # a pager that only posts back (not followable)


def _resolve(url: str, href: str) -> str:
    """``href`` made absolute, without a session id in its path (``;jsessionid=…``)."""
    return drop_session_path(urljoin(url, href.strip()))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _followable(href: str | None) -> bool:
    return bool(href) and not href.startswith(("javascript:", "mailto:", "tel:", "#"))  # type: ignore[union-attr]


def _text(el: Element) -> str:
    return " ".join("".join(el.itertext()).split())


@dataclass
class _Group:
    parent: Element
    shape: tuple[str, str]  # the items' tag and class
    items: dict[Element, list[tuple[Element, str]]] = field(default_factory=dict)
    chrome: bool = False  # an item of it is all in page chrome (a sidebar's list)
    plain: set[Element] = field(default_factory=set)  # items with a link outside chrome
    score: float | None = None
    # each item's headline link and its headline score, once the group is scored
    heads: dict[Element, tuple[str, float]] = field(default_factory=dict)


class _Siblings:
    """Per parent: how many of its children of each tag link to different pages.

    Each element's first followable link is found once, children before parents (one
    post-order pass), so the whole page costs linear time however deep or wide it is.
    """

    def __init__(self, root: Element) -> None:
        self.root = root
        self.first: dict[Element, str] | None = None
        self.cache: dict[Element, dict[str, int]] = {}

    def _first_links(self) -> dict[Element, str]:
        first: dict[Element, str] = {}
        for el in reversed(list(self.root.iter())):
            href = el.get("href") if el.tag == "a" else None
            if href and _followable(href) and not _DOCUMENT.search(href):  # a file is no page
                first[el] = drop_session_path(href)  # one page, whatever the session
                continue
            for child in el:
                found = first.get(child)
                if found is not None:
                    first[el] = found
                    break
        return first

    def repeated(self, el: Element) -> bool:
        parent = el.getparent()
        if parent is None or not isinstance(el.tag, str):
            return False
        counts = self.cache.get(parent)
        if counts is None:
            if self.first is None:
                self.first = self._first_links()
            seen: dict[str, set[str]] = {}
            for child in parent:
                href = self.first.get(child)
                if href is not None and isinstance(child.tag, str):
                    seen.setdefault(child.tag, set()).add(href)  # one page per child
            counts = self.cache[parent] = {tag: len(v) for tag, v in seen.items()}
        return counts.get(el.tag, 0) >= 2


# how far above its link an item may start (site builders wrap a card's link in ten boxes)
ITEM_DEPTH = 12


def _item_of(anchor: Element, siblings: _Siblings, depth: int = ITEM_DEPTH) -> Element | None:
    node = anchor
    for _ in range(depth):
        if node is None or node.getparent() is None:
            return None
        if siblings.repeated(node):
            return node
        node = node.getparent()
    return None


def _headline_score(text: str, url: str) -> float:
    """How much a link's text reads like an article headline (0 = not at all)."""
    found = words(text)
    if len(found) < _MIN_HEADLINE_WORDS:
        return 0.0
    score = 1.0
    slug = slug_words(url)
    # menu labels match their slugs too: only a long headline earns the slug's credit
    if len(found) >= _SLUG_HEADLINE_WORDS and slug and overlap(found, slug) >= 0.3:
        score += 1.0
    if any(ord(c) > 0x2FF for c in text):  # Vietnamese letters
        score += 0.25
    return score


def _under_other_heading(parent: Element, depth: int = 3) -> bool:
    """A list introduced by an "other news" heading: its own first row, the text before it, or
    a heading just before it (or before its box, ``depth`` levels up)."""
    first = next((c for c in parent if isinstance(c.tag, str)), None)
    if first is not None:
        text = _text(first)
        if text and len(text) <= 60 and _OTHER_LIST.match(text):
            return True
    node = parent
    for _ in range(depth):
        if node is None:
            return False
        prev = _before_items(node)
        if prev is not None:
            text = _text(prev)
            if text and len(text) <= 60:
                return bool(_OTHER_LIST.match(text))
        head = (node.text or "").strip()
        if head:
            return bool(_OTHER_LIST.match(head))
        node = node.getparent()
    return False


ITEMS_BACK = 30  # items of a box's list passed over to reach its heading (bounded: linear)


def _before_items(node: Element) -> Element | None:
    """The element before ``node`` past comments and past the items before it in the same
    list (a "Tin xem nhiều" box's fourth item: its heading row, not the third item)."""
    prev = node.getprevious()
    items = 0
    while prev is not None and items <= ITEMS_BACK:
        if isinstance(prev.tag, str):
            item = prev.tag == node.tag and prev.get("class") == node.get("class")
            if not item or next(prev.iter("a"), None) is None:
                return prev
            items += 1
        prev = prev.getprevious()
    return prev


def _item_extras(item: Element, link_text: str) -> float:
    """A date, a thumbnail or a lead beside the link: signs of a news item."""
    extra = 0.0
    text = _text(item)
    if DATE_SHAPE.search(text) or re.search(r"\d{1,2}/\d{1,2}", text):
        extra += 0.5
    if next(item.iter("img"), None) is not None:
        extra += 0.5
    if len(text) - len(link_text) >= 60:
        extra += 0.5
    return extra


def _groups(page: PageText, url: str, root: Element) -> list[_Group]:
    own = _host(url)
    here = url.split("#")[0]
    siblings = _Siblings(root)
    groups: dict[Element, _Group] = {}
    for anchor, chrome in page.anchors:
        href = anchor.get("href")
        if not _followable(href):
            continue
        target = _resolve(url, href).split("#")[0]
        if (
            _host(target) != own
            or target == here
            or _DOCUMENT.search(target)
            or _NOT_ARTICLE.search(target)
        ):
            continue
        text = _text(anchor) or (anchor.get("title") or "").strip()
        if not text:
            continue
        item = _item_of(anchor, siblings)
        if item is None:
            continue
        parent = item.getparent()
        group = groups.get(parent)
        if group is None:
            group = groups[parent] = _Group(parent, (item.tag, item.get("class") or ""))
        if not chrome:  # a "Đọc thêm" link in an item's footer is not the list's chrome
            group.plain.add(item)
        group.items.setdefault(item, []).append((anchor, target))
    for group in groups.values():
        group.chrome = any(item not in group.plain for item in group.items)
    return list(groups.values())


def _best_link(links: list[tuple[Element, str]]) -> tuple[str, str]:
    """The item's headline link: the one with the longest text (thumbnails have none)."""
    labelled = [(target, _text(anchor) or (anchor.get("title") or "")) for anchor, target in links]
    return max(labelled, key=lambda pair: len(pair[1]))


def _group_score(group: _Group) -> float:
    """Sum of the items' headline and news-item scores; 0 for a list that is not news.

    A menu has short labels and no dates, thumbnails or leads: a list counts when half its
    items carry such extras, or when its links are long headlines matching their URL slugs.
    """
    if group.score is not None:
        return group.score
    group.score = 0.0
    if group.chrome or len(group.items) < 2 or _under_other_heading(group.parent):
        return 0.0
    total, with_extras, slugged, headlines = 0.0, 0, 0, 0
    for item, links in group.items.items():
        target, text = _best_link(links)
        score = _headline_score(text, target)
        group.heads[item] = (target, score)
        if not score:
            continue
        headlines += 1
        extras = _item_extras(item, text)
        with_extras += extras > 0
        slugged += score >= 2
        total += score + extras
    if headlines >= 2 and (with_extras * 2 >= headlines or slugged * 2 >= headlines):
        group.score = total
    return group.score


LIST_BOX_LEVELS = 2  # a day's list, its day box, the timeline holding the days


def _box(el: Element, levels: int = LIST_BOX_LEVELS) -> Element:
    for _ in range(levels):
        parent = el.getparent()
        if parent is None:
            break
        el = parent
    return el


def _rows(groups: list[_Group]) -> list[list[_Group]]:
    """Groups of one classed shape are one list cut into rows (a grid of cards, three a row);
    so are groups whose items share a first class under one box (a timeline's days, each item
    with a modifier of its own: "item item--media", "item item--text")."""
    root: dict[object, object] = {}

    def find(key: object) -> object:
        while root.setdefault(key, key) != key:
            key = root[key]
        return key

    for group in groups:
        tag, cls = group.shape
        if cls.strip():  # the exact shape and the first class under its box: one row
            root[find(group.shape)] = find((tag, cls.split()[0], _box(group.parent)))
    rows: dict[object, list[_Group]] = {}
    for group in groups:
        key = find(group.shape) if group.shape[1].strip() else id(group)
        rows.setdefault(key, []).append(group)
    return list(rows.values())


def article_links(page: PageText, url: str, root: Element) -> list[str]:
    groups = [g for g in _groups(page, url, root) if _group_score(g) > 0]
    if not groups:
        return []
    chosen = max(_rows(groups), key=lambda gs: sum(_group_score(g) for g in gs))
    best = max(chosen, key=_group_score)
    links: list[str] = []
    seen: set[str] = set()
    lead = _lead_item(best, url)
    if lead is not None:
        links.append(lead)
        seen.add(lead)
    for group in sorted(chosen, key=lambda g: page.spans.get(g.parent, (0, 0))[0]):
        for item in group.items:
            target, score = group.heads[item]  # every item of a group that scored
            if score and target not in seen and not _home(target):
                seen.add(target)
                links.append(target)
    featured = [t for t in _featured_block(best, url, links) if t not in seen]
    return [*featured, *links]


FEATURED_HOPS = 3  # boxes looked at before the list (a banner or a special box between)
FEATURED_MAX = 8


def _folder(url: str) -> str:
    path = urlsplit(url).path
    return path[: path.rfind("/") + 1]


def _script(url: str) -> str:
    """The page a query string feeds and the names it is fed ("/tintuc/chitiet.asp?id" of
    "chitiet.asp?id=4127"; a menu's "Introduction.aspx?MenuID=…" is another place than its
    stories' "…?MenuID=…&NewsID=…"), or "" for an address with no query."""
    parts = urlsplit(url)
    if not parts.query:
        return ""
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.path}?{'&'.join(names)}"


def _place(links: list[str]) -> tuple[Callable[[str], str], str] | None:
    """Where the list's articles live, as a key of a link and its value: one script fed by a
    query string ("chitiet.asp?id=N", whose folder also holds the category pages) or one
    folder; None when the links share neither."""
    for key in (_script, _folder):
        common, count = Counter(key(link) for link in links).most_common(1)[0]
        if count * 2 >= len(links) and common not in ("", "/"):
            return key, common
    return None


def _featured_block(group: _Group, url: str, links: list[str]) -> list[str]:
    """The stories of a featured block above the list (a top story and a few beside it):
    headline links into the list's own folder, in untitled boxes before the list or its
    wrapper. A titled box of stories ("Tiêu điểm", "Tin mới") is another section and ends the
    look; a box with no story (a banner, a special topic) is passed over."""
    found_place = _place(links) if links else None
    if found_place is None:
        return []  # the list's links share no place: nothing tells the block's apart
    key, place = found_place
    found: list[str] = []
    node: Element | None = group.parent
    for _ in range(2):  # the list, then its wrapper
        if node is None:
            break
        box = _box_before(node)
        for _ in range(FEATURED_HOPS):
            if box is None or is_chrome(box, box.tag):
                break  # a sidebar or a menu beside the list: never its stories
            stories = _stories(box, url, key, place)
            if stories and _titled(box):  # another section's stories: "Tiêu điểm", "Tin mới"
                # ... beside a top story in a row of boxes: the untitled box's story is ours
                found = [*_untitled_stories(box, url, key, place), *found]
                break
            if len(stories) > FEATURED_MAX:
                break
            found = [*stories, *found]
            box = _box_before(box)
        node = node.getparent()
    return list(dict.fromkeys(found))


def _untitled_stories(box: Element, url: str, key: Callable[[str], str], place: str) -> list[str]:
    """The stories of the untitled boxes in a row of boxes whose titles are their own (a top
    story beside a "Tiêu điểm" box); none when the row itself has a title."""
    children = [c for c in box.iterchildren() if isinstance(c.tag, str) and _text(c)]
    if not children or any(_heading(c) for c in children) or len(children) > FEATURED_ROW:
        return []  # the row's own title, or no row of boxes
    return [s for c in children if not _titled(c) for s in _stories(c, url, key, place)]


FEATURED_ROW = 4  # boxes side by side in a featured row


def _heading(el: Element) -> bool:
    return el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or (
        next(el.iter("a"), None) is None and len(_text(el)) <= BOX_LABEL_CHARS
    )


def _titled(box: Element) -> bool:
    """A box with a heading of its own that is no link ("Tiêu điểm", a "Tin mới" label
    first in it): another section of the page."""
    if any(
        isinstance(h.tag, str) and next(h.iter("a"), None) is None and _text(h)
        for h in box.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ):
        return True
    first = next((c for c in box.iterchildren() if isinstance(c.tag, str) and _text(c)), None)
    return (
        first is not None
        and next(first.iter("a"), None) is None
        and len(_text(first)) <= BOX_LABEL_CHARS
    )


BOX_LABEL_CHARS = 40


def _stories(box: Element, url: str, key: Callable[[str], str], place: str) -> list[str]:
    """The headline links of ``box`` to the list's ``place`` on the listing's host, in order."""
    out: list[str] = []
    for a in box.iter("a"):
        href = a.get("href")
        if not _followable(href):
            continue
        target = _resolve(url, str(href)).split("#")[0]
        text = _text(a)
        if (
            _host(target) == _host(url)
            and key(target) == place
            and len(_WORDS.findall(text)) >= STORY_WORDS  # a headline, not a section's name
            and _headline_score(text, target)
            # not a "Tin mới" box's story (a column of boxes is no box of its own)
            and not _under_other_heading(a.getparent(), OTHER_BOX_DEPTH)
        ):
            out.append(target)
    return out


STORY_WORDS = 5
OTHER_BOX_DEPTH = 6  # a link's cell, row, table, the box's cell and row: under the box's label
_WORDS = re.compile(r"\w+")


def _home(target: str) -> bool:
    """The site's home page ("Trang chủ" beside the list's items): never an article."""
    parts = urlsplit(target)
    return parts.path in ("", "/") and not parts.query


def _lead_item(group: _Group, url: str) -> str | None:
    """A featured first item in a box of its own, one headline link: just before the list, or
    inside it before the first item, shaped unlike the items."""
    first = next(iter(group.items), None)
    before = _box_before(first) if first is not None else None
    for box in (before, _box_before(group.parent)):
        if box is not None and (target := _featured(box, url)) is not None:
            return target
    return None


_SPACERS = frozenset(["br", "hr", "img"])


def _box_before(node: Element) -> Element | None:
    """The element before ``node``, past comments, line breaks and spacer images."""
    for prev in node.itersiblings(preceding=True):
        if isinstance(prev.tag, str) and prev.tag not in _SPACERS:
            return prev
    return None


def _featured(prev: Element, url: str) -> str | None:
    """The headline link of a featured box, if it holds exactly one article's links."""
    targets = {
        _resolve(url, a.get("href")).split("#")[0]: _text(a)
        for a in prev.iter("a")
        if _followable(a.get("href"))
    }
    if len(targets) != 1:
        return None
    target = next(iter(targets))
    text = max((_text(a) for a in prev.iter("a")), key=len)
    if _host(target) != _host(url) or not _headline_score(text, target):
        return None
    return target if _item_extras(prev, text) else None


def _page_number(url: str) -> tuple[str, int] | None:
    """The page parameter of a URL and its value: ("page", 2), ("path", 3)..."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        low = key.lower()
        if (
            low in _PAGE_PARAMS or low.endswith(("_cur", "pageindex", "_page", "page"))
        ) and value.isdigit():
            return key, int(value)
    m = _PAGE_PATH.search(parts.path)
    return ("path", int(m.group(1))) if m else None


def _same_list(a: str, b: str, key: str) -> bool:
    """Whether two URLs differ only in their page number."""
    pa, pb = urlsplit(a), urlsplit(b)
    if key == "path":
        return (pa.netloc, _PAGE_PATH.sub("", pa.path.rstrip("/"))) == (
            pb.netloc,
            _PAGE_PATH.sub("", pb.path.rstrip("/")),
        )
    qa = sorted((k, v) for k, v in parse_qsl(pa.query) if k != key)
    qb = sorted((k, v) for k, v in parse_qsl(pb.query) if k != key)
    return (pa.netloc, pa.path.rstrip("/"), qa) == (pb.netloc, pb.path.rstrip("/"), qb)


def _numbered(page: PageText, url: str) -> str | None:
    """In a numbered pager, the link to the number right after the marked current page."""
    tried: set[Element] = set()  # each pager element is read once, however many numbers
    for anchor, _ in page.anchors:
        text = _text(anchor)
        if not text.isdigit():
            continue
        pager = anchor.getparent()
        for _ in range(3):
            if pager is None or pager in tried:
                break
            tried.add(pager)
            current = _current_number(pager)
            if current is not None:
                for link in pager.iter("a"):
                    if _text(link) == str(current + 1) and _followable(link.get("href")):
                        return _resolve(url, str(link.get("href")))
                return None
            pager = pager.getparent()
    return None


def _in_pager(anchor: Element) -> bool:
    """Whether a link sits beside numbered page links (a pager, not a "read more" link)."""
    node = anchor.getparent()
    for _ in range(2):
        if node is None:
            return False
        if sum(1 for a in node.iter("a") if _text(a).isdigit()) >= 1:
            return True
        node = node.getparent()
    return False


def _pager_shows(root: Element, number: int) -> bool:
    """Whether a postback pager offers page ``number``."""
    wanted = str(number)
    return any(_POSTBACK in (a.get("href") or "") and _text(a) == wanted for a in root.iter("a"))


def _with_param(url: str, key: str, value: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key]
    query.append((key, str(value)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _current_number(pager: Element) -> int | None:
    """The current page of a pager: a number not linked, or marked current/active."""
    for el in pager.iter():
        if not isinstance(el.tag, str):
            continue
        text = _text(el)
        if not text.isdigit() or len(text) > 4:
            continue
        marked = _CURRENT_CLASS.search(el.get("class") or "") or el.get("aria-current")
        linked = el.tag == "a" and _followable(el.get("href"))
        inner = next((a for a in el.iter("a") if a is not el), None)
        if marked or (
            not linked
            and inner is None
            and el.tag in ("span", "b", "strong", "em", "font", "li", "td")
        ):
            return int(text)
    return None


def _rel_next(url: str, here: str, root: Element) -> str | None:
    """``<link rel="next">`` or ``<a rel="next">``."""
    for link in root.iter("link", "a"):
        if (link.get("rel") or "").lower() == "next" and _followable(link.get("href")):
            target = _resolve(url, str(link.get("href")))
            if target != here:
                return target
    return None


def _labelled_next(page: PageText, url: str, here: str) -> tuple[str | None, bool]:
    """A "Trang sau" / "Tiếp" / "»" link, and whether some pager link only posts back."""
    postback = False
    labelled: str | None = None
    for anchor, _ in page.anchors:
        href = (anchor.get("href") or "").strip()
        label = _text(anchor) or (anchor.get("title") or "")
        if _NEXT_PAGE_TEXT.match(label) or (_NEXT_TEXT.match(label) and _in_pager(anchor)):
            if _POSTBACK in href:
                postback = True
            elif _followable(href) and labelled is None:
                target = _resolve(url, href)
                if target != here:
                    labelled = target
        elif _POSTBACK in href:
            postback = True
    return labelled, postback


def _next_number(page: PageText, url: str, key: str | None, number: int) -> str | None:
    """A link to the same list with the page number one higher."""
    for anchor, _ in page.anchors:
        href = (anchor.get("href") or "").strip()
        if not _followable(href):
            continue
        target: str = _resolve(url, href)
        found = _page_number(target)
        if found is None or (key is not None and found[0] != key):
            continue
        if found[1] == number + 1 and _same_list(url, target, found[0]):
            return target
    return None


def next_page(page: PageText, url: str, root: Element) -> tuple[str | None, str | None, bool]:
    """The next listing URL, how it was found, and whether the pager only posts back."""
    here = url.split("#")[0]
    rel = _rel_next(url, here, root)
    if rel is not None:
        return rel, "rel_next", False
    labelled, postback = _labelled_next(page, url, here)
    if labelled is not None:
        return labelled, "next_label", False
    numbered = _numbered(page, url)
    if numbered is not None and numbered != here:
        return numbered, "numbered_pager", False
    current = _page_number(url)
    key, number = current if current else (None, 1)
    if postback and key is not None and key != "path" and _pager_shows(root, number + 1):
        # a postback pager on a URL that carries its page number: the number is the pager
        return _with_param(url, key, number + 1), "page_param", False
    target = _next_number(page, url, key, number)
    if target is not None:
        return target, "page_number", False
    return None, None, postback


def read_listing(root: Element, url: str) -> FreeListing:
    page = read_page(root)
    out = FreeListing(links=article_links(page, url, root))
    out.next_page, out.next_method, out.postback = next_page(page, url, root)
    return out
