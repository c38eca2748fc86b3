"""Item pipelines: normalize (100), validate (200), dedup (300), store (800)."""
