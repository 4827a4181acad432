"""The .xlsx download and the text lines officers paste into their reports."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from members.models import AccessLog
from reports.exports import progress_line, progress_sentence
from reports.periods import Period
from reports.selectors import federation_dashboard

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(BytesIO(response.content))


def rows_by_name(sheet):
    return {row[1].value: row for row in sheet.iter_rows() if len(row) > 1 and row[1].value}


def test_federation_xlsx(counted, login):
    response = login(counted.staff).get("/?year=2024&export=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="tien-do-HN-2024-nam.xlsx"'
    sheet = workbook(response).worksheets[0]
    # Title rows: what, which unit, which period, as of when.
    assert sheet["A1"].value == "TIẾN ĐỘ PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ"
    assert sheet["A2"].value == "Đơn vị: LĐLĐ thành phố Hà Nội"
    assert sheet["A3"].value == "Kỳ báo cáo: Năm 2024"
    assert sheet["A4"].value == "Số liệu đến ngày: 31/12/2024"
    headers = [cell.value for cell in sheet[6]]
    assert headers[:5] == [
        "Mã đơn vị",
        "Đơn vị",
        "Kết nạp đoàn viên mới",
        "Chỉ tiêu kết nạp",
        "Tỷ lệ kết nạp",
    ]
    rows = rows_by_name(sheet)
    a = [cell.value for cell in rows["LĐLĐ quận An Khánh"]]
    assert a == [
        "A",
        "LĐLĐ quận An Khánh",
        5,
        10,
        0.5,
        4,
        3,
        pytest.approx(1.3333),
        3,
        2,
        1.5,
        1,
        4,
        5,
        6,
    ]
    # Percentages are Excel percentages; numbers are numbers.
    assert rows["LĐLĐ quận An Khánh"][4].number_format == "0.00%"
    assert rows["LĐLĐ quận An Khánh"][2].data_type == "n"
    b = [cell.value for cell in rows["LĐLĐ quận Bình Minh"]]
    assert b[2:5] == [2, None, None]  # no target: empty, not a text dash
    assert [c.value for c in rows["Cộng các đơn vị"]][2:5] == [7, 10, 0.7]
    own = [c.value for c in rows["LĐLĐ thành phố Hà Nội (chỉ tiêu của LĐLĐ)"]]
    assert own[2:5] == [7, 20, 0.35]
    assert "LĐLĐ quận Cát Hải" not in rows
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.user == counted.staff and "Năm 2024" in log.what


def test_xlsx_of_the_period_on_screen(counted, login):
    response = login(counted.staff).get("/?year=2024&period=6-thang&sort=-new_members&export=xlsx")
    assert "6-thang" in response["Content-Disposition"]
    sheet = workbook(response).worksheets[0]
    assert sheet["A3"].value == "Kỳ báo cáo: 6 tháng đầu năm 2024"
    assert sheet["A4"].value == "Số liệu đến ngày: 30/06/2024"
    names = [row[1].value for row in sheet.iter_rows(min_row=7)]
    assert names[:2] == ["LĐLĐ quận An Khánh", "LĐLĐ quận Bình Minh"]  # the sort on screen
    a = rows_by_name(sheet)["LĐLĐ quận An Khánh"]
    assert [c.value for c in a][2:4] == [2, 10]


def test_unit_names_cannot_become_formulas(counted, login):
    counted.b.name = '=HYPERLINK("http://x","y")'
    counted.b.save()
    sheet = workbook(login(counted.staff).get("/?year=2024&export=xlsx")).worksheets[0]
    names = [row[1].value for row in sheet.iter_rows(min_row=7) if row[1].value]
    assert '\'=HYPERLINK("http://x","y")' in names
    assert all(not str(n).startswith("=") for n in names)


def test_district_xlsx_has_quarters_and_cdcs(counted, login):
    response = login(counted.officer_a).get("/?year=2024&export=xlsx")
    book = workbook(response)
    assert [s.title for s in book.worksheets] == ["Tiến độ", "Theo quý", "CĐCS"]
    assert book["Tiến độ"]["A2"].value == "Đơn vị: LĐLĐ quận An Khánh"
    quarters = {row[0].value: [c.value for c in row] for row in book["Theo quý"].iter_rows()}
    assert quarters["Quý 4"][1:4] == [2, 5, 0.5]
    cdcs = rows_by_name(book["CĐCS"])
    old = [c.value for c in cdcs["Công đoàn old"]]
    assert old[2] == 30 and old[4:6] == [3, 4]
    assert book["CĐCS"].cell(row=7, column=4).number_format == "DD/MM/YYYY"


def test_text_lines(counted, login):
    dashboard = federation_dashboard(counted.federation, Period(2024, "nam"), date(2026, 1, 1))
    a = next(row for row in dashboard.rows if row.code == "A")
    assert progress_line(a) == (
        "LĐLĐ quận An Khánh: 5/10 đoàn viên (50%); 4/3 CĐCS (133,33%); "
        "3/2 CĐCS từ 25 lao động trở lên (150%)"
    )
    assert progress_sentence(a, dashboard.period, dashboard.data_date) == (
        "LĐLĐ quận An Khánh, năm 2024: kết nạp được 5/10 đoàn viên, đạt 50% chỉ tiêu; thành lập"
        " được 4/3 CĐCS, đạt 133,33% chỉ tiêu; trong đó 3/2 CĐCS có từ 25 lao động trở lên,"
        " đạt 150% chỉ tiêu. Đến ngày 31/12/2024 có 5 đoàn viên, 6 CĐCS."
    )
    response = login(counted.staff).get("/?year=2024&export=txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("LĐLĐ thành phố Hà Nội, năm 2024: kết nạp được 7/20 đoàn viên")
    assert (
        "LĐLĐ quận Bình Minh, năm 2024: kết nạp được 2 đoàn viên (chưa giao chỉ tiêu)" in lines[2]
    )
    # The same lines are on the page, ready to copy.
    page = login(counted.staff).get("/?year=2024").content.decode()
    assert "kết nạp được 5/10 đoàn viên, đạt 50% chỉ tiêu" in page


def _prints_well(sheet, header_row: int) -> None:
    """A4 landscape, fit to the page width, the header row on every page and tall enough."""
    assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) in (
        (9, "landscape"),
        ("9", "landscape"),
    )
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.row_dimensions[header_row].height >= 45  # three wrapped lines


def test_dashboards_print_on_a4_landscape_with_the_header_on_every_page(counted, login):
    sheet = workbook(login(counted.staff).get("/?year=2024&export=xlsx")).worksheets[0]
    _prints_well(sheet, 6)
    assert sheet.row_dimensions[1].height >= 20  # the 13 pt title with its diacritics
    for sheet in workbook(login(counted.officer_a).get("/?year=2024&export=xlsx")).worksheets:
        assert sheet.print_title_rows == "$6:$6"
