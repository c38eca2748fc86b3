"""Scrapy commands of this project (``COMMANDS_MODULE``): ``scrapy crawl`` with the CLI's
verdicts, exit codes and run lock."""
