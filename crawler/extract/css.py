"""Profile CSS selectors to XPath shaped for libxml2: parsel's node-sets, found faster (pure).

libxml2 evaluates a predicate on every node of a step (~0.2 µs each), so parsel's
``descendant-or-self::*[@class and contains(@class, 'x') and ...]`` costs ~90 µs on a 50 KB
portal page, per rule. Two rewrites keep every node-set and its order, and cut that cost:

- a compound with a key (its id, a class, an attribute it must have) is reached through that
  attribute: ``descendant-or-self::*/@class[contains(., 'x')]/parent::*[<the same test>]``
  tests only the class attributes, then the full condition on their few owners (a third of the
  cost). The same applies to the descendant and child steps after the first compound.
- with a ``classed`` variable, a first compound keyed by a class starts from ``$classed``: the
  page's elements whose class attribute contains one of the rule's tokens, picked once per page
  from one list of the page's class attributes (:class:`crawler.extract.selectors.PageNodes`).
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from cssselect import parse
from cssselect.parser import Attrib, Class, CombinedSelector, Hash, Tree
from cssselect.parser import Selector as ParsedSelector
from cssselect.xpath import XPathExpr, is_safe_name
from parsel.csstranslator import HTMLTranslator

DESCENDANTS = "descendant-or-self::"
CLASSED = "classed"  # the XPath variable of the class-led form
# attribute operators whose (non-empty) value is a substring of every matching value
_CONTAINING_OPERATORS = frozenset(["=", "~=", "^=", "$=", "*=", "|="])
# CSS combinators whose right-hand compound is reached through an axis step (not a sibling)
_KEYED_AXES = {" ": "/descendant::", ">": "/"}


class Key(NamedTuple):
    """An attribute every element of a compound has: ``step`` tests it, ``token`` is a class."""

    step: str
    token: str | None = None


def _leading(tree: Tree) -> Tree:
    """The first compound of a selector chain (``.a`` in ``.a > b .c``)."""
    while isinstance(tree, CombinedSelector):
        tree = tree.selector
    return tree


def _plain_attrib(node: Attrib) -> bool:
    return node.namespace is None and node.operator != "!=" and bool(is_safe_name(node.attrib))


def _class_substring(node: Any) -> str | None:
    """The text a class attribute must contain to match ``node``: ``.x``, ``[class*=x]``..."""
    if isinstance(node, Class):
        return str(node.class_name)
    if not isinstance(node, Attrib) or node.namespace is not None or node.value is None:
        return None
    if node.attrib.lower() != "class" or node.operator not in _CONTAINING_OPERATORS:
        return None
    return None if node.flag == "i" else str(node.value.value) or None


def _compound_keys(compound: Tree, translator: HTMLTranslator) -> dict[type, Key]:
    """``#x`` means ``@id = 'x'``, ``.x`` (or ``[class*=x]``...) that ``@class`` contains ``x``
    and ``[a...]`` (any operator but ``!=``) that ``@a`` exists; the first of each kind."""
    literal = translator.xpath_literal
    keys: dict[type, Key] = {}
    node: Any = compound
    while hasattr(node, "selector"):  # Class, Hash, Attrib, Pseudo, Negation...: conjunctions
        token = _class_substring(node)
        if isinstance(node, Hash):
            keys.setdefault(Hash, Key(f"@id[. = {literal(node.id)}]"))
        elif token is not None:
            keys.setdefault(Class, Key(f"@class[contains(., {literal(token)})]", token))
        elif isinstance(node, Attrib) and _plain_attrib(node):
            name = node.attrib.lower() if translator.lower_case_attribute_names else node.attrib
            keys.setdefault(Attrib, Key(f"@{name}"))
        node = node.selector
    return keys


def compound_key(compound: Tree, xpath: XPathExpr, translator: HTMLTranslator) -> Key | None:
    """The most selective key of a compound (id, class, attribute), if it may be used.

    ``None`` when there is none, or when the compound's condition depends on the context
    position (``position()``, ``last()``), which differs between the original and keyed forms.
    """
    text = str(xpath)
    if xpath.path or "position()" in text or "last()" in text:
        return None
    keys = _compound_keys(compound, translator)
    return next((keys[kind] for kind in (Hash, Class, Attrib) if kind in keys), None)


class KeyedTranslator(HTMLTranslator):
    """parsel's CSS translation with keyed steps; ``classed`` starts class-led rules there."""

    def __init__(self, classed: bool = False) -> None:
        self.classed = classed
        super().__init__()

    def lead_key(self, selector: ParsedSelector) -> Key | None:
        lead = _leading(selector.parsed_tree)
        return compound_key(lead, self.xpath(lead), self)

    def xpath_combinedselector(self, combined: CombinedSelector) -> XPathExpr:
        axis = _KEYED_AXES.get(combined.combinator)
        right = self.xpath(combined.subselector)
        key = None if axis is None else compound_key(combined.subselector, right, self)
        if key is None:
            return super().xpath_combinedselector(combined)
        return self.xpath(combined.selector).join(f"{axis}*/{key.step}/parent::", right)

    def selector_to_xpath(
        self,
        selector: ParsedSelector,
        prefix: str = DESCENDANTS,
        translate_pseudo_elements: bool = False,
    ) -> str:
        path = super().selector_to_xpath(selector, prefix, translate_pseudo_elements)
        key = self.lead_key(selector) if prefix == DESCENDANTS else None
        lead = prefix + str(self.xpath(_leading(selector.parsed_tree)))
        if (
            key is None
            or not path.startswith(lead)
            or path[len(lead) : len(lead) + 1] not in ("", "/")
        ):
            return path  # the first compound is not a plain first step (never seen)
        rest = path[len(prefix) :]
        if self.classed and key.token is not None:
            return f"${CLASSED}/self::{rest}"
        return f"{prefix}*/{key.step}/parent::{rest}"


_KEYED = KeyedTranslator()
_CLASSED = KeyedTranslator(classed=True)


class Plan(NamedTuple):
    """A rule's XPath for any context node, and its class-led form from the page root.

    ``classed`` needs ``$classed``: the page's elements whose class attribute contains one of
    ``tokens`` (a superset of the first compound's matches, which the form filters exactly).
    """

    xpath: str
    classed: str | None = None
    tokens: tuple[str, ...] = ()


@cache
def plan(css: str | None, xpath: str | None) -> Plan:
    """One plan per rule string (CSS translated once), reused for every page."""
    if xpath is not None:
        return Plan(xpath)
    css = css or ""
    keys = [_KEYED.lead_key(selector) for selector in parse(css)]
    tokens = tuple(dict.fromkeys(key.token for key in keys if key is not None and key.token))
    if not tokens:
        return Plan(_KEYED.css_to_xpath(css))
    return Plan(_KEYED.css_to_xpath(css), _CLASSED.css_to_xpath(css), tokens)
