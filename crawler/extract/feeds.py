"""Article links from sitemap.xml, sitemap indexes and RSS/Atom feeds (pure).

Used for portal families whose listings paginate only through AJAX (VNPT vnPortal, VHV):
portals.md §5. Returns ``(links, child_sitemaps)``; malformed XML gives empty lists.
"""

from __future__ import annotations

from lxml import etree


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def feed_links(body: bytes) -> tuple[list[str], list[str]]:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.strip() or b"<empty/>", parser=parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    kind = _local(root.tag)
    links: list[str] = []
    children: list[str] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "loc" and el.text:
            parent = _local(el.getparent().tag) if el.getparent() is not None else ""
            (children if kind == "sitemapindex" or parent == "sitemap" else links).append(
                el.text.strip()
            )
        elif name == "link":
            href = el.get("href") or (el.text or "")
            if href.strip() and kind in ("rss", "feed", "rdf"):
                parent = _local(el.getparent().tag) if el.getparent() is not None else ""
                if parent in ("item", "entry"):
                    links.append(href.strip())
    return list(dict.fromkeys(links)), list(dict.fromkeys(children))
