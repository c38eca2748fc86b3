"""Analytics over the stored dataset: documented queries, export, republication clusters, report.

Everything here reads the store through the pymongo API and works on both back ends (a real
MongoDB and the embedded litemongo store); ``docs/schema.md`` documents the collections.
"""
