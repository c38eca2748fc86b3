"""Layout-free reading of portal pages: no profile, rules that hold across CMS families.

:func:`read_article` finds the headline first and reads every other field relative to it;
:func:`read_listing` finds the page's main list of article links and its next page. They are
the ``generic`` profile's implementation and the fallback behind every profile rule that
misses (``crawler.extract.pages``).
"""

from crawler.extract.layoutfree.article import FreeArticle, read_article

__all__ = ["FreeArticle", "read_article"]
