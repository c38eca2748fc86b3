"""Evaluate a profile's :class:`FieldRule` against a parsel selector (pure, no I/O)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from crawler.extract.text import normalize_text
from crawler.profiles.schema import FieldRule

_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style)]", smart_strings=False
)
_CSS = HTMLTranslator()

Node = Any  # an lxml element, or a str from a text()/@attr step


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def compiled(css: str | None, xpath: str | None) -> etree.XPath:
    """One compiled XPath per rule string (CSS translated once), reused for every page."""
    expr = xpath if xpath is not None else _CSS.css_to_xpath(css or "")
    return etree.XPath(expr, smart_strings=False)


def element_text(node: Node) -> str:
    """Visible text of an element, or the string itself for text/attribute results."""
    if isinstance(node, str):
        return node
    return " ".join(_VISIBLE_TEXT(node))


def node_text(node: Selector) -> str:
    """Visible text of a parsel node (or the value of a text/attribute selector result)."""
    return element_text(node.root)


def select_nodes(sel: Selector, rule: FieldRule) -> list[Node]:
    result = compiled(rule.css, rule.xpath)(sel.root)
    return result if isinstance(result, list) else [result]


def apply_rule(sel: Selector, rule: FieldRule) -> list[str]:
    """Every non-empty value the rule yields, normalised, label-stripped and pattern-matched."""
    values: list[str] = []
    for node in select_nodes(sel, rule):
        raw = node.get(rule.attr) if rule.attr and not isinstance(node, str) else None
        text = normalize_text(raw if rule.attr else element_text(node))
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
