"""Byline lines read into an author and a source (pure), for profile rules and the layout-free
reader alike: labels ("Tác giả:", "Nguồn:", "Tin, ảnh:"), a label printed alone above its value,
"Name (Source)", a whole line in brackets as the source, CMS account names skipped.
"""

from __future__ import annotations

import re
from functools import cache

from crawler.extract.credits import photo_credit
from crawler.extract.text import fold_diacritics
from crawler.profiles.schema import Byline

MAX_BYLINE_CHARS = 120


@cache
def rule_regex(pattern: str) -> re.Pattern[str]:
    """A profile's byline pattern, compiled once (case-insensitive)."""
    return re.compile(pattern, re.IGNORECASE)


# the words that label a byline, written once for every pattern below
# (a bilingual template's English labels too: "By: Minh Châu", "Source: Báo Đầu tư")
AUTHOR_WORDS = (
    r"Tác\s+giả(?:\s+bài\s+viết)?|(?:Bài|Tin)(?:\s+và|,)?\s+ảnh|Ảnh(?:\s+và|,)?\s+bài"
    r"|Người\s+viết|Phóng\s+viên"
    r"|(?:Nhóm\s+)?(?:PV|CTV)\b"  # phóng viên, cộng tác viên: "PV: Hà Linh"
    r"|(?:Bài|Tin)(?=\s*:)"  # "Tin: Hồng Nhung; ảnh: Văn Tuấn"
    r"|Author|(?<!Posted\s)By(?=\s*:)"  # "Posted by:" names the account
)
SOURCE_WORDS = r"Nguồn(?:\s+tin)?|Source"
# ... or "Viết bởi X" (Joomla/K2's "written by", no colon; X may be an account)
AUTHOR_LABEL = re.compile(rf"^(?:(?:{AUTHOR_WORDS})\s*:|Viết\s+bởi\s)\s*(.+)$", re.IGNORECASE)
SOURCE_LABEL = re.compile(rf"^(?:{SOURCE_WORDS}|Theo)\s*:\s*(.+)$", re.IGNORECASE)
# a label printed alone, its value in the next element (Drupal's field__label / field__item)
BARE_LABEL = re.compile(rf"^(?:{AUTHOR_WORDS}|{SOURCE_WORDS})\s*:?$", re.IGNORECASE)
# ... and any field's label printed alone (a record whose "Nguồn" row is empty: the next
# label, "Lượt đọc" or "Ngày đăng", is no value)
_ANY_BARE_LABEL = re.compile(
    rf"^(?:{AUTHOR_WORDS}|{SOURCE_WORDS}|(?:Số\s+)?(?:lượt|lần)\s+(?:xem|đọc)|Ngày(?:\s+\S+){{1,2}})\s*:?$",
    re.IGNORECASE,
)

# CMS accounts printed under the body: "admin admin", "Test Test", "Pho Ban bien tap", "btv01";
# and the editorial board signing as such ("BBT", Ban biên tập): no person
ACCOUNT = re.compile(
    r"^(?:admin|administrator|test|quản\s*trị(?:\s*viên)?|quan\s*tri|btv\w*|bbt|webmaster|editor"
    r"|user\d*)\b"
    r"|\b(?:ban\s+bien\s*tap|bien\s*tap(?:\s+vien)?|admin)$|^(\w+)\s+\1$|^super\s+user$"
    # the poster's line names whoever uploaded it, never the writer: "Người đăng: Quản trị viên"
    r"|^(?:(?:người|nguoi)\s+(?:đăng|dang|cập\s+nhật|cap\s+nhat|duyệt|duyet)|(?:đăng|dang)\s+"
    r"(?:bởi|boi)|posted\s+by)\s*:",
    re.IGNORECASE,
)


def read_byline(texts: list[str], rule: Byline) -> tuple[str | None, str | None]:
    """Author and source from byline lines (a line's labelled parts stand for it), the
    profile's ``rule`` telling a source line and an account from an author."""
    texts = label_values(texts)
    lines = [
        part
        for text in texts
        if not (ACCOUNT.search(text) or photo_credit(text))  # "Ảnh: Minh Tâm": a photographer
        for part in parts(text)
    ]
    # a whole line in brackets names where the article comes from: "(Phòng Văn hóa - Xã hội)"
    in_brackets = [t for t in lines if bracketed(t)]  # labelled ones are parts already
    lines = [t for t in lines if t not in in_brackets]
    author, source = classify_byline(lines, rule)
    if in_brackets and source is None:  # "(Theo Báo …)": the label inside is no part of it
        source = SOURCE_PREFIX.sub("", unbracket(in_brackets[-1])) or None
    for line in (unbracket(text) for text in lines):  # labels say it outright
        if m := AUTHOR_LABEL.match(line):
            author = m.group(1).strip(" .")
        elif m := SOURCE_LABEL.match(line):
            source = unbracket(m.group(1))
    return author, source


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return False
    return depth == 0


