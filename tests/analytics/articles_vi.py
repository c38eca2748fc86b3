"""Realistic Vietnamese articles for the republication tests and the threshold measurement.

``DAN_VAN``, ``OCOP`` and ``THUY_LOI`` are the real texts of the bundled pages
(crawler/miniportal/sites/nd-giaothuy/article-37511.html, tests/fixtures/pages/vhv/
2025-10-hoi-nghi-xuc-tien, crawler/miniportal/sites/nd-giaothuy/article-37310.html); the body
starts with the photo caption, as the extractor stores it. ``*_EDITED`` is how another portal
republishes them: a new title, one added sentence and a different photo caption.
``*_OTHER_REPORT`` is a different article about the same event: same people, places, dates and
figures, written independently. An edited copy must cluster with its original; another report
of the same event must not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Sample:
    title: str
    body: str

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"


def edited(original: Sample, *, title: str, caption: tuple[str, str], added: str) -> Sample:
    """A republished copy: new title, the photo caption replaced, one sentence appended."""
    old_caption, new_caption = caption
    assert old_caption in original.body
    body = original.body.replace(old_caption, new_caption, 1)
    return replace(original, title=title, body=f"{body}\n\n{added}")


DAN_VAN = Sample(
    title="Hội nghị trực tuyến công tác Dân vận năm 2021",
    body=(
        "Hội nghị trực tuyến tập huấn công tác Dân vận năm 2021 tại điểm cầu huyện Giao Thủy\n\n"
        "Tại hội nghị, các đại biểu đã được nghe đồng chí Nguyễn Minh Thơ - Chánh Văn phòng Ban "
        "Dân vận Trung ương truyền đạt các nội dung cơ bản về công tác dân vận của Đảng, công tác "
        "dân vận của chính quyền các cấp. Đây là những nội dung quan trọng, cung cấp quan điểm, mục "
        "tiêu, nhiệm vụ và giải pháp thực hiện công tác dân vận trong giai đoạn hiện nay.\n\n"
        "Đồng chí Lê Quốc Chỉnh - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu chỉ "
        "đạo tại hội nghị\n\n"
        "Phát biểu chỉ đạo tại hội nghị, đồng chí Lê Quốc Chỉnh - Phó Bí thư Thường trực Tỉnh ủy đề "
        "nghị các đại biểu trên cơ sở nội dung các chuyên đề, căn cứ tình hình thực tiễn tại địa "
        "phương, đơn vị cần tham mưu, cụ thể hóa thành chương trình, kế hoạch, vận dụng phù hợp vào "
        "quá trình công tác để thực hiện có hiệu quả công tác dân vận trong cơ quan, đơn vị, địa "
        "phương mình. Trong đó tập trung thực hiện tốt các nhiệm vụ, đẩy mạnh công tác quán triệt, "
        "tuyên truyền, vận động và tổ chức thực hiện nghiêm túc, có hiệu quả các Nghị quyết, Chỉ thị, "
        "kết luận, quy định của Đảng, Nhà nước và chỉ đạo của tỉnh về công tác dân vận. Căn cứ chức "
        "năng, nhiệm vụ được giao, hàng năm ở mỗi cấp ủy, tổ chức, cơ quan, đơn vị chủ động xây dựng "
        "kế hoạch thực hiện công tác dân vận. Ban hành văn bản lãnh đạo, chỉ đạo đối với công tác "
        "dân vận gắn với tiếp tục triển khai thực hiện các văn bản, quy định của Đảng, chính sách "
        "pháp luật của Nhà nước phù hợp với thực tiễn, đáp ứng lợi ích, nguyện vọng chính đáng của "
        "nhân dân, đảm bảo cơ chế Đảng lãnh đạo, Nhà nước quản lý, nhân dân làm chủ. Tham mưu cấp ủy "
        "tăng cường công tác kiểm tra, giám sát của Đảng đối với việc thực hiện công tác dân vận. "
        "Thường xuyên nắm chắc tình hình nhân dân, tham mưu cho cấp ủy, chính quyền kịp thời giải "
        "quyết những vấn đề bức xúc, nổi cộm về ANCT, TTATXH trên địa bàn. Nâng cao vai trò lãnh "
        "đạo, chỉ đạo của cấp ủy, tổ chức Đảng trong công tác dân vận. Đề cao trách nhiệm, tinh thần "
        "nêu gương của tập thể cấp ủy và người đứng đầu. Phát huy tốt vai trò của MTTQ, các tổ chức "
        "chính trị - xã hội tham gia giám sát, phản biện xã hội, góp phần xây dựng Đảng, chính quyền "
        "trong sạch, vững mạnh. Tiếp tục thực hiện hiệu quả Nghị quyết số 25 của Ban Chấp hành Trung "
        "ương Đảng khóa XI về việc “Tăng cường và đổi mới công tác Dân vận trong tình hình mới”. Tăng "
        "cường công tác dân vận của cơ quan Nhà nước và chính quyền các cấp; nâng cao chất lượng, "
        "hiệu quả việc thực hiện quy chế dân chủ, đáp ứng yêu cầu trong tình hình mới./."
    ),
)

DAN_VAN_EDITED = edited(
    DAN_VAN,
    title="Giao Thủy dự hội nghị trực tuyến tập huấn công tác Dân vận năm 2021",
    caption=(
        "Hội nghị trực tuyến tập huấn công tác Dân vận năm 2021 tại điểm cầu huyện Giao Thủy",
        "Quang cảnh điểm cầu huyện Giao Thủy tại hội nghị",
    ),
    added="Dự hội nghị tại điểm cầu huyện có đồng chí Trưởng Ban Dân vận Huyện ủy cùng lãnh đạo "
    "Ủy ban MTTQ và các đoàn thể chính trị - xã hội của huyện.",
)

DAN_VAN_OTHER_REPORT = Sample(
    title="Nam Định: Tập huấn trực tuyến nghiệp vụ công tác dân vận năm 2021",
    body=(
        "Ngày 15/3/2021, Ban Dân vận Tỉnh ủy Nam Định phối hợp với Ban Dân vận Trung ương tổ chức "
        "lớp tập huấn trực tuyến nghiệp vụ công tác dân vận năm 2021. Điểm cầu chính đặt tại Hội "
        "trường Tỉnh ủy, kết nối tới 10 điểm cầu các huyện, thành phố, trong đó có huyện Giao Thủy.\n\n"
        "Báo cáo viên của lớp tập huấn là đồng chí Nguyễn Minh Thơ, Chánh Văn phòng Ban Dân vận "
        "Trung ương. Trong hơn nửa ngày, báo cáo viên đã giới thiệu những điểm mới trong các văn bản "
        "của Trung ương về dân vận, hướng dẫn cách nắm bắt tình hình tư tưởng của nhân dân và kinh "
        "nghiệm xây dựng mô hình “Dân vận khéo” ở cơ sở.\n\n"
        "Đồng chí Lê Quốc Chỉnh, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh dự và phát biểu "
        "tại lớp tập huấn. Đồng chí ghi nhận những kết quả mà đội ngũ cán bộ làm công tác dân vận "
        "của tỉnh đạt được trong năm 2020, nhất là trong vận động nhân dân hiến đất làm đường giao "
        "thông nông thôn và chung tay phòng, chống dịch Covid-19.\n\n"
        "Năm 2021 là năm đầu thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XX, đồng chí yêu cầu "
        "các cấp ủy quan tâm hơn nữa đến việc lắng nghe ý kiến của nhân dân, giải quyết dứt điểm các "
        "vụ việc khiếu nại kéo dài, đồng thời lựa chọn, nhân rộng các mô hình hay để phong trào thi "
        "đua “Dân vận khéo” thực sự đi vào chiều sâu.\n\n"
        "Kết thúc lớp tập huấn, các học viên được phát tài liệu để tiếp tục nghiên cứu, vận dụng vào "
        "công việc tại cơ quan, đơn vị."
    ),
)

OCOP = Sample(
    title="Hội nghị xúc tiến tiêu thụ nông sản, sản phẩm OCOP năm 2025",
    body=(
        "Hội nghị nhằm tạo điều kiện để các doanh nghiệp phân phối, siêu thị, sàn thương mại điện "
        "tử gặp gỡ trực tiếp các hợp tác xã, cơ sở sản xuất; trao đổi thông tin về nhu cầu, tiêu "
        "chuẩn chất lượng và giá cả, từ đó ký kết hợp đồng tiêu thụ ổn định, lâu dài.\n\n"
        "Các đại biểu tham quan gian trưng bày sản phẩm OCOP bên lề hội nghị\n\n"
        "Theo báo cáo của Sở Công Thương, 9 tháng năm 2025, tổng mức bán lẻ hàng hóa và doanh thu "
        "dịch vụ tiêu dùng trên địa bàn ước đạt 48.650 tỷ đồng, tăng 11,2% so với cùng kỳ. Toàn tỉnh "
        "hiện có 186 sản phẩm đạt chuẩn OCOP từ 3 sao trở lên, trong đó 42 sản phẩm đã được đưa lên "
        "các sàn thương mại điện tử.\n\n"
        "Lễ ký kết biên bản ghi nhớ hợp tác tiêu thụ sản phẩm giữa doanh nghiệp và hợp tác xã\n\n"
        "Tại hội nghị, 28 biên bản ghi nhớ hợp tác đã được ký kết giữa các doanh nghiệp phân phối "
        "với hợp tác xã, cơ sở sản xuất. Sở Công Thương đề nghị các đơn vị tiếp tục nâng cao chất "
        "lượng, chuẩn hóa bao bì, nhãn mác, truy xuất nguồn gốc sản phẩm để đáp ứng yêu cầu của hệ "
        "thống phân phối hiện đại./."
    ),
)

OCOP_EDITED = edited(
    OCOP,
    title="Kết nối tiêu thụ nông sản, sản phẩm OCOP năm 2025",
    caption=(
        "Các đại biểu tham quan gian trưng bày sản phẩm OCOP bên lề hội nghị",
        "Gian hàng sản phẩm OCOP của các hợp tác xã tại hội nghị",
    ),
    added="Hội nghị là hoạt động thuộc Chương trình xúc tiến thương mại của tỉnh năm 2025.",
)

OCOP_OTHER_REPORT = Sample(
    title="Ký kết 28 biên bản ghi nhớ tiêu thụ nông sản và sản phẩm OCOP",
    body=(
        "Sáng nay, Sở Công Thương tổ chức Hội nghị xúc tiến tiêu thụ nông sản, sản phẩm OCOP năm "
        "2025 với sự tham gia của gần 200 đại biểu đến từ các doanh nghiệp phân phối, siêu thị, sàn "
        "thương mại điện tử, hợp tác xã và cơ sở sản xuất trong tỉnh.\n\n"
        "Phát biểu khai mạc, lãnh đạo Sở Công Thương cho biết dù sức mua trên địa bàn đã phục hồi "
        "rõ nét, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng 9 tháng ước đạt 48.650 tỷ "
        "đồng, nhiều hợp tác xã vẫn gặp khó khi đưa sản phẩm vào kênh phân phối hiện đại do sản "
        "lượng nhỏ lẻ, bao bì chưa đạt yêu cầu và thiếu thông tin truy xuất nguồn gốc.\n\n"
        "Tại các phiên thảo luận, đại diện chuỗi siêu thị và các sàn thương mại điện tử đã chia sẻ "
        "kinh nghiệm xây dựng thương hiệu, định giá sản phẩm và chuẩn bị hồ sơ để đưa hàng lên kệ. "
        "Nhiều cơ sở sản xuất cho biết đây là lần đầu tiên được làm việc trực tiếp với bộ phận thu "
        "mua của các nhà phân phối lớn.\n\n"
        "Dịp này, 28 biên bản ghi nhớ hợp tác đã được ký kết. Hiện toàn tỉnh có 186 sản phẩm OCOP "
        "từ 3 sao trở lên, nhưng mới có 42 sản phẩm bán trên các sàn thương mại điện tử; ngành Công "
        "Thương đặt mục tiêu nâng con số này lên gấp đôi vào cuối năm 2026."
    ),
)

THUY_LOI = Sample(
    title="Giao Thủy ra quân làm thủy lợi đông xuân",
    body=(
        "Sáng 25/12, huyện Giao Thủy tổ chức lễ ra quân làm thủy lợi đông xuân 2020 - 2021 tại xã "
        "Giao Hà.\n\n"
        "Kế hoạch năm nay toàn huyện nạo vét hơn 300 nghìn m3 kênh mương các loại, bảo đảm nước "
        "tưới tiêu cho vụ xuân và nuôi trồng thủy sản."
    ),
)

THUY_LOI_OTHER_REPORT = Sample(
    title="Nạo vét hơn 300 nghìn m3 kênh mương phục vụ sản xuất vụ xuân",
    body=(
        "Ngày 25/12, tại xã Giao Hà, UBND huyện Giao Thủy phát động ra quân làm thủy lợi đông xuân "
        "2020 - 2021. Ngay sau lễ phát động, hàng trăm cán bộ, đoàn viên thanh niên và người dân xã "
        "Giao Hà đã tham gia khơi thông dòng chảy, phát quang bờ kênh trên tuyến kênh cấp II của "
        "xã.\n\n"
        "Theo kế hoạch, toàn huyện sẽ đào đắp, nạo vét trên 300 nghìn m3 đất kênh mương, tu bổ các "
        "cống đầu kênh, đảm bảo đủ nước cho gieo cấy vụ xuân và các vùng nuôi trồng thủy sản ven "
        "biển. Huyện yêu cầu các xã, thị trấn hoàn thành khối lượng trước ngày 15/1/2021."
    ),
)

# (original, edited copy, another report of the same event)
TRIPLES = (
    (DAN_VAN, DAN_VAN_EDITED, DAN_VAN_OTHER_REPORT),
    (OCOP, OCOP_EDITED, OCOP_OTHER_REPORT),
)
SAME_EVENT_PAIRS = (
    (DAN_VAN, DAN_VAN_OTHER_REPORT),
    (OCOP, OCOP_OTHER_REPORT),
    (THUY_LOI, THUY_LOI_OTHER_REPORT),
)
