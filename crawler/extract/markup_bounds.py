"""Bounded parsing cost: start tags with absurdly many attributes are cut before libxml2.

libxml2's HTML parser (2.14 here) checks every attribute of a start tag against every earlier
one for duplicates, so one element with N attributes costs O(N²): 40,000 attributes take 1.6 s
to parse, 300,000 (a 4 MB page) about 90 s. Tens of thousands of elements, or deep nesting, stay
linear (libxml2 stops building the tree past its depth limit; see ``tests/faults/corpus.py``).

:func:`cap_attributes` keeps the first :data:`MAX_ATTRIBUTES` attributes of any start tag that
has more and drops the rest, in one regex pass (no Python code per tag, possessive quantifiers:
no backtracking), before the page is parsed. Real pages use a few dozen attributes at most; what
is dropped is noise a hostile or broken page added. Attributes are split as the HTML tokenizer
splits them: by whitespace or ``/``, or after a quoted value with nothing between.

Known limit: the first look is for a ``>``-free run, so a tag whose attribute values each hold
a quoted ``>`` is not cut (a page built to defeat this check, not a broken one).
"""

from __future__ import annotations

import logging
import re
from typing import AnyStr

logger = logging.getLogger(__name__)

MAX_ATTRIBUTES = 256

_ATTRIBUTE = (
    r"[\s/]*+"  # separators (none after a quoted value)
    r"(?:=[^\s/>=]*+|[^\s/>=]++)"  # a name (one starting with "=" is a name too)
    r"(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s>]*+))?+"  # an optional value
)
_PATTERN = (
    r"(?P<kept><[A-Za-z][^\s/>]*+(?>(?:" + _ATTRIBUTE + r"){" + str(MAX_ATTRIBUTES) + r"}))"
    r"(?:" + _ATTRIBUTE + r")++"
)
# every attribute takes two bytes or more (a name and a separator, or a quoted value), so a
# start tag with too many runs on for that long before any ">": a cheap first look
_LONG = r"<[A-Za-z][^>]{" + str(2 * MAX_ATTRIBUTES) + "}"
_TEXT = re.compile(_PATTERN), re.compile(_LONG)
_BYTES = re.compile(_PATTERN.encode("ascii")), re.compile(_LONG.encode("ascii"))


def cap_attributes(markup: AnyStr) -> tuple[AnyStr, int]:
    """``markup`` with every start tag cut to :data:`MAX_ATTRIBUTES` attributes, and the number
    of tags that were cut (0: ``markup`` itself is returned).

    Only a tag that runs on for ``2 * MAX_ATTRIBUTES`` bytes before a ``>`` is looked at
    closely (about a twentieth of an lxml parse on the fixture pages); a page with one is cut
    in one more pass.
    """
    capped, long_tag = _BYTES if isinstance(markup, bytes) else _TEXT
    for found in long_tag.finditer(markup):
        if capped.match(markup, found.start()):
            break
    else:
        return markup, 0
    result, count = capped.subn(r"\g<kept>", markup)  # type: ignore[call-overload]
    logger.warning(
        "%d start tags with more than %d attributes: the rest of their attributes "
        "dropped before parsing",
        count,
        MAX_ATTRIBUTES,
    )
    return result, count
