"""Pydantic models for site and CMS profiles.

A profile is data, never code: every selector is a CSS or XPath string and every rule a regex.
All of them are compiled here, at load time, so an operator's typo fails with the field named
instead of at 02:00 in the nightly run. This module imports no Scrapy engine and no storage.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from lxml import etree
from parsel.csstranslator import HTMLTranslator
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crawler.fields import COVERAGE_FIELDS

_CSS = HTMLTranslator()


def compile_css(value: str) -> str:
    """Translate a CSS selector (with parsel's ``::text``/``::attr()``) to XPath or raise."""
    try:
        return _CSS.css_to_xpath(value)
    except Exception as exc:  # cssselect raises several unrelated types
        raise ValueError(f"invalid CSS selector {value!r}: {exc}") from exc


def compile_xpath(value: str) -> str:
    try:
        etree.XPath(value)
    except etree.XPathSyntaxError as exc:
        raise ValueError(f"invalid XPath {value!r}: {exc}") from exc
    return value


def compile_regex(value: str) -> re.Pattern[str]:
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"invalid regex {value!r}: {exc}") from exc


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldRule(_Model):
    """One declarative extraction rule: a selector, then optional label stripping and a regex."""

    css: str | None = None
    xpath: str | None = None
    attr: str | None = None
    label: str | None = None
    pattern: str | None = None
    multiple: bool = False

    @field_validator("css")
    @classmethod
    def _css(cls, v: str | None) -> str | None:
        if v is not None:
            compile_css(v)
        return v

    @field_validator("xpath")
    @classmethod
    def _xpath(cls, v: str | None) -> str | None:
        return None if v is None else compile_xpath(v)

    @field_validator("label", "pattern")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            compile_regex(v)
        return v

    @model_validator(mode="after")
    def _one_selector(self) -> FieldRule:
        if (self.css is None) == (self.xpath is None):
            raise ValueError("give exactly one of 'css' or 'xpath'")
        return self


def _css_list(values: list[str]) -> list[str]:
    for v in values:
        compile_css(v)
    return values


def _regex_list(values: list[str]) -> list[str]:
    for v in values:
        compile_regex(v)
    return values


class Detect(_Model):
    """Fingerprints of a CMS family: regexes searched in the raw HTML and in the URL.

    ``platform``: markers every build on the same platform carries (stock SharePoint, stock
    Liferay), not only this vendor's. They add to the score, but a family whose own ``html``
    and ``url`` fingerprints all miss is not detected: another vendor's build on the same
    platform is better read layout-free than with this family's selectors.
    """

    html: list[str] = Field(default_factory=list)
    url: list[str] = Field(default_factory=list)
    platform: list[str] = Field(default_factory=list)
    min_score: int = 2

    @field_validator("html", "url", "platform")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _regex_list(v)


class UrlRules(_Model):
    article_allow: list[str] = Field(default_factory=list)
    article_deny: list[str] = Field(default_factory=list)
    strip_params: list[str] = Field(default_factory=list)

    @field_validator("article_allow", "article_deny")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _regex_list(v)


class Pagination(_Model):
    """URL-template pagination, for portals whose pager is JavaScript or absent.

    Either ``param`` (a query parameter set to ``first``, ``first + 1``, ...: ``?PageIndex=N``,
    ``?page=N``, Liferay's ``_101_cur=N``) or ``path`` (a last path segment with ``{n}``:
    NukeViet's ``page-{n}``, ``trang-{n}.html``), applied to the start URL.
    """

    param: str | None = None
    path: str | None = None
    first: int = 1

    @field_validator("path")
    @classmethod
    def _path(cls, v: str | None) -> str | None:
        if v is not None and ("{n}" not in v or "/" in v):
            raise ValueError("path must be one segment holding {n}, e.g. 'page-{n}'")
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> Pagination:
        if (self.param is None) == (self.path is None):
            raise ValueError("give exactly one of 'param' or 'path'")
        return self


class ListingRules(_Model):
    """How to walk a listing: article links, then the next page.

    The ``next_page`` link wins; ``pagination`` (a URL template) is used when the page has no
    next link (JavaScript pagers). ``feeds`` are sitemap.xml or RSS paths read for article links
    on portals whose listings paginate only through AJAX.
    """

    article_links: FieldRule
    next_page: FieldRule | None = None
    pagination: Pagination | None = None
    feeds: list[str] = Field(default_factory=list)


# the capital letters a Vietnamese name can start with (NFC), for case-sensitive checks inside
# patterns compiled with IGNORECASE
UPPER_INITIALS = "A-Z0-9ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"


