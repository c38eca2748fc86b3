"""Scrapy settings for the government-portal crawler.

Polite by default: robots.txt obeyed, AutoThrottle on, one request at a time per portal,
bounded retries and timeouts, an honest User-Agent. Custom settings carry the ``GOV_`` prefix
and sit in one block below. Secrets (``MONGO_URI``) come only from the environment.
"""

from __future__ import annotations

import os

BOT_NAME = "gov-crawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- politeness ---------------------------------------------------------------------------
USER_AGENT = (
    "gov-crawler/0.1 (+https://github.com/gov-crawler; research crawler for public "
    "government news; contact: crawler-admin@example.org)"
)
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DNS_TIMEOUT = 15
CLOSESPIDER_ERRORCOUNT = 0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
DOWNLOAD_HANDLERS: dict[str, str] = {}

# --- output -------------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("CRAWLER_LOG_LEVEL", "INFO")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedup.DedupPipeline": 300,
    "pipelines.store.StorePipeline": 800,
}
EXTENSIONS = {
    "crawler.extensions.RunReportExtension": 500,
    "crawler.progress.ProgressExtension": 510,
    "scrapy.extensions.logstats.LogStats": None,  # replaced by the cross-site progress line
}

# --- project settings (GOV_*) -----------------------------------------------------------
# MONGO_URI unset -> the embedded on-disk store under GOV_DATA_DIR
MONGO_URI = os.environ.get("MONGO_URI") or None
GOV_DATA_DIR = os.environ.get("CRAWLER_DATA_DIR", "data")
GOV_DB_NAME = os.environ.get("CRAWLER_DB_NAME", "govnews")
GOV_STORE_BATCH_SIZE = 100
GOV_STORE_TIMEOUT_MS = 5000
GOV_SPOOL_DIR = ""  # default: <GOV_DATA_DIR>/spool
GOV_MAX_FUTURE_SKEW_HOURS = 24  # a published date further in the future is dropped
GOV_RUN_ID = ""  # set by the CLI so every site of one run shares it
GOV_PROFILE_DELAYS = True  # per-portal delay/concurrency from profiles (DOWNLOAD_SLOTS)
GOV_LOCK_FILE = ""  # default: <GOV_DATA_DIR>/crawl.lock
GOV_PROGRESS = "auto"  # auto | tty | log | off
GOV_PROGRESS_INTERVAL = 60  # seconds between progress log lines when not on a terminal
