"""A generated mini portal of any size, in the VNPT vnPortal layout of the nd-giaothuy site.

``generate_portal(folder, n_articles)`` writes ``routes.json`` (plus the pages, unless
``in_memory``) so :class:`~crawler.miniportal.MiniPortal` serves it and the ``nd-giaothuy``
profile extracts it: ``ArticleDetailControl`` with ``ArticleHeader h1``, ``PostDate``
("Thứ Hai, 15/03/2021 10:20"), "Lượt xem: N", ``ArticleSummary``, ``ArticleContent`` ending in
right-aligned author and source lines, the ``ModuleStatistic`` widget, and listing pages
(``UIArticleInMenu_Default ul.ArticleList li .Title a``) chained by ``ul.pagination
li.active + li a``.

Every page is a pure function of ``(n_articles, per_page, seed)`` and its number, so
:meth:`GeneratedSite.render` can serve 20,000 articles from memory with nothing on disk
(``MiniPortal(folder, renderer=site.render)``). Text is built from Vietnamese word lists; each
body names a unique plan number, so every article has a distinct content hash.
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.miniportal.server import MiniPortal

START_PATH = "/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/"
ARTICLE_PREFIX = "/tin-moi/"
FIRST_ID = 40001
PARAMS_FILE = "generated.json"
CONTENT_TYPE = "text/html; charset=utf-8"
_EPOCH = datetime(2024, 12, 31, 17, 0)  # the newest article; older ones go back from here

Response = tuple[int, dict[str, str], bytes]

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
SUBJECTS = (
    "Ủy ban nhân dân huyện",
    "Ban Thường vụ Huyện ủy",
    "Hội Nông dân huyện",
    "Đoàn Thanh niên xã",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Trung tâm Y tế huyện",
    "Hội Liên hiệp Phụ nữ",
    "Phòng Giáo dục và Đào tạo",
    "Công an huyện",
    "Mặt trận Tổ quốc huyện",
    "Ủy ban nhân dân xã",
    "Văn phòng điều phối Nông thôn mới",
    "Phòng Tài nguyên và Môi trường",
    "Hội Cựu chiến binh",
)
VERBS = (
    "tổ chức",
    "triển khai",
    "kiểm tra",
    "đánh giá",
    "tổng kết",
    "phát động",
    "hướng dẫn",
    "tuyên truyền",
    "chỉ đạo",
    "phối hợp thực hiện",
    "sơ kết",
    "ra quân",
    "khảo sát",
    "hoàn thành",
)
OBJECTS = (
    "công tác phòng chống thiên tai",
    "phong trào xây dựng nông thôn mới kiểu mẫu",
    "kế hoạch chuyển đổi số",
    "công tác dân vận của chính quyền",
    "mô hình sản xuất lúa hữu cơ",
    "chương trình mỗi xã một sản phẩm",
    "công tác tiêm chủng mở rộng",
    "việc làm thủy lợi nội đồng",
    "cuộc vận động toàn dân đoàn kết",
    "công tác cải cách hành chính",
    "dự án nuôi ngao vùng bãi bồi",
    "phong trào khuyến học",
    "công tác bảo vệ rừng ngập mặn",
    "kế hoạch phát triển du lịch sinh thái",
)
PLACES = (
    "tại xã Giao Thịnh",
    "tại thị trấn Quất Lâm",
    "tại xã Bạch Long",
    "tại xã Giao Xuân",
    "trên địa bàn huyện",
    "tại thị trấn Ngô Đồng",
    "tại xã Giao An",
    "tại Vườn quốc gia Xuân Thủy",
    "tại xã Hồng Thuận",
    "tại các thôn, xóm",
    "tại xã Giao Hải",
    "tại hội trường Huyện ủy",
)
TIMES = (
    "trong quý I",
    "trong năm nay",
    "giai đoạn 2021 - 2025",
    "từ đầu năm đến nay",
    "trong tháng cao điểm",
    "trước mùa mưa bão",
    "trong đợt thi đua",
    "đến hết năm",
)
ADVERBS = (
    "Qua đó,",
    "Theo báo cáo,",
    "Đến nay,",
    "Bên cạnh đó,",
    "Tại buổi làm việc,",
    "Cùng với đó,",
    "Trong thời gian tới,",
    "Kết quả cho thấy,",
    "Để đạt mục tiêu,",
)
RESULTS = (
    "đạt và vượt các chỉ tiêu đề ra",
    "nhận được sự đồng thuận của nhân dân",
    "góp phần nâng cao đời sống người dân",
    "tạo chuyển biến rõ nét về nhận thức",
    "cần tiếp tục được duy trì và nhân rộng",
    "được các cấp, các ngành đánh giá cao",
    "còn một số khó khăn cần tháo gỡ",
    "bảo đảm đúng tiến độ và chất lượng",
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("Mai", "Hùng", "Lan", "Minh", "Thủy", "Thành", "Hương", "Quang", "Hà", "Dũng", "Yến")
SOURCES = (
    "Trung tâm VH-TT-TT Giao Thủy",
    "Trung tâm Văn hóa - Thông tin huyện",
    "Phòng Văn hóa và Thông tin huyện",
)


def _slug(text: str) -> str:
    """``"Hội nghị Dân vận"`` -> ``"hoi-nghi-dan-van"`` (the portals' ASCII URL slugs)."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words[:12])


def _group(n: int) -> str:
    """``2683439`` -> ``"2,683,439"`` (the widget's comma grouping)."""
    return f"{n:,}"


@dataclass(frozen=True)
class Article:
    """What one generated article says; the fields a correct extraction must find."""

    number: int
    id: int
    path: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    images: tuple[tuple[str, str], ...]  # (src, caption)
    author: str
    source: str
    published: datetime  # Vietnam local time, naive
    views: int

    @property
    def published_raw(self) -> str:
        return f"{WEEKDAYS[self.published.weekday()]}, {self.published:%d/%m/%Y %H:%M}"


@dataclass(frozen=True)
class GeneratedSite:
    """A deterministic vnPortal site of ``n_articles`` articles, ``per_page`` per listing page."""

    n_articles: int
    per_page: int = 20
    seed: int = 0

    def __post_init__(self) -> None:
        if self.n_articles < 1 or self.per_page < 1:
            raise ValueError("n_articles and per_page must be positive")

    # -- layout --------------------------------------------------------------------------
    @property
    def listing_pages(self) -> int:
        return -(-self.n_articles // self.per_page)

    def listing_path(self, page: int) -> str:
        return START_PATH if page == 1 else f"{START_PATH}?page={page}"

    def article_ids(self) -> range:
        return range(FIRST_ID, FIRST_ID + self.n_articles)

    def article_paths(self) -> list[str]:
        return [self.article(n).path for n in range(self.n_articles)]

    def number_for(self, path: str) -> int | None:
        """The article number a path names (its ``-<id>`` suffix, slug checked), else ``None``."""
        digits = path.rsplit("-", 1)[-1]
        if not digits.isdigit():
            return None
        number = int(digits) - FIRST_ID
        if not 0 <= number < self.n_articles or self.article(number).path != path:
            return None
        return number

    # -- content -------------------------------------------------------------------------
    def _rng(self, number: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + number)

    def _sentence(self, rng: random.Random) -> str:
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(PLACES)} {rng.choice(TIMES)}, {rng.choice(RESULTS)}."
        )

    def _paragraph(self, rng: random.Random) -> str:
        sentences = [self._sentence(rng) for _ in range(rng.randint(2, 4))]
        return f"{rng.choice(ADVERBS)} {' '.join(sentences)}"

    def article(self, number: int) -> Article:
        """Article ``number`` (0 = newest): the same result every time, for any site size."""
        if not 0 <= number < self.n_articles:
            raise IndexError(number)
        rng = self._rng(number)
        art_id = FIRST_ID + number
        title = (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}"
        )
        plan = f"Kế hoạch số {art_id}/KH-UBND"
        summary = f"{plan}: {self._sentence(rng)}"
        paragraphs = tuple(self._paragraph(rng) for _ in range(rng.randint(3, 6)))
        images = tuple(
            (
                f"/huyengiaothuy/SiteFolders/Root/1209/tin-tuc/{art_id}-{k}.jpg",
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}",
            )
            for k in range(rng.randint(0, 2))
        )
        minutes = number * 367 + rng.randint(0, 300)  # newest first, about 6 h apart
        return Article(
            number=number,
            id=art_id,
            path=f"{ARTICLE_PREFIX}{_slug(title)}-{art_id}",
            title=title,
            summary=summary,
            paragraphs=(
                f"Thực hiện {plan}, {paragraphs[0][0].lower()}{paragraphs[0][1:]}",
                *paragraphs[1:],
            ),
            images=images,
            author=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
            source=rng.choice(SOURCES),
            published=_EPOCH - timedelta(minutes=minutes),
            views=rng.randint(20, 25_000),
        )

    # -- pages ---------------------------------------------------------------------------
    def _page(self, title: str, breadcrumb: str, main: str) -> str:
        r = random.Random(self.seed)
        online, today = r.randint(10, 90), r.randint(100, 900)
        week, total = r.randint(5_000, 20_000), r.randint(1_000_000, 3_000_000)
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{escape(title)} - Cổng thông tin điện tử huyện Giao Thủy</title>
<link rel="stylesheet" href="/huyengiaothuy/Portals/_default/skins/vnportal/css/style.css" />
<script type="text/javascript">var sname = "huyengiaothuy"; var sid = 1209; var pageid = 26949;</script>
</head>
<body>
<div id="header">
  <div class="banner">Chào mừng bạn đến với Cổng thông tin điện tử huyện Giao Thủy - Tỉnh Nam Định</div>
  <ul class="MenuTop">
    <li><a href="/huyengiaothuy/1209/26944/Trang-chu/">Trang chủ</a></li>
    <li><a href="{START_PATH}">Tin tức - Sự kiện</a></li>
    <li><a href="/huyengiaothuy/Default.aspx?sname=huyengiaothuy&amp;sid=1209&amp;pageid=26952">Văn bản chỉ đạo điều hành</a></li>
  </ul>