class Byline(_Model):
    """Trailing right-aligned lines of the body: author, source, or a CMS account to ignore.

    ``exclude``: selectors of right-aligned elements that are never a byline (they stay in the
    body and end the byline search)."""

    css: str = (
        'p[align="right"], p[style*="right"], div[align="right"], div[style*="right"], '
        ".text-right, .pull-right, .float-right, .text-end, .align-right"
    )
    exclude: list[str] = Field(default_factory=list)
    # "Theo" names a source only before a name or a site ("Theo TTXVN", "Theo Báo và Phát thanh,
    # Truyền hình Ninh Bình", "Theo baochinhphu.vn"), not a sentence ("Theo kế hoạch, dự án sẽ
    # ...", "Theo Ban Tổ chức, giải năm nay ..."): a capital after "Theo" and after every comma
    source_pattern: str = (
        r"^(?:Nguồn|Nguồn tin|Source)\b|^Theo\s+(?:(?-i:[" + UPPER_INITIALS + r"])"
        r"(?:[^,;]|[,;]\s*(?-i:[" + UPPER_INITIALS + r"]))*$|[\w.-]+\.vn\b)"
        r"|^Trung\s+tâm\b|^Đài\b|^Báo\b|^Cổng\s+thông\s+tin\b|^\(?[\w.-]+\.(?:gov\.)?vn\)?$"
    )
    account_pattern: str = r"^(?:admin(?:\s+admin)?|quản\s*trị(?:\s*viên)?)$"
    max_lines: int = 4

    @field_validator("css")
    @classmethod
    def _css(cls, v: str) -> str:
        compile_css(v)
        return v

    @field_validator("exclude")
    @classmethod
    def _exclude(cls, v: list[str]) -> list[str]:
        return _css_list(v)

    @field_validator("source_pattern", "account_pattern")
    @classmethod
    def _regex(cls, v: str) -> str:
        compile_regex(v)
        return v


class ArticleRules(_Model):
    title: FieldRule
    body: list[str]
    body_remove: list[str] = Field(default_factory=list)
    # how the element ``body`` names is read: "rules" walks it with ``body_remove`` and the
    # byline rule; "layout-free" hands it to the layout-free reader as the article block (its
    # lead, byline, caption and noise rules), as ``sites learn`` writes when no rule walk
    # reproduces that reading
    body_reading: Literal["rules", "layout-free"] = "rules"
    summary: FieldRule | None = None
    published: FieldRule | None = None
    views: FieldRule | None = None
    author: FieldRule | None = None
    source: FieldRule | None = None
    category: FieldRule | None = None
    lead_image: FieldRule | None = None
    # caption of the lead image when the template prints it outside the body (<figcaption>)
    lead_caption: FieldRule | None = None
    byline: Byline = Field(default_factory=Byline)

    @field_validator("body", "body_remove")
    @classmethod
    def _css(cls, v: list[str]) -> list[str]:
        return _css_list(v)


class SiteStatsRules(_Model):
    """Where the visit-statistics widget lives; labels are matched by regex inside it."""

    css: list[str] = Field(default_factory=list)

    @field_validator("css")
    @classmethod
    def _css(cls, v: list[str]) -> list[str]:
        return _css_list(v)


class CrawlPolicy(_Model):
    delay: float = Field(default=1.0, ge=0)
    concurrency: int = Field(default=1, ge=1, le=8)
    max_listing_pages: int = Field(default=50, ge=1)
    stop_after_known_pages: int = Field(default=2, ge=1)
    refresh_views_days: int = Field(default=7, ge=0)
    # the start paths are home pages: their news sections ("Tin tức", "Hoạt động", ...) are
    # found from the menu (crawler/extract/sections.py) and walked as listings; a home page
    # with none is read as a listing itself
    discover_sections: bool = False


class Expectations(_Model):
    min_items: int = Field(default=1, ge=0)
    coverage: dict[str, float] = Field(default_factory=dict)

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, v: dict[str, float]) -> dict[str, float]:
        for name, share in v.items():
            if name not in COVERAGE_FIELDS:
                raise ValueError(f"unknown field {name!r} (one of {', '.join(COVERAGE_FIELDS)})")
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"coverage for {name!r} must be between 0 and 1")
        return v


Level = Literal["province", "department", "district", "commune"]


class Profile(_Model):
    """A merged profile: a CMS family plus (for sites) the portal's identity and policy."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: Literal["cms", "site"]
    cms: str
    extends: str | None = None
    description: str = ""
    name: str = ""
    province: str = ""
    level: Level | None = None
    base_url: str | None = None
    start_paths: list[str] = Field(default_factory=list)
    allowed_hosts: list[str] = Field(default_factory=list)
    former_hosts: list[str] = Field(default_factory=list)
    timezone: str = "Asia/Ho_Chi_Minh"
    detect: Detect = Field(default_factory=Detect)
    urls: UrlRules = Field(default_factory=UrlRules)
    listing: ListingRules
    article: ArticleRules
    site_stats: SiteStatsRules = Field(default_factory=SiteStatsRules)
    crawl: CrawlPolicy = Field(default_factory=CrawlPolicy)
    expect: Expectations = Field(default_factory=Expectations)

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, v: str | None) -> str | None:
        if v is None:
            return v
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http(s) URL with a host, got {v!r}")
        return v if v.endswith("/") else v + "/"

    @model_validator(mode="after")
    def _site_fields(self) -> Profile:
        if self.kind == "site":
            missing = [f for f in ("base_url", "name", "level") if not getattr(self, f)]
            if not self.start_paths:
                missing.append("start_paths")
            if missing:
                raise ValueError(f"a site profile needs {', '.join(missing)}")
        return self

    @property
    def host(self) -> str:
        return urlsplit(self.base_url or "").hostname or ""

    @property
    def hosts(self) -> list[str]:
        """Every host this site may be crawled on (its own, aliases and pre-merger hosts)."""
        return [h for h in [self.host, *self.allowed_hosts, *self.former_hosts] if h]

    @property
    def start_urls(self) -> list[str]:
        base = (self.base_url or "").rstrip("/")
        return [p if p.startswith("http") else base + "/" + p.lstrip("/") for p in self.start_paths]
