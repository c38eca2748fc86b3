"""Builders of the local mini portals the tests and benchmarks crawl (test tooling, not shipped)."""
