"""Only for ``scrapyd-deploy``, which builds its egg with ``setup.py bdist_egg`` (and, when this
file is missing, writes its own with ``find_packages()``, which would pack ``tests/`` and no data).

Everything (packages, package data, the ``scrapy`` settings entry point) is in pyproject.toml;
``pip install .`` does not need this file.
"""

from setuptools import setup

setup()
