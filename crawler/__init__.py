"""Crawler for Vietnamese government news portals (``*.gov.vn``).

The package holds everything except the spiders and the item pipelines: settings, items,
site profiles, pure extraction, storage and the operator CLI (``python -m crawler``).
"""

__version__ = "0.1.0"
