"""Shared test constants."""

from __future__ import annotations

# settings for fast crawls of the local mini portal (no politeness delays on 127.0.0.1)
FAST = ["-s", "GOV_PROFILE_DELAYS=False", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"]
