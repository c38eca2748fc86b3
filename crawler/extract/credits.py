"""A long-form story's credit box (pure): "Nội dung: Minh Thu — Ảnh: Đức Anh — Trình bày:
Hoàng Long", or the same as a list, above the story or after it.

Its lines are labelled by role; the writer ("Nội dung", "Thực hiện", "Bài", "Phóng viên") is
the author. A "Nội dung:" label alone is no credit (a document's record has one): a credit line
or box holds two roles or more, or a broadcast's crew ("Quay phim", "Dựng", "Phát thanh viên").
"""

from __future__ import annotations

import re

_WRITER = r"Nội\s+dung|Thực\s+hiện|Bài(?:\s+viết)?|Tác\s+giả|Phóng\s+viên"
_EDITOR = r"Biên\s+tập"
# a broadcast's crew: a credit line even alone ("Phát thanh viên: …", "Quay phim: …")
_CREW = r"Quay\s+phim|Dựng(?:\s+phim)?|Phát\s+thanh\s+viên|Dẫn\s+chương\s+trình|Âm\s+thanh"
_OTHER = rf"Ảnh|Hình\s+ảnh|Trình\s+bày|Thiết\s+kế|Đồ\s+họa|Video|Kỹ\s+thuật|{_EDITOR}|{_CREW}"
_ROLE = re.compile(rf"(?:^|(?<=\s))((?:{_WRITER})|(?:{_OTHER}))\s*:\s*", re.IGNORECASE)
_WRITER_ROLE = re.compile(rf"^(?:{_WRITER})$", re.IGNORECASE)
# "Thực hiện: Minh Châu - Đức Anh" alone under a long-form story: who made it, a credit still
_MAKER_ROLE = re.compile(r"^Thực\s+hiện$", re.IGNORECASE)
_EDITOR_ROLE = re.compile(rf"^(?:{_EDITOR})$", re.IGNORECASE)
_CREW_ROLE = re.compile(rf"^(?:{_CREW})$", re.IGNORECASE)
MAX_CREDIT_CHARS = 200
# a story's reading time, printed beside its date: "7 phút đọc"
READING_TIME = re.compile(r"^\d{1,3}\s+phút\s+đọc$", re.IGNORECASE)


def credit_roles(text: str) -> list[tuple[str, str]] | None:
    """``(role, name)`` pairs when the whole line is credits ("Nội dung: A — Ảnh: B"), else
    None."""
    if len(text) > MAX_CREDIT_CHARS:
        return None
    marks = list(_ROLE.finditer(text))
    if not marks or marks[0].start() != 0:
        return None
    roles = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        name = text[m.end() : nxt.start() if nxt else len(text)].strip(" —–-|·,;.")
        if not name or len(name.split()) > 8:
            return None
        roles.append((" ".join(m.group(1).split()), name))
    return roles


_PHOTO_ROLE = re.compile(r"^(?:Ảnh|Hình\s+ảnh)$", re.IGNORECASE)


def photo_credit(text: str) -> bool:
    """Whether a line only credits a photo ("Ảnh: Thanh Hà")."""
    roles = credit_roles(text)
    return roles is not None and len(roles) == 1 and _PHOTO_ROLE.match(roles[0][0]) is not None


def read_credits(lines: list[str]) -> tuple[bool, str | None]:
    """Whether ``lines`` are a credit box (every line credits, two roles or more in all, or
    a broadcast's crew alone), and the writer it names: the "Nội dung"/"Phóng viên" one, else
    in a broadcast's credits its editor ("Biên tập: …", who wrote the piece)."""
    roles = []
    for line in lines:
        found = credit_roles(line)
        if found is None:
            return False, None
        roles.extend(found)
    crew = any(_CREW_ROLE.match(role) for role, _ in roles)
    maker = len(roles) == 1 and _MAKER_ROLE.match(roles[0][0]) is not None
    if not roles or (len({role.lower() for role, _ in roles}) < 2 and not (crew or maker)):
        return False, None
    writer = next((name for role, name in roles if _WRITER_ROLE.match(role)), None)
    if writer is None and crew:
        writer = next((name for role, name in roles if _EDITOR_ROLE.match(role)), None)
    return True, writer


def credit_author(lines: list[str]) -> str | None:
    """The writer of a credit box made of ``lines``, else None."""
    return read_credits(lines)[1]
