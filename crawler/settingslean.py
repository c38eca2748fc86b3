"""Components a site's crawler would build only to be told ``NotConfigured``: left out once.

A crawl of many sites runs one Scrapy crawler per site (``crawler/sitepool.py``), and each
crawler imports and instantiates every extension and middleware its settings list. Several of
them switch themselves off on a process-wide setting (no ``JOBDIR``: no spider state; no
``FEEDS``: no feed export; ``GOV_SAMPLE_DIR`` unset: no page samples; ``COOKIES_ENABLED`` and
``HTTPCACHE_ENABLED`` off, as the project sets them: no cookies, no HTTP cache), raising
``NotConfigured`` in every one of a night's 3,355 crawlers, some with a warning line each time.
:func:`lean_components` decides that once for the process: a component whose switch is off is
removed from the component list (set to ``None``, Scrapy's own way to disable one), so the
crawlers never build it. A component whose switch is on is left exactly as it was.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

_DMW = "scrapy.downloadermiddlewares"
# (component setting, component, the settings of which one must be set for it to work)
OFF_UNLESS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("EXTENSIONS", "scrapy.extensions.telnet.TelnetConsole", ("TELNETCONSOLE_ENABLED",)),
    ("EXTENSIONS", "scrapy.extensions.memdebug.MemoryDebugger", ("MEMDEBUG_ENABLED",)),
    ("EXTENSIONS", "scrapy.extensions.spiderstate.SpiderState", ("JOBDIR",)),
    ("EXTENSIONS", "scrapy.extensions.remote_control.RemoteControl", ("REMOTE_CONTROL_ENABLED",)),
    ("EXTENSIONS", "scrapy.extensions.feedexport.FeedExporter", ("FEEDS", "FEED_URI")),
    ("DOWNLOADER_MIDDLEWARES", "crawler.middlewares.SampleRecorderMiddleware", ("GOV_SAMPLE_DIR",)),
    # the project turns both off (crawler/settings.py); ``-s COOKIES_ENABLED=True`` or
    # ``-s HTTPCACHE_ENABLED=True`` keeps the middleware, in its place
    ("DOWNLOADER_MIDDLEWARES", f"{_DMW}.cookies.CookiesMiddleware", ("COOKIES_ENABLED",)),
    ("DOWNLOADER_MIDDLEWARES", f"{_DMW}.httpcache.HttpCacheMiddleware", ("HTTPCACHE_ENABLED",)),
)


def _is_set(settings: BaseSettings, name: str) -> bool:
    value = settings.get(name)
    if isinstance(value, BaseSettings):
        return bool(value.copy_to_dict())
    if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off"):
        return False
    return bool(value)


def lean_components(settings: BaseSettings) -> list[str]:
    """Disable, in ``settings`` (before any crawler copies them), every component of
    :data:`OFF_UNLESS` whose switch is off; returns the components left out."""
    left_out = []
    for setting, component, switches in OFF_UNLESS:
        if any(_is_set(settings, name) for name in switches):
            continue
        components = settings.getdict(setting)
        if components.get(component, 0) is None:
            continue
        components[component] = None
        settings.set(setting, components, priority=max(settings.getpriority(setting) or 0, 20))
        left_out.append(component)
    return left_out
