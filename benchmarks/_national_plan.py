"""The portals of a national benchmark night: who they are, where they listen, how they answer.

``plan_portals(n)`` gives N commune/ward portals named after real communes and wards
(``vietnam-provinces``), each on its own loopback address ``127.<a>.<b>.<c>`` (Linux routes all
of 127.0.0.0/8 to the loopback device), with a response latency of 100-500 ms and a kind:
``ok``, ``slow`` (every answer takes :data:`SLOW_LATENCY` s) or ``dead`` (accepts the connection,
never answers: a black-holed host). ``write_registry`` turns the plan into a registry CSV the
crawler reads through ``CRAWLER_REGISTRY``; ``--base-url ID=URL`` sends each site to its address.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

SLOW_LATENCY: Final[float] = 8.0  # s per answer of a very slow host (under DOWNLOAD_TIMEOUT)
DEAD_SHARE: Final[float] = 0.01
SLOW_SHARE: Final[float] = 0.01


@dataclass(frozen=True)
class PortalPlan:
    id: str
    name: str
    province: str
    ward_code: str
    level: str  # province | commune
    host: str  # the registry's host (…gov.vn)
    address: str  # the loopback address it is served from
    latency: float  # s per answer
    kind: str  # ok | slow | dead
    seed: int

    @property
    def base_url(self) -> str:
        return f"https://{self.host}/"


def _ascii(text: str) -> str:
    from crawler.registry import fold_vietnamese

    return "".join(c for c in fold_vietnamese(text).lower() if c.isalnum())


def address_of(index: int) -> str:
    """``127.<a>.<b>.<c>`` from 127.16.0.1 on (clear of 127.0.0.x, where everybody listens);
    ``c`` is never 0 or 255."""
    block, c = divmod(index, 254)
    a, b = divmod(block, 256)
    return f"127.{16 + a}.{b}.{c + 1}"


def _units() -> list[tuple[str, str, str, str]]:
    """(code, name, province, level): the 34 provinces, then the 3,321 communes and wards."""
    from vietnam_provinces import Province, Ward

    from crawler.registry.units import province_name

    units = [(f"{int(p.code):02d}", p.name, p.name, "province") for p in Province.iter_all()]
    units += [
        (
            f"{int(w.code):05d}",
            w.name,
            province_name(f"{int(w.province_code):02d}") or "",
            "commune",
        )
        for w in Ward.iter_all()
    ]
    return units


def plan_portals(
    n: int, seed: int = 16, dead: float = DEAD_SHARE, slow: float = SLOW_SHARE
) -> list[PortalPlan]:
    """N portals of real provinces, communes and wards (provinces first), deterministic; at
    least one dead and one slow host unless their share is 0."""
    units = _units()
    if n > len(units):
        raise ValueError(f"at most {len(units)} portals (34 provinces, 3,321 communes and wards)")
    rng = random.Random(seed)
    chosen = units[:34] + rng.sample(units[34:], len(units) - 34)
    kinds = ["dead"] * (max(1, round(n * dead)) if dead else 0)
    kinds += ["slow"] * (max(1, round(n * slow)) if slow else 0)
    kinds += ["ok"] * (n - len(kinds))
    rng.shuffle(kinds)
    plans: list[PortalPlan] = []
    for i, (code, name, province, level) in enumerate(chosen[:n]):
        prov = _ascii(province.removeprefix("Thành phố ").removeprefix("Tỉnh ")) or "vn"
        unit = _ascii(name.removeprefix("Thành phố ").removeprefix("Tỉnh "))[:20] or code
        host = f"{prov}.gov.vn" if level == "province" else f"{unit}{code}.{prov}.gov.vn"
        latency = SLOW_LATENCY if kinds[i] == "slow" else round(rng.uniform(0.1, 0.5), 3)
        plans.append(
            PortalPlan(
                f"px-{unit}-{code}",
                f"Cổng thông tin điện tử {name}",
                province,
                code if level == "commune" else "",
                level,
                host,
                address_of(i),
                latency,
                kinds[i],
                i,
            )
        )
    return plans


REGISTRY_FIELDS: Final[tuple[str, ...]] = (
    "id",
    "name",
    "province",
    "ward_code",
    "level",
    "cms",
    "base_url",
    "status",
    "merged_into",
    "successor_url",
    "evidence",
)


def write_registry(plans: list[PortalPlan], path: Path) -> None:
    """A registry CSV of the plan's portals (vnPortal family, active)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=REGISTRY_FIELDS)
        writer.writeheader()
        for p in plans:
            writer.writerow(
                {
                    "id": p.id,
                    "name": p.name,
                    "province": p.province,
                    "ward_code": p.ward_code,
                    "level": p.level,
                    "cms": "vnportal",
                    "base_url": p.base_url,
                    "status": "active",
                    "merged_into": "",
                    "successor_url": "",
                    "evidence": "benchmark (generated)",
                }
            )


def save_plan(plans: list[PortalPlan], path: Path) -> None:
    path.write_text(json.dumps([asdict(p) for p in plans]), encoding="utf-8")


def load_plan(path: Path) -> list[PortalPlan]:
    return [PortalPlan(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
