"""Every ``gov/…`` stats name the crawler counts, in one place.

Scrapy's stats collector holds them during a run; ``crawler.extensions`` turns them into the
``crawl_runs`` record, ``crawler.monitors`` and ``crawler.progress`` read them back. Names with
a variable part (a field, a reason, an error kind) are built by the functions below; the
prefixes let readers group them.
"""

from __future__ import annotations

PREFIX = "gov/"

# pages fetched, by type
PAGES_LISTING = "gov/pages/listing"
PAGES_ARTICLE = "gov/pages/article"
PAGES_FEED = "gov/pages/feed"

# the site
DETECTED_CMS = "gov/detected_cms"
SITE_MOVED_TO = "gov/site/moved_to"

# listings and feeds
LISTING_LINKS = "gov/listing/links"
LISTING_EMPTY = "gov/listing/empty"
LISTING_UNUSABLE = "gov/listing/unusable"
LISTING_LAYOUT_FREE = "gov/listing/layout_free"
LISTING_POSTBACK_PAGER = "gov/listing/postback_pager"
LISTING_SOURCE = "gov/listing/source"
LISTING_STOPPED_KNOWN = "gov/listing/stopped_known"
LISTING_STOPPED_MAX_PAGES = "gov/listing/stopped_max_pages"
FEED_LINKS = "gov/feed/links"

# incremental runs
INCREMENTAL_REFRESHED = "gov/incremental/refreshed"
INCREMENTAL_SKIPPED_KNOWN = "gov/incremental/skipped_known"

# extraction
ARTICLES_EXTRACTED = "gov/articles/extracted"
ARTICLES_VALID = "gov/articles/valid"
EXTRACT_BAD_DATE = "gov/extract/bad_date"
EXTRACT_BAD_VIEWS = "gov/extract/bad_views"
EXTRACT_DATE_FALLBACK = "gov/extract/date_fallback"
EXTRACT_ENCODING_REPAIRED = "gov/extract/encoding_repaired"  # [+ "/" + encoding]
EXTRACT_BAD_VALUE = "gov/extract/bad_value/"  # + the field name
EXTRACT_FALLBACK = "gov/extract/fallback/"  # + field [+ "/" + method]
EXTRACT_METHOD = "gov/extract/method/"  # + field + "/" + method
EXTRACT_MISSING = "gov/extract/missing/"  # + field
DROPPED = "gov/dropped"
DROPPED_PREFIX = "gov/dropped/"  # + reason

# dedup and the store
DEDUP_DUPLICATE_OF = "gov/dedup/duplicate_of"
DEDUP_SAME_URL = "gov/dedup/same_url"
ARTICLES_NEW = "gov/articles/new"
ARTICLES_UPDATED = "gov/articles/updated"
ARTICLES_UNCHANGED = "gov/articles/unchanged"
SITE_STATS_STORED = "gov/site_stats/stored"
STORE_RECEIVED = "gov/store/received"
STORE_WRITTEN = "gov/store/written"
STORE_WRITE_ERRORS = "gov/store/write_errors"
STORE_SPOOLED = "gov/store/spooled"
STORE_DEAD_LETTERED = "gov/store/dead_lettered"
STORE_UNACKNOWLEDGED = "gov/store/unacknowledged"
STORE_UNACCOUNTED = "gov/store/unaccounted"
STORE_LOST = "gov/store/lost"
STORE_VANISHED = "gov/store/vanished"  # written, then gone (the store was dropped)
STORE_WAITS = "gov/store/waits"

# errors
ERRORS_PREFIX = "gov/errors/"  # + kind
ERRORS_BY_PAGE_PREFIX = "gov/errors_by_page/"  # + page type
ERROR_NO_PROFILE = "gov/errors/no_profile"
ERROR_STORE_LOOKUP = "gov/errors/store_lookup"
ERROR_SPOOL_FAILED = "gov/errors/spool_failed"
ERROR_DEAD_LETTER_FAILED = "gov/errors/dead_letter_failed"
ERROR_RETRY_AFTER_TOO_LONG = "gov/errors/retry_after_too_long"

# politeness and HTTP
HTTP_RETRY_AFTER_WAITS = "gov/http/retry_after_waits"
POLITENESS_REDIS_ERRORS = "gov/politeness/redis_errors"
POLITENESS_SHARED_WAITS = "gov/politeness/shared_waits"
POLITENESS_SHARED_WAIT_MS = "gov/politeness/shared_wait_ms"
POLITENESS_SHARED_LATE_WAITS = "gov/politeness/shared_late_waits"  # a booked turn that came late
POLITENESS_FLOOR_WAITS = "gov/politeness/floor_waits"  # a request held to keep the delay
POLITENESS_HOSTS_DOWN = "gov/politeness/hosts_down"  # hosts that never answered
POLITENESS_SKIPPED_HOST_DOWN = "gov/politeness/skipped_host_down"  # requests not sent to them

# distributed runs
DISTRIBUTED_JOB = "gov/distributed/job"
DISTRIBUTED_WORKER = "gov/distributed/worker"
DISTRIBUTED_FILTERED = "gov/distributed/filtered"
DISTRIBUTED_IDLE_WAITS = "gov/distributed/idle_waits"

# the run report the extension builds at the end (a dict, read by monitors and the CLI)
RUN_REPORT = "gov/run_report"


def dropped(reason: str) -> str:
    return DROPPED_PREFIX + reason


def error(kind: str) -> str:
    return ERRORS_PREFIX + kind


def errors_by_page(page_type: str) -> str:
    return ERRORS_BY_PAGE_PREFIX + page_type


def extract_missing(field: str) -> str:
    return EXTRACT_MISSING + field


def extract_method(field: str, method: str) -> str:
    return f"{EXTRACT_METHOD}{field}/{method}"


def extract_fallback(field: str, method: str | None = None) -> str:
    return EXTRACT_FALLBACK + field + (f"/{method}" if method else "")


def bad_value(field: str) -> str:
    return EXTRACT_BAD_VALUE + field


def encoding_repaired(encoding: str) -> str:
    return f"{EXTRACT_ENCODING_REPAIRED}/{encoding}"