def unbracket(value: str) -> str:
    """``value`` without the brackets around it or left over from them ("(Báo Hà Nội)" ->
    "Báo Hà Nội"); a pair of its own stays: "Đài Truyền thanh xã Vân Khánh (cũ)"."""
    value = value.strip(" .")
    if value.startswith("(") and value.endswith(")") and _balanced(value[1:-1]):
        value = value[1:-1].strip(" .")
    while value.startswith("(") and value.count("(") > value.count(")"):
        value = value[1:].strip(" .")
    while value.endswith(")") and value.count(")") > value.count("("):
        value = value[:-1].strip(" .")
    return value


SOURCE_PREFIX = re.compile(r"^(?:Nguồn(?:\s+tin)?|Theo)\s*:?\s*", re.IGNORECASE)


def label_values(texts: list[str]) -> list[str]:
    """Lines with a label printed alone joined to the value after it ("Tác giả", "Ngọc Hân"
    -> "Tác giả: Ngọc Hân")."""
    out: list[str] = []
    for text in texts:
        if out and BARE_LABEL.match(out[-1]) and not _ANY_BARE_LABEL.match(text):
            out[-1] = f"{out[-1].rstrip(' :')}: {text}"
        else:
            out.append(text)
    return out


def bracketed(text: str) -> bool:
    """A short line wholly in brackets: "(Trung tâm …)", "(Nguồn: …)"."""
    return text.startswith("(") and text.endswith(")") and 4 < len(text) <= MAX_BYLINE_CHARS


def labelled_parts(text: str) -> list[str]:
    """The labelled parts of a line: "Lượt xem: 1.532 | Tác giả: Minh Anh" -> the author's."""
    if bracketed(text):
        text = text[1:-1].strip()
    return [p for p in line_parts(text) if AUTHOR_LABEL.match(p) or SOURCE_LABEL.match(p)]


# "|" between a line's parts, or a dash before a label ("Tác giả: X - Nguồn: Y")
_PART_BREAK = re.compile(
    rf"\s*[|·•]\s*|(?:\s+[-–—]\s+|\s*;\s*)(?=(?:{AUTHOR_WORDS}|{SOURCE_WORDS}|Ảnh)\s*:)"
    # "Tác giả: X Nguồn: Y": a capitalised label starts the next part
    rf"|\s+(?=(?-i:[A-ZĐ]))(?=(?:{AUTHOR_WORDS}|{SOURCE_WORDS})\s*:)",
    re.IGNORECASE,
)


def line_parts(text: str) -> list[str]:
    """A line's parts between "|" or "·" separators ("Ngày … | Tác giả: X | Lượt xem: …"), or
    split before a label after a dash ("Tác giả: X - Nguồn: Y") or a capitalised one ("…
    Nguồn: Y")."""
    return [p.strip() for p in _PART_BREAK.split(text)]


# "Ngọc Minh (Báo Gia Lai)": a name, then where the article comes from, in brackets
_NAME_THEN_SOURCE = re.compile(r"^([^()\d]{2,40}?)\s*(\([^()]{3,100}\))$")


# "Thu Hà - Báo Tuyên Quang": a name, a dash, then an agency the source pattern knows
_NAME_DASH_SOURCE = re.compile(r"^([^()\d:\-–—]{2,40}?)\s+[-–—]\s+(\S.{2,100})$")


# the source pattern of a byline no profile changed ("Báo …", "Trung tâm …", "Theo Báo …")
DEFAULT_SOURCE = rule_regex(Byline().source_pattern)


def parts(text: str) -> list[str]:
    if m := _NAME_THEN_SOURCE.match(text):
        return [m[1], m[2]]
    if (m := _NAME_DASH_SOURCE.match(text)) and DEFAULT_SOURCE.match(m[2]):
        return [m[1], m[2]]
    return labelled_parts(text) or [text]


def is_account(name: str) -> bool:
    """A CMS account name ("admin", "bientap", "Super User"), never an author."""
    return bool(ACCOUNT.search(fold_diacritics(name.strip())))


def classify_byline(lines: list[str], rule: Byline) -> tuple[str | None, str | None]:
    """Author is the first person-like line; a source-like line (or a second line) is the source.

    Seed layout: "Hoàng Mai" then "Trung tâm VH-TT-TT Giao Thủy"; Liferay: "Đặng Vân" alone;
    NukeViet/others: "Nguồn: ..." or "(hanoi.gov.vn)". CMS account lines are skipped.
    """
    source_re, account_re = rule_regex(rule.source_pattern), rule_regex(rule.account_pattern)
    author = source = None
    for line in lines:
        clean = line.strip(" .-–—")
        if not clean or account_re.search(clean):
            continue
        if source_re.search(clean) or (author is not None and source is None):
            if source is None:
                source = unbracket(SOURCE_PREFIX.sub("", clean)) or None
        elif author is None:
            author = re.sub(
                r"^(?:Tác\s+giả|TG|Bài(?:\s+và\s+ảnh)?)\s*:\s*", "", clean, flags=re.IGNORECASE
            )
    return author, source
