"""Peak memory of ``export_articles`` on the embedded store, for 1,000 and 20,000 articles.

For each N the script fills a temporary embedded store with N realistic articles (a ~3 KB
Vietnamese body, two images, three view counts), then, in a fresh process per measurement,
opens the store and exports every article as CSV to /dev/null. It reports the peak of the
Python allocations made during the export (``tracemalloc``) and the process's peak resident set
size (``resource.getrusage``, imports and the store included). For contrast it measures the
same for reading the documents the naive way, ``list(articles.find())``, which is what any
cursor of the embedded store does internally before returning its first document.

    .venv/bin/python benchmarks/export_memory.py [N ...]
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.analytics.export import export_articles
from crawler.storage import open_store

PARAGRAPH = (
    "Phát biểu chỉ đạo tại hội nghị, đồng chí Phó Bí thư Thường trực Tỉnh ủy đề nghị các đại "
    "biểu trên cơ sở nội dung các chuyên đề, căn cứ tình hình thực tiễn tại địa phương, đơn vị "
    "cần tham mưu, cụ thể hóa thành chương trình, kế hoạch, vận dụng phù hợp vào quá trình công "
    "tác để thực hiện có hiệu quả công tác dân vận trong cơ quan, đơn vị, địa phương mình. "
)


def make_doc(i: int) -> dict[str, object]:
    published = datetime(2021, 1, 1, tzinfo=UTC) + timedelta(hours=7 * i)
    url = f"http://portal{i % 20}.gov.vn/tin-tuc/bai-viet-{i}"
    return {
        "canonical_url": url,
        "url": url,
        "response_url": url,
        "site_id": f"site-{i % 20:02d}",
        "cms": "vnportal",
        "province": "Nam Định",
        "level": "district",
        "title": f"Hội nghị trực tuyến công tác Dân vận số {i}",
        "summary": PARAGRAPH[:160],
        "body": "\n\n".join(f"{PARAGRAPH}({i}.{p})" for p in range(6)),
        "images": [{"url": f"{url}/anh-{k}.jpg", "caption": "Quang cảnh hội nghị"} for k in (1, 2)],
        "author": "Hoàng Mai",
        "source": "Trung tâm VH-TT-TT",
        "category": "Tin tức",
        "published_at": published,
        "published_raw": published.strftime("%d/%m/%Y %H:%M"),
        "published_date_only": False,
        "views": 100 + i,
        "views_raw": str(100 + i),
        "views_history": [
            {"at": published + timedelta(days=d), "views": 100 + i + d} for d in range(3)
        ],
        "views_checked_at": published,
        "content_hash": f"{i:040x}",
        "duplicate_of": None,
        "first_seen_at": published,
        "last_seen_at": published,
        "missing": [],
    }


def fill(data_dir: Path, count: int) -> None:
    store = open_store(None, data_dir)
    for start in range(0, count, 1000):
        store.articles.insert_many([make_doc(i) for i in range(start, min(count, start + 1000))])
    store.close()


def measure(data_dir: Path, mode: str) -> dict[str, float]:
    """Run in a fresh process: the memory one export (or one naive read) needs."""
    store = open_store(None, data_dir)
    store.articles.find_one({"canonical_url": ""})  # builds the store's in-memory key index
    gc.collect()
    started = time.perf_counter()
    tracemalloc.start()
    if mode == "export":
        with open(os.devnull, "wb") as out:
            rows = export_articles(store, out, "csv")
    else:
        rows = len(list(store.articles.find({}, {"_id": 0})))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "python_peak_mb": peak / 2**20,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "seconds": time.perf_counter() - started,
    }


def main(counts: list[int]) -> None:
    print(
        f"{'articles':>9} {'mode':>12} {'Python peak MB':>15} {'process peak RSS MB':>20} "
        f"{'seconds':>8}"
    )
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            fill(Path(tmp), count)
            for mode in ("export", "naive list"):
                child = subprocess.run(
                    [sys.executable, __file__, "--measure", tmp, mode],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(child.stdout)
                assert result["rows"] == count, result
                print(
                    f"{count:>9,} {mode:>12} {result['python_peak_mb']:>15.1f} "
                    f"{result['rss_peak_mb']:>20.1f} {result['seconds']:>8.1f}"
                )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        mode = "export" if sys.argv[3] == "export" else "naive"
        print(json.dumps(measure(Path(sys.argv[2]), mode)))
    else:
        main([int(a) for a in sys.argv[1:]] or [1_000, 20_000])
