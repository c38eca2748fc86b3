"""Scrapy settings for the government-portal crawler.

Polite by default: robots.txt obeyed, AutoThrottle on, one request at a time per portal,
bounded retries and timeouts, an honest User-Agent. Custom settings carry the ``GOV_`` prefix
and sit in one block below. Secrets (``MONGO_URI``) come only from the environment.
"""

from __future__ import annotations

import os

from crawler.eggdata import use_egg_data

# Scrapyd runs the project from a zipped egg: extract its profiles and registry to a cache
# folder first (crawler/eggdata.py); a no-op for an installed package or a checkout
use_egg_data()

BOT_NAME = "gov-crawler"
SPIDER_MODULES = ["spiders"]
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl` with the CLI's lock, verdict, exit codes
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
# items of one page handled at once: Scrapy starts this many asyncio tasks for *every* page
# (100 by default: a fifth of a national night's CPU went to creating and waking them); a page
# yields ~20 links and items, and the store pipeline batches its writes anyway
CONCURRENT_ITEMS = 8
# sites crawled at once by one process (each its own crawler, ~1 MB); the next one starts when
# one ends, so memory stays flat however many sites a night names (crawler/sitepool.py); 0: all
GOV_SITES_AT_ONCE = 256
# start the sites that took longest last time first (and those never timed), so a slow portal
# never runs alone at the end of the night (crawler/siteorder.py); False: the order given
GOV_LONGEST_FIRST = True
# Scrapy parses the source of every callback of every new spider to warn about `return value`
# in generators: a third of a site's start-up CPU in a national run, for a check the tests make
WARN_ON_GENERATOR_RETURN_VALUE = False
# one DNS cache for the whole process (every site's crawler): room for every portal's host
DNSCACHE_ENABLED = True
DNSCACHE_SIZE = 10_000
REACTOR_THREADPOOL_MAXSIZE = 20  # DNS lookups run in this pool: 256 sites start at once
DOWNLOAD_DELAY = 1.0
# the delay (DOWNLOAD_DELAY, or the profile's) is the least gap between two requests to a host:
# jitter only adds up to this share on top, and AutoThrottle never goes below it
# (crawler/politeness.py: PoliteDownloader)
DOWNLOAD_DELAY_JITTER = 0.1
DOWNLOADER = "crawler.politeness.PoliteDownloader"
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
# Scrapy 2.19's RemoteControl: an HTTP server that runs posted Python code, one per site crawler
# (a token file each): never wanted on a crawl host, and a national night would open 3,355
REMOTE_CONTROL_ENABLED = False
HTTPCACHE_ENABLED = False
DOWNLOAD_HANDLERS: dict[str, str] = {}

# --- output -------------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("CRAWLER_LOG_LEVEL", "INFO")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Scrapy's in-memory stats without its per-call deprecation hook (crawler/leanstats.py)
STATS_CLASS = "crawler.leanstats.LeanStatsCollector"

DOWNLOADER_MIDDLEWARES = {
    # last to see a failure, after retries: counts it (gov/errors/<kind>, crawler/errors.py)
    "crawler.errors.DownloadErrorsMiddleware": 10,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,  # same place, plus Retry-After
    # a host that never answered costs its timeout once, not once per request and retry
    "crawler.politeness.HostDownMiddleware": 560,
    "crawler.middlewares.RedirectGuardMiddleware": 610,  # loops and off-site article redirects
    "crawler.middlewares.SampleRecorderMiddleware": 950,  # sites learn only (GOV_SAMPLE_DIR)
}
# Scrapy's HTTP/1.1 handler; in distributed mode it first books the portal's turn in Redis, so
# a portal's delay holds across all workers (crawler/politeness.py)
DOWNLOAD_HANDLERS = {
    "http": "crawler.politeness.PoliteDownloadHandler",
    "https": "crawler.politeness.PoliteDownloadHandler",
}
CLOSESPIDER_TIMEOUT = 4 * 3600  # no portal may hold the night longer than this

SPIDER_MIDDLEWARES = {
    # before Scrapy's HttpErrorMiddleware (50) logs them: HTTP error statuses, counted
    "crawler.errors.HttpErrorsMiddleware": 60,
    # incremental runs: stored articles are not fetched again (crawler/incremental.py)
    "crawler.incremental.IncrementalMiddleware": 900,
}
# `scrapy crawl portal -O articles.xlsx`: the Excel exporter of `export --format xlsx`
FEED_EXPORTERS = {"xlsx": "crawler.analytics.xlsx.XlsxItemExporter"}
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
    # alerts: after RunReportExtension, so its spider_closed has built the run report
    "spidermon.contrib.scrapy.extensions.Spidermon": 600,
}

# --- project settings (GOV_*) -----------------------------------------------------------
# MONGO_URI unset -> the embedded on-disk store under GOV_DATA_DIR
MONGO_URI = os.environ.get("MONGO_URI") or None
GOV_DATA_DIR = os.environ.get("CRAWLER_DATA_DIR", "data")
GOV_DB_NAME = os.environ.get("CRAWLER_DB_NAME", "govnews")
GOV_STORE_BATCH_SIZE = 100
GOV_STORE_INFLIGHT = 2  # batches being written while the crawl goes on; a further one waits
GOV_STORE_WORKER = "process"  # the store runs in a worker process; "inline": in the crawler
GOV_STORE_TIMEOUT_MS = 5000
GOV_EMBEDDED_MAX_ARTICLES = 200_000  # past this the embedded store warns: use MongoDB (0: off)
GOV_SPOOL_DIR = ""  # default: <GOV_DATA_DIR>/spool
GOV_MAX_FUTURE_SKEW_HOURS = 24  # a published date further in the future is dropped
GOV_RUN_ID = ""  # set by the CLI so every site of one run shares it
GOV_PROFILE_DELAYS = True  # per-portal delay/concurrency from profiles (DOWNLOAD_SLOTS)
GOV_LOCK_FILE = ""  # default: <GOV_DATA_DIR>/crawl.lock
GOV_PROGRESS = "auto"  # auto | tty | log | off
GOV_PROGRESS_INTERVAL = 60  # seconds between progress log lines when not on a terminal
GOV_RETRY_AFTER_MAX = 120  # seconds; a longer Retry-After gives the request up
GOV_HOST_DOWN_FAST = True  # a host that never answered: its other requests fail at once
GOV_SAMPLE_DIR = ""  # sites learn: save the fetched listing and article pages here
GOV_LEARN_MAX_REQUESTS = 30  # sites learn: the sampling crawl's budget (robots.txt included)
GOV_REPORT_DETAIL_SITES = 100  # report: past this many sites, overview + detail of the ranked

# --- distributed crawling (scrapy-redis; crawler/distributed.py, docs/scaling.md) -------------
# GOV_REDIS_URL (or REDIS_URL) unset: Scrapy's own in-memory scheduler, exactly as before.
# Set (environment, or -s GOV_REDIS_URL=redis://host:6379/0): every worker started with the
# same URL and job shares one Redis request queue and one request dupefilter per site, so each
# URL is fetched once by one worker; articles meet in the one store (MONGO_URI), where the
# unique canonical_url index and upserts keep one document per article.
SCHEDULER = "crawler.distributed.GovScheduler"  # switches on GOV_REDIS_URL at crawl start
GOV_REDIS_URL = os.environ.get("GOV_REDIS_URL") or os.environ.get("REDIS_URL") or ""
GOV_REDIS_JOB = os.environ.get("GOV_REDIS_JOB", "shared")  # one name per shared crawl
GOV_LOCAL_SCHEDULER = ""  # the scheduler when not distributed; default Scrapy's own
GOV_REDIS_KEY_PREFIX = "gov"  # keys: <prefix>:<job>:<site id>:requests|seen|busy
GOV_WORKER_ID = ""  # default <hostname>:<pid>:<random>; shown in logs and stats
# What the workers of one job share (docs/national.md, "Two or more workers"):
# "requests": every worker crawls every site, taking requests from each site's shared queue
# (one huge site across machines); "sites": each site is crawled by one worker, start to end,
# the workers taking the night's sites from one shared list (a national night on K cores)
GOV_REDIS_SHARE = "requests"
GOV_REDIS_SITES_BEAT = 5.0  # s between a sites-mode worker's heartbeats
GOV_REDIS_SITES_STALE = 60.0  # s; a worker silent this long (killed) no longer holds the list
# A worker never clears the shared queue on close (scrapy-redis would, with PERSIST off, under
# the other workers); the last worker to leave a finished job deletes its keys instead, so the
# next run starts afresh. GOV_REDIS_CLEANUP=False keeps the dupefilter: later runs of the job
# then fetch only URLs never seen. A job whose workers all died resumes its queue on restart.
SCHEDULER_PERSIST = True
GOV_REDIS_CLEANUP = True
GOV_SHARED_POLITENESS = True  # one request per portal delay across all workers (Redis)
GOV_REDIS_BUSY_TIMEOUT = 15.0  # s; an idle worker waits while another was busy this recently
GOV_REDIS_POLL_INTERVAL = 0.5  # s; busy heartbeat, and how soon an idle worker sees new work

# --- alerts (Spidermon; crawler/monitors.py, README "Alerts") --------------------------------
# Each site's run is checked by Spidermon monitors when its spider closes (verdict healthy,
# field coverage at the profile's [expect], finish reason "finished"); a failure is sent to
# every configured channel below. Nothing configured: no alert, no error. Secrets come from the
# environment (or .env); they are masked in every message and log line.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["crawler.monitors.RunMonitorSuite"]
GOV_ALERT_SMTP_HOST = os.environ.get("GOV_ALERT_SMTP_HOST", "")  # e-mail: host and SMTP_TO
GOV_ALERT_SMTP_PORT = os.environ.get("GOV_ALERT_SMTP_PORT", "")  # empty: 587, 465 (ssl), 25 (none)
GOV_ALERT_SMTP_SECURITY = os.environ.get("GOV_ALERT_SMTP_SECURITY", "starttls")  # starttls|ssl|none
GOV_ALERT_SMTP_USER = os.environ.get("GOV_ALERT_SMTP_USER", "")  # empty: no SMTP login
GOV_ALERT_SMTP_PASSWORD = os.environ.get("GOV_ALERT_SMTP_PASSWORD", "")  # secret
GOV_ALERT_SMTP_FROM = os.environ.get("GOV_ALERT_SMTP_FROM", "")  # default gov-crawler@<host>
GOV_ALERT_SMTP_TO = os.environ.get("GOV_ALERT_SMTP_TO", "")  # comma-separated addresses
GOV_ALERT_SLACK_WEBHOOK = os.environ.get("GOV_ALERT_SLACK_WEBHOOK", "")  # secret: webhook URL
GOV_ALERT_TELEGRAM_TOKEN = os.environ.get("GOV_ALERT_TELEGRAM_TOKEN", "")  # secret: bot token
GOV_ALERT_TELEGRAM_CHAT_ID = os.environ.get("GOV_ALERT_TELEGRAM_CHAT_ID", "")
GOV_ALERT_TELEGRAM_API = os.environ.get("GOV_ALERT_TELEGRAM_API", "https://api.telegram.org")
GOV_ALERT_TIMEOUT = 10.0  # seconds per channel
