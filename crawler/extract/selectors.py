"""Evaluate a profile's :class:`FieldRule` against a parsel selector (pure, no I/O)."""

from __future__ import annotations

import re
from functools import cache

from parsel import Selector, SelectorList

from crawler.extract.text import normalize_text
from crawler.profiles.schema import FieldRule

_VISIBLE_TEXT = ".//text()[not(ancestor::script) and not(ancestor::style)]"


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def node_text(node: Selector) -> str:
    """Visible text of a node (or the value of a text/attribute selector result)."""
    if isinstance(node.root, str):
        return node.root
    return " ".join(node.xpath(_VISIBLE_TEXT).getall())


def select(sel: Selector, rule: FieldRule) -> SelectorList[Selector]:
    return sel.css(rule.css) if rule.css is not None else sel.xpath(rule.xpath or "")


def apply_rule(sel: Selector, rule: FieldRule) -> list[str]:
    """Every non-empty value the rule yields, normalised, label-stripped and pattern-matched."""
    values: list[str] = []
    for node in select(sel, rule):
        raw = node.attrib.get(rule.attr) if rule.attr and not isinstance(node.root, str) else None
        text = normalize_text(raw if rule.attr else node_text(node))
        if text is None:
            continue
        if rule.label:
            text = _regex(rule.label).sub("", text, count=1).strip()
        if rule.pattern:
            match = _regex(rule.pattern).search(text)
            if match is None:
                continue
            text = (match.group(1) if match.groups() else match.group(0)).strip()
        if text:
            values.append(text)
        if not rule.multiple and values:
            break
    return values


def first(sel: Selector, rule: FieldRule | None) -> str | None:
    if rule is None:
        return None
    values = apply_rule(sel, rule)
    return values[0] if values else None
