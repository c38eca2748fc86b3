"""An old commune page of the kind that is served as TCVN3 bytes.

Commune and district sites built around 2005-2012 (FrontPage or hand-written HTML, text typed
with the ABC keyboard in ``.VnTime`` fonts, a table layout, no CMS) send TCVN3 bytes with
``charset=windows-1252`` or no charset at all. The page is written here in Unicode; tests encode
it with :func:`crawler.extract.legacy_encodings.to_tcvn3`, as such a site holds it. (The seed
article in TCVN3 is in ``tests/faults/corpus.py``.)
"""

from __future__ import annotations

COMMUNE_URL = "http://giaothien.giaothuy.namdinh.gov.vn/tintuc/tin_2009_05_12.htm"
COMMUNE_TITLE = "Xã Giao Thiện tổ chức lễ ra quân làm thủy lợi nội đồng năm 2009"
COMMUNE_BODY = (
    (
        "Sáng ngày 12 tháng 5 năm 2009, Ủy ban nhân dân xã Giao Thiện đã tổ chức lễ ra quân làm "
        "thủy lợi nội đồng vụ mùa năm 2009. Tham dự buổi lễ có đồng chí Trần Văn Hùng - Bí thư "
        "Đảng ủy xã, đồng chí Phạm Thị Lan - Chủ tịch Ủy ban nhân dân xã cùng đông đảo cán bộ, "
        "đảng viên và nhân dân các thôn trong xã."
    ),
    (
        "Phát biểu tại buổi lễ, đồng chí Chủ tịch Ủy ban nhân dân xã nhấn mạnh: công tác thủy lợi "
        "nội đồng có ý nghĩa quyết định đến năng suất lúa vụ mùa. Các thôn cần huy động tối đa "
        "lực lượng, nạo vét kênh mương, khơi thông dòng chảy, tu bổ bờ vùng bờ thửa, bảo đảm "
        "tưới tiêu chủ động cho toàn bộ diện tích gieo cấy."
    ),
    (
        "Ngay sau lễ ra quân, hơn 800 lượt người của 12 thôn đã đồng loạt ra quân nạo vét được "
        "trên 4.500 mét kênh mương, đào đắp hơn 3.200 mét khối đất. Phong trào làm thủy lợi "
        "nội đồng sẽ tiếp tục được duy trì đến hết ngày 30 tháng 5 năm 2009."
    ),
)
COMMUNE_AUTHOR = "Nguyễn Văn Bình"

COMMUNE_PAGE = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<meta name="GENERATOR" content="Microsoft FrontPage 6.0">
<meta name="ProgId" content="FrontPage.Editor.Document">
<title>UBND xã Giao Thiện - {COMMUNE_TITLE}</title>
<style>body {{ font-family: .VnTime; font-size: 13pt }}</style>
</head>
<body bgcolor="#FFFFFF" topmargin="0" leftmargin="0">
<table border="0" width="780" cellspacing="0" cellpadding="0" align="center">
  <tr><td colspan="2"><img border="0" src="../images/banner.jpg" width="780" height="120"></td></tr>
  <tr>
    <td width="180" valign="top" bgcolor="#E8F0F8">
      <font face=".VnTime" size="3">
      <p><a href="../index.htm">Trang chủ</a><br>
      <a href="../gioithieu.htm">Giới thiệu chung</a><br>
      <a href="../tintuc/index.htm">Tin tức - Sự kiện</a><br>
      <a href="../vanban.htm">Văn bản chỉ đạo</a><br>
      <a href="../lienhe.htm">Liên hệ</a></p>
      </font>
    </td>
    <td width="600" valign="top">
      <p align="center"><font face=".VnTimeH" size="4" color="#CC0000"><b>{COMMUNE_TITLE}</b></font></p>
      <p align="right"><font face=".VnTime" size="2"><i>Cập nhật ngày 12/05/2009</i></font></p>
      <font face=".VnTime" size="3">
{"".join(f'      <p align="justify">{para}</p>{chr(10)}' for para in COMMUNE_BODY)}      <p align="right"><b>{COMMUNE_AUTHOR}</b></p>
      </font>
      <p><font face=".VnTime" size="2"><a href="index.htm">Các tin khác</a></font></p>
    </td>
  </tr>
  <tr><td colspan="2" align="center"><font face=".VnArial" size="1">Bản quyền thuộc UBND xã
  Giao Thiện - huyện Giao Thủy - tỉnh Nam Định. Số lượt truy cập: 12345</font></td></tr>
</table>
</body>
</html>
"""
