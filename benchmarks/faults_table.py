"""The README's fault table, built by running ``tests/faults``: faults tried / survived / items
lost / secrets shown, by kind of fault.

Runs ``pytest tests/faults`` once (the default markers: no real MongoDB, Redis or network) with
pytest's built-in JUnit XML report, no plugin. Each test case (each parameter set) is one fault
tried; it survived when it passed. "Items lost" and "secrets shown" add up what the tests
measured and recorded with pytest's ``record_property`` (``items_lost``: articles that should be
in the store after the fault and the runs after it, and are not; ``secrets_shown``: secrets found
in the output) - recorded before their assertions, so a failing case still reports its figure.
Every other case asserts the same outcome without reporting a figure. Prints a Markdown table::

    .venv/bin/python benchmarks/faults_table.py [-k EXPR] [--xml report.xml]

Exit status: 0 when every case survived with nothing lost and no secret shown, else 1.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# test module -> kind of fault, in the table's order
KINDS = {
    "test_bad_pages": "broken or hostile pages (empty, binary, truncated, 5 MB, script, dates)",
    "test_pathological_markup": "pathological markup (100,000s of attributes, elements, depth)",
    "test_input_repair": "mislabelled input (windows-1258, UTF-16, NUL bytes, soft 404)",
    "test_legacy_encodings": "TCVN3 and windows-1258 pages with a wrong or no charset",
    "test_bad_values": "values the store cannot hold (int64 overflow, lone surrogates, dates)",
    "test_http_faults": "HTTP faults (refused, DNS, 404/500, redirect loops, off-site)",
    "test_store_faults": "store lost mid-run, spool left behind",
    "test_acknowledged_writes": "writes not acknowledged, store files deleted mid-run",
    "test_store_dropped": "database or collection dropped mid-run",
    "test_corrupt_store": "corrupt embedded store files",
    "test_replay_resume": "replay killed part way, store lost during a replay",
    "test_incomplete_runs": "SIGTERM, close-spider limits, runs killed with -9",
    "test_scrapy_crawl": "`scrapy crawl portal`: lock, exit codes, spool, aborted runs",
    "test_config_errors": "configuration mistakes (settings, URLs, data folder)",
    "test_secrets": "secrets in every URI and option form",
    "test_security": "foreign links, download limits, profiles without code, races",
}


@dataclass
class Row:
    tried: int = 0
    survived: int = 0
    lost: int = 0
    shown: int = 0
    measured_lost: int = 0
    measured_shown: int = 0


def run_suite(xml: Path, extra: list[str]) -> int:
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "tests/faults",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={xml}",
        "-o",
        "junit_family=xunit1",
        *extra,
    ]
    print("$ " + " ".join(cmd[1:]), file=sys.stderr)
    return subprocess.run(cmd, cwd=ROOT, check=False, stdout=sys.stderr).returncode


def tally(xml: Path) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for case in ET.parse(xml).iter("testcase"):
        if case.find("skipped") is not None:
            continue
        module = (case.get("classname") or "").rsplit(".", 1)[-1]
        row = rows.setdefault(module, Row())
        row.tried += 1
        if case.find("failure") is None and case.find("error") is None:
            row.survived += 1
        for prop in case.iter("property"):
            value = int(prop.get("value") or 0)
            if prop.get("name") == "items_lost":
                row.lost, row.measured_lost = row.lost + value, row.measured_lost + 1
            elif prop.get("name") == "secrets_shown":
                row.shown, row.measured_shown = row.shown + value, row.measured_shown + 1
    return rows


def table(rows: dict[str, Row]) -> list[str]:
    lines = [
        "| fault | tried | survived | items lost | secrets shown |",
        "|---|---:|---:|---:|---:|",
    ]
    total = Row()
    for module in [*KINDS, *sorted(set(rows) - set(KINDS))]:
        row = rows.get(module)
        if row is None:
            continue
        lines.append(
            f"| {KINDS.get(module, module)} | {row.tried} | {row.survived} | "
            f"{row.lost} | {row.shown} |"
        )
        for name in ("tried", "survived", "lost", "shown", "measured_lost", "measured_shown"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    lines.append(
        f"| **all** | **{total.tried}** | **{total.survived}** | **{total.lost}** | "
        f"**{total.shown}** |"
    )
    lines.append("")
    lines.append(
        f"Items lost measured by {total.measured_lost} case(s), secrets shown by "
        f"{total.measured_shown}; every other case asserts the outcome of its fault."
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", help="pytest -k expression (a subset of the cases)")
    parser.add_argument("--xml", type=Path, help="keep the JUnit XML report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        xml = args.xml or Path(tmp) / "faults.xml"
        status = run_suite(xml, ["-k", args.k] if args.k else [])
        if not xml.exists():
            print(f"pytest wrote no report (exit {status})", file=sys.stderr)
            return 1
        rows = tally(xml)
    print("\n".join(table(rows)))
    bad = any(r.survived < r.tried or r.lost or r.shown for r in rows.values())
    return 1 if bad or status not in (0, 5) else 0


if __name__ == "__main__":
    raise SystemExit(main())
