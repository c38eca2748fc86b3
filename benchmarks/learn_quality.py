"""How well ``sites learn`` turns a layout-free reading into a site profile, on the test-only
layouts (``tests/fixtures/unprofiled/``), one site (host) at a time::

    .venv/bin/python benchmarks/learn_quality.py

For every host with at least two article fixtures, rules are induced from its pages
(``crawler.extract.induce``, what ``sites learn`` runs on the pages it samples), rendered to the
site profile ``sites learn`` would write, loaded back through the profile schema, and the same
pages are read with it. Each page is scored against its hand-checked ``expected.json`` with
``benchmarks/generalization.py``'s scorer, beside the layout-free reading of the same page.
In-sample: the fixtures hold two or three articles per site, so the learned rules are measured
on the pages they were learned from (a real site's next articles are not here). A host whose
learning is refused prints why (``sites learn`` exits 1 with the same lines).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from generalization import UNPROFILED, Fixture, score_article, unprofiled_fixtures

from crawler.extract import ArticlePage, selector_for
from crawler.extract.induce import Sample, induce
from crawler.learn import SiteFacts, render
from crawler.profiles import PROFILES_DIR, get_profile, load_profiles
from crawler.profiles.schema import Profile

SITE_ID = "t-learned"


def _hosts() -> dict[tuple[str, str], list[Fixture]]:
    groups: dict[tuple[str, str], list[Fixture]] = defaultdict(list)
    for fx in unprofiled_fixtures(UNPROFILED, False, []):
        groups[(fx.group, urlsplit(fx.url).hostname or "")].append(fx)
    return {key: pages for key, pages in sorted(groups.items()) if len(pages) >= 2}


def _learned(pages: list[Fixture], root: Path) -> Profile | list[str]:
    """The site profile learned from ``pages`` (written under ``root`` and loaded back), or
    why learning was refused."""
    samples = [Sample(fx.url, fx.page, fx.content_type) for fx in pages]
    learned = induce(samples, get_profile("generic"))
    if not learned.ok:
        return learned.problems
    text = render(SiteFacts(SITE_ID, "Thử", "Thử", "commune", samples[0].url), learned)
    site_dir = root / "sites"
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.mkdir()
    (site_dir / f"{SITE_ID}.toml").write_text(text, encoding="utf-8")
    return load_profiles(root)[SITE_ID]


def _score(profile: Profile, fx: Fixture) -> tuple[int, int]:
    data = ArticlePage(profile, fx.url, selector_for(fx.page, fx.content_type)).extract()
    fields = score_article(data, fx.expected).fields
    return sum(fields.values()), len(fields)


def main() -> int:
    generic = get_profile("generic")
    totals = {"layout-free": [0, 0], "learned": [0, 0]}
    learned_sites = 0
    print("| layout | site | pages | learned | fields exact: learned / layout-free |")
    print("|---|---|---:|---|---:|")
    groups = _hosts()
    for n, ((layout, host), pages) in enumerate(groups.items()):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / f"profiles{n}"  # a new path: the profile cache is per path
            shutil.copytree(PROFILES_DIR / "cms", root / "cms")
            site = _learned(pages, root)
            if isinstance(site, list):
                print(f"| {layout} | {host} | {len(pages)} | refused: {'; '.join(site)} | – |")
                continue
            learned_sites += 1
            got = [_score(site, fx) for fx in pages]
            free = [_score(generic, fx) for fx in pages]
        right = [sum(g[0] for g in got), sum(g[1] for g in got)]
        base = [sum(f[0] for f in free), sum(f[1] for f in free)]
        for key, value in (("learned", right), ("layout-free", base)):
            totals[key][0] += value[0]
            totals[key][1] += value[1]
        print(
            f"| {layout} | {host} | {len(pages)} | yes | {right[0]}/{right[1]} / {base[0]}/{base[1]} |"
        )
    lr, lf = totals["learned"], totals["layout-free"]
    print(
        f"\nlearned {learned_sites} of {len(groups)} sites; on their pages (in-sample) "
        f"learned rules {lr[0]}/{lr[1]} fields exact, layout-free {lf[0]}/{lf[1]}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
