"""``python -m crawler sites learn``: sample a portal, induce its rules, write its profile."""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path
from typing import Any

from crawler.cli.common import EXIT_CONFIG, EXIT_OK
from crawler.exceptions import ProfileError

SHOWN = ("title", "published_at", "views", "author", "source", "body")


def _table(learned: Any) -> str:
    """Sampled pages x fields, as the operator checks them."""
    rows = ["page | " + " | ".join(SHOWN)]
    for row in learned.table:
        cells = [
            str(row.get(name) if name != "body" else f"{row['body']} chars")[:40] for name in SHOWN
        ]
        rows.append(row["url"][-50:] + " | " + " | ".join(cells))
    return "\n".join(rows)


def _rules(learned: Any) -> str:
    lines = []
    for name, result in learned.rules.items():
        if result.rule is not None:
            how = ", read layout-free" if result.rule.get("reading") == "layout-free" else ""
            lines.append(
                f"  {name}: {result.rule['css']}  ({result.agree}/{result.total} pages{how})"
            )
        else:
            lines.append(f"  {name}: layout-free ({result.reason})")
    body = learned.rules.get("body")
    if learned.body_remove and not (body and body.rule and body.rule.get("reading")):
        lines.append(f"  body_remove: {', '.join(learned.body_remove)}")
    return "\n".join(lines)


def _facts(args: argparse.Namespace) -> Any:
    from crawler.learn import SiteFacts
    from crawler.profiles import load_profiles

    args.id = args.id or (args.ids[0] if args.ids else None)
    known = load_profiles().get(args.id) if args.id else None
    if known is not None and known.kind == "site":  # re-learn: the site's own start listing
        return SiteFacts(
            known.id,
            args.name or known.name,
            args.province or known.province,
            args.level or known.level or "commune",
            args.start_url or known.start_urls[0],
        )
    if not args.start_url or not args.id:
        raise ProfileError(
            "sites learn needs --start-url URL and --id ID (or the id of a known site)"
        )
    return SiteFacts(
        args.id, args.name or args.id, args.province or "", args.level or "commune", args.start_url
    )


def _write(target: Path, text: str, replace: bool) -> bool:
    """Write the learned profile; an existing different one is only shown as a diff unless
    ``replace`` (``--write``). Returns whether the file was written."""
    if target.exists() and target.read_text(encoding="utf-8") != text:
        diff = difflib.unified_diff(
            target.read_text(encoding="utf-8").splitlines(),
            text.splitlines(),
            str(target),
            "learned",
            lineterm="",
        )
        print("\n".join(diff))
        if not replace:
            print(
                f"sites learn: {target} differs; run again with --write to replace it",
                file=sys.stderr,
            )
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"sites learn: wrote {target}", file=sys.stderr)
    return True


def cmd_learn(args: argparse.Namespace, settings: Any) -> int:
    from crawler.learn import check, destination, render, sample, samples_from
    from crawler.profiles import get_profile

    try:
        facts = _facts(args)
    except ProfileError as exc:
        print(f"sites learn: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    with tempfile.TemporaryDirectory() as tmp:
        lines = sample(facts.start_url, Path(tmp), settings)
        from crawler.extract.induce import induce

        learned = induce(samples_from(Path(tmp), lines), get_profile("generic"))
    fetched = sum(1 for line in lines if line["page_type"] == "article")
    print(
        f"sampled {len(lines)} pages ({fetched} articles) from {facts.start_url}", file=sys.stderr
    )
    print(_table(learned))
    print(_rules(learned))
    if not learned.ok:
        for problem in learned.problems:
            print(f"sites learn: refused: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    text = render(facts, learned)
    try:
        check(text, facts.id)
    except ProfileError as exc:
        print(f"sites learn: the learned profile does not validate: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    target = destination(facts.id)
    if not _write(target, text, args.write):
        return EXIT_OK
    from datetime import date

    from crawler.learn import register

    why = register(facts, f"learned by sites learn from {facts.start_url} on {date.today()}")
    print(f"sites learn: {why}" if why else "sites learn: added the registry row", file=sys.stderr)
    return EXIT_OK
