"""The portal's visit-statistics widget ("Thống kê truy cập"), read by label (pure).

Vendors label the same counters differently (portals.md §5): "Đang online" or "Đang truy cập",
"Tất cả", "Tổng", "Tổng lượt truy cập"... and group digits with dots or commas. The widget is
found by the profile's selectors, else by its heading anywhere in the page.
"""

from __future__ import annotations

import re

from parsel import Selector

from crawler.extract.numbers import parse_int_vi
from crawler.extract.selectors import compiled, element_text
from crawler.extract.text import normalize_text

_NUM = r"(\d{1,3}(?:[.,]\d{3})+|\d+)"
_LABELS: dict[str, str] = {
    "online": r"Đang\s+online|Đang\s+truy\s+cập|Trực\s+tuyến|Online",
    "today": r"Hôm\s+nay|Truy\s+cập\s+hôm\s+nay",
    "yesterday": r"Hôm\s+qua",
    "week": r"Trong\s+tuần|Tuần\s+này|Tuần\s+hiện\s+tại",
    "month": r"Tháng\s+hiện\s+tại|Trong\s+tháng|Tháng\s+này|Tháng",
    "total": (
        r"Tổng\s+lượt\s+truy\s+cập|Tổng\s+số\s+lượt\s+truy\s+cập|Tổng\s+truy\s+cập"
        r"|Tổng\s+số\s+lượt|Tất\s+cả|Tổng\s+cộng|Tổng"
    ),
}
_PATTERNS = {
    key: re.compile(rf"(?<!\w)(?:{labels})\s*[:：]?\s*{_NUM}(?![\d\w])", re.IGNORECASE)
    for key, labels in _LABELS.items()
}
_HEADING = re.compile(r"Thống\s+kê\s+truy\s+cập|Số\s+lượng\s+truy\s+cập|Lượt\s+truy\s+cập", re.IGNORECASE)
# text nodes first (one cheap scan), their element second
_HEADING_XPATH = (
    "//text()[contains(., 'truy cập') or contains(., 'TRUY CẬP')]"
    "[contains(., 'Thống kê') or contains(., 'THỐNG KÊ') or contains(., 'Số lượng')"
    " or contains(., 'Lượt truy cập')]/parent::*[not(self::script) and not(self::style)]"
)
FIELDS = ("online", "today", "yesterday", "week", "month", "total")


def parse_counters(text: str) -> dict[str, int | None]:
    """Counters by label from the widget's text; a missing label gives ``None``."""
    return {key: parse_int_vi(m.group(1)) if (m := pat.search(text)) else None
            for key, pat in _PATTERNS.items()}


def _widget_texts(sel: Selector, selectors: list[str]) -> list[str]:
    root = sel.root
    texts = [element_text(n) for css in selectors for n in compiled(css, None)(root)]
    if texts:
        return texts
    for heading in compiled(None, _HEADING_XPATH)(root):
        node = heading
        # climb from the heading until the block holds at least two counters
        for _ in range(6):
            if node is None:
                break
            text = element_text(node)
            if sum(v is not None for v in parse_counters(text).values()) >= 2:
                texts.append(text)
                break
            node = node.getparent()
    return texts


def extract_site_stats(sel: Selector, selectors: list[str]) -> dict[str, int | None] | None:
    """``{online, today, yesterday, week, month, total}`` or ``None`` when no widget is found."""
    for raw in _widget_texts(sel, selectors):
        text = normalize_text(raw) or ""
        counters = parse_counters(text)
        if counters["total"] is not None or sum(v is not None for v in counters.values()) >= 2:
            return counters
    return None


def has_heading(text: str) -> bool:
    return bool(_HEADING.search(text))
