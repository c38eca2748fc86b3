"""Crawl tests use the shared fixtures in tests/conftest.py (mini portal, CLI runner)."""