</div>
<div id="content" class="row">
  <div class="col-left col-md-3">
    <div class="ModuleWrapper ModuleStatistic">
      <div class="ModuleTitle">Thống kê truy cập</div>
      <ul class="StatisticList">
        <li><span class="label">Đang online:</span> <span class="value">{online}</span></li>
        <li><span class="label">Hôm nay:</span> <span class="value">{_group(today)}</span></li>
        <li><span class="label">Trong tuần:</span> <span class="value">{_group(week)}</span></li>
        <li><span class="label">Tất cả:</span> <span class="value">{_group(total)}</span></li>
      </ul>
    </div>
  </div>
  <div class="col-main col-md-9">
    <div class="BreadCrumb"><a href="/huyengiaothuy/1209/26944/Trang-chu/">Trang chủ</a> » {breadcrumb}</div>
{main}
  </div>
</div>
<div id="footer">
  <p>CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN GIAO THỦY - TỈNH NAM ĐỊNH</p>
  <p>Cơ quan chủ quản: Ủy ban nhân dân huyện Giao Thủy.</p>
</div>
</body>
</html>
"""

    def article_html(self, number: int) -> str:
        a = self.article(number)
        body: list[str] = []
        for i, text in enumerate(a.paragraphs):
            body.append(f'        <p style="text-align: justify;">{escape(text)}</p>')
            if i < len(a.images):
                src, caption = a.images[i]
                body.append(
                    f'        <p style="text-align: center;"><img src="{src}" alt="" /></p>'
                )
                body.append(
                    f'        <p style="text-align: center;"><em>{escape(caption)}</em></p>'
                )
        body.append(
            f'        <p style="text-align: right;"><strong>{escape(a.author)}</strong></p>'
        )
        body.append(
            f'        <p style="text-align: right;"><strong>{escape(a.source)}</strong></p>'
        )
        related = "".join(
            f'<li><a href="{self.article(n).path}">{escape(self.article(n).title)}</a></li>'
            for n in (number + 1, number + 2)
            if n < self.n_articles
        )
        content = "\n".join(body)
        main = f"""    <div class="ArticleDetailControl">
      <div class="tool">
        <span class="PostDate">{a.published_raw}</span>
        <span class="ViewCount">Lượt xem: {a.views}</span>
        <div class="UISocialShare"><a href="#" class="fb">Chia sẻ Facebook</a> <a href="#" class="zalo">Zalo</a></div>
      </div>
      <div class="ArticleHeader"><h1>{escape(a.title)}</h1></div>
      <div class="ArticleSummary">{escape(a.summary)}</div>
      <div class="ArticleContent">
{content}
      </div>
      <div class="ArticleOther"><div class="title">Tin liên quan</div><ul>{related}</ul></div>
    </div>"""
        crumb = f'<a href="{START_PATH}">Phát triển huyện</a>'
        return self._page(a.title, crumb, main)

    def listing_html(self, page: int) -> str:
        if not 1 <= page <= self.listing_pages:
            raise IndexError(page)
        first = (page - 1) * self.per_page
        items = []
        for n in range(first, min(first + self.per_page, self.n_articles)):
            a = self.article(n)
            items.append(
                f'        <li class="row"><div class="col-lg-10"><div class="Ngaydang">'
                f'• {a.published:%d/%m/%Y}</div><h2 class="Title"><a href="{a.path}">'
                f"{escape(a.title)}</a></h2><p>{escape(a.summary[:120])}</p></div></li>"
            )
        low, high = max(1, page - 3), min(self.listing_pages, page + 3)
        pager = "".join(
            f'<li class="page-item page-number{" active" if p == page else ""}" data-page="{p}">'
            f'<a class="page-link" href="{self.listing_path(p)}">{p}</a></li>'
            for p in range(low, high + 1)
        )
        items_html = "\n".join(items)
        main = f"""    <div class="UIArticleInMenu_Default">
      <div class="ArticleCat"><h3>Tin Mới</h3></div>
      <ul class="ArticleList">
{items_html}
      </ul>
      <ul class="pagination">{pager}</ul>
    </div>"""
        crumb = f'<a href="{START_PATH}">Phát triển huyện</a>'
        return self._page("Phát triển huyện", crumb, main)

    # -- serving -------------------------------------------------------------------------
    def render(self, target: str) -> Response | None:
        """The response for a request target (``/path?query``), or ``None`` if not ours.

        Pass as ``MiniPortal(folder, renderer=site.render)`` to serve from memory.
        """
        parts = urlsplit(target)
        html: str | None = None
        if parts.path == START_PATH or target == "/":
            page = 1
            if parts.query.startswith("page=") and parts.query[5:].isdigit():
                page = int(parts.query[5:])
            elif parts.query:
                return None
            if 1 <= page <= self.listing_pages:
                html = self.listing_html(page)
        elif parts.path.startswith(ARTICLE_PREFIX) and not parts.query:
            number = self.number_for(parts.path)
            if number is not None:
                html = self.article_html(number)
        if html is None:
            return None
        return 200, {"Content-Type": CONTENT_TYPE}, html.encode("utf-8")

    def routes(self) -> dict[str, dict[str, Any]]:
        """``routes.json`` entries for the page files :func:`generate_portal` writes."""
        routes: dict[str, dict[str, Any]] = {"/": {"file": "listing-1.html"}}
        for page in range(1, self.listing_pages + 1):
            routes[self.listing_path(page)] = {"file": f"listing-{page}.html"}
        for n in range(self.n_articles):
            routes[self.article(n).path] = {"file": f"articles/{FIRST_ID + n}.html"}
        return routes

    @classmethod
    def load(cls, folder: Path | str) -> GeneratedSite:
        """The site a :func:`generate_portal` call described in ``folder``."""
        params = json.loads((Path(folder) / PARAMS_FILE).read_text(encoding="utf-8"))
        return cls(int(params["n_articles"]), int(params["per_page"]), int(params["seed"]))


def generate_portal(
    folder: Path | str,
    n_articles: int,
    per_page: int = 20,
    seed: int = 0,
    in_memory: bool = False,
) -> GeneratedSite:
    """Write a generated vnPortal site into ``folder`` and return it.

    Always writes ``generated.json`` (the parameters) and ``routes.json``. With ``in_memory``
    no page files are written (about 5 KB each) and ``routes.json`` is empty: serve it with
    :func:`serve_generated` (or ``MiniPortal(folder, renderer=site.render)``).
    """
    site = GeneratedSite(n_articles, per_page, seed)
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    (root / PARAMS_FILE).write_text(json.dumps(asdict(site)), encoding="utf-8")
    if not in_memory:
        (root / "articles").mkdir(exist_ok=True)
        for page in range(1, site.listing_pages + 1):
            (root / f"listing-{page}.html").write_text(site.listing_html(page), encoding="utf-8")
        for n in range(n_articles):
            path = root / "articles" / f"{FIRST_ID + n}.html"
            path.write_text(site.article_html(n), encoding="utf-8")
    routes = {} if in_memory else site.routes()
    (root / "routes.json").write_text(json.dumps(routes, indent=0), encoding="utf-8")
    return site


def serve_generated(folder: Path | str, host: str = "127.0.0.1", port: int = 0) -> MiniPortal:
    """A (not yet started) :class:`MiniPortal` for a generated folder, rendering from memory."""
    site = GeneratedSite.load(folder)
    return MiniPortal(folder, host=host, port=port, renderer=site.render)
