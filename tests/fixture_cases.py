"""Discovery of saved-page fixtures: ``tests/fixtures/{pages,listings}/<profile>/<case>/``.

Each case holds ``page.html`` (saved bytes), ``meta.json`` (``url``, ``profile``, provenance)
and ``expected.json`` (the fields a human checked). See tests/fixtures/README.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Case:
    path: Path
    meta: dict[str, Any]
    expected: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def body(self) -> bytes:
        return (self.path / "page.html").read_bytes()


def load_cases(kind: str) -> list[Case]:
    cases = []
    for meta_path in sorted((FIXTURES / kind).glob("*/*/meta.json")):
        folder = meta_path.parent
        cases.append(
            Case(
                folder,
                json.loads(meta_path.read_text(encoding="utf-8")),
                json.loads((folder / "expected.json").read_text(encoding="utf-8")),
            )
        )
    return cases
