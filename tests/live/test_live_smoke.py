"""Do the shipped profiles still match the real portals? Needs internet: ``-m network``.

Never run in CI (deselected by default). Run by hand or weekly:
``python -m pytest -m network tests/live``.
"""

from __future__ import annotations

import pytest

from crawler.livecheck import check_site, render
from crawler.profiles import load_profiles

SITES = sorted(p.id for p in load_profiles().values() if p.kind == "site")


@pytest.mark.network
@pytest.mark.parametrize("site", SITES)
def test_profile_matches_live_portal(site: str) -> None:
    check = check_site(load_profiles()[site])
    assert check.ok, "\n".join(render(check))
