"""``python -m crawler ...`` entry point."""

from crawler.cli import main

raise SystemExit(main())
