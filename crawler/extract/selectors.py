"""Evaluate a profile's :class:`FieldRule` against a parsel selector (pure, no I/O)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree
from parsel import Selector

from crawler.extract.css import CLASSED, plan
from crawler.extract.text import Haystack, normalize_text
from crawler.profiles.schema import FieldRule

_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style)]", smart_strings=False
)
# the ancestor tests cost ~0.4 µs per text node; without a script or style around or inside the
# element (the usual case, one cheap name-test scan) every text node is visible
_ALL_TEXT = etree.XPath(".//text()", smart_strings=False)
_HIDDEN_TEXT = etree.XPath(
    "boolean(ancestor-or-self::script | ancestor-or-self::style"
    " | descendant::script | descendant::style)"
)
# every class attribute of a page, and their owners (the same order: one class per element)
_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
_CLASS_OWNERS = etree.XPath("descendant-or-self::*/@class/..")

Node = Any  # an lxml element, or a str from a text()/@attr step


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def _xpath(expr: str) -> etree.XPath:
    return etree.XPath(expr, smart_strings=False)


def compiled(css: str | None, xpath: str | None) -> etree.XPath:
    """The rule's XPath (CSS translated once), for any context node."""
    return _xpath(plan(css, xpath).xpath)


def _nodes(result: Any) -> list[Node]:
    return result if isinstance(result, list) else [result]


class PageNodes:
    """One page's rule results from its root, shared by the rules of one extraction.

    Rules with the same selector (views and published) are evaluated once, and class-led
    rules start from the few elements whose class attribute holds one of their tokens, picked
    in Python from one list of the page's class attributes (see :mod:`crawler.extract.css`).
    """

    def __init__(self, root: Any) -> None:
        self.root = root
        self._results: dict[str, list[Node]] = {}
        self._classes: tuple[Haystack, list[Any]] | None = None

    def classed(self, tokens: tuple[str, ...]) -> list[Any]:
        """The elements whose class attribute contains one of ``tokens``, in document order."""
        if self._classes is None:
            self._classes = Haystack(_CLASS_VALUES(self.root)), _CLASS_OWNERS(self.root)
        values, owners = self._classes
        return [owners[i] for i in values.holding(tokens)]

    def select(self, css: str | None, xpath: str | None) -> list[Node]:
        rule = plan(css, xpath)
        nodes = self._results.get(rule.xpath)
        if nodes is None:
            if rule.classed is None:
                found = _xpath(rule.xpath)(self.root)
            else:
                found = _xpath(rule.classed)(self.root, **{CLASSED: self.classed(rule.tokens)})
            nodes = self._results[rule.xpath] = _nodes(found)
        return nodes


def select(root: Any, css: str | None, xpath: str | None, page: PageNodes | None) -> list[Node]:
    """A CSS or XPath rule's nodes from the page root, through ``page`` when there is one."""
    return _nodes(compiled(css, xpath)(root)) if page is None else page.select(css, xpath)


def element_text(node: Node) -> str:
    """Visible text of an element, or the string itself for text/attribute results."""
    if isinstance(node, str):
        return node
    texts = _VISIBLE_TEXT(node) if _HIDDEN_TEXT(node) else _ALL_TEXT(node)
    return " ".join(texts)


def select_nodes(sel: Selector, rule: FieldRule, page: PageNodes | None = None) -> list[Node]:
    return select(sel.root, rule.css, rule.xpath, page)


def apply_rule(sel: Selector, rule: FieldRule, page: PageNodes | None = None) -> list[str]:
    """Every non-empty value the rule yields, normalised, label-stripped and pattern-matched."""
    values: list[str] = []
    for node in select_nodes(sel, rule, page):
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


def first(sel: Selector, rule: FieldRule | None, page: PageNodes | None = None) -> str | None:
    if rule is None:
        return None
    values = apply_rule(sel, rule, page)
    return values[0] if values else None
