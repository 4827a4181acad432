"""Issue 12: registers as real offices keep them (legacy fonts, regional settings, float text,
lost zeros, hidden rows): each is imported right with a notice, or refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from grassroots.access import SYSTEM
from imports.engine import run_import

from .importfiles import MEMBER_HEADERS, member_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(path, user=SYSTEM, commit=True, kind="members"):
    return run_import(kind, path, user=user, commit=commit, source_name="dv")


def messages(outcome) -> list[str]:
    return [e.as_vietnamese() for e in outcome.errors]


@pytest.fixture
def code(org):
    return org.grassroots_a.code


# ----- 12: a CCCD written as float text ------------------------------------------------------


def test_float_text_cccd_loses_its_dot_zero_and_gets_the_eleven_digit_error(tmp_path, code):
    rows = [
        member_row(cccd="37068861168.0", code=code),
        member_row(cccd="001090000002.00", code=code, phone="912345678.0"),
    ]
    outcome = run(write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows))
    assert not outcome.committed
    assert messages(outcome) == [
        "Dòng 2, cột Số CCCD: Số CCCD có 11 chữ số: có thể Excel đã bỏ mất số 0 ở đầu. "
        "Hãy định dạng cột là Văn bản (Text) và nhập đủ 12 chữ số."
    ]
    rows = [member_row(cccd="001090000002.00", code=code, phone="912345678.0")]
    outcome = run(write_csv(tmp_path / "ok.csv", MEMBER_HEADERS, rows))
    assert outcome.committed, messages(outcome)
    from members.models import Member

    assert Member.objects.get(cccd="001090000002").phone == "0912345678"


# ----- 10: legacy fonts TCVN3 and VNI-Windows ------------------------------------------------


def to_tcvn3(value: str) -> str:
    from unionportal.spreadsheets.legacy import TCVN3_TABLE

    back = {letter: chr(code) for code, letter in TCVN3_TABLE.items()}
    return "".join(back.get(ch, ch) for ch in value)


def to_vni(value: str) -> str:
    from unionportal.spreadsheets.legacy import VNI_TABLE

    back: dict[str, str] = {}
    for key, letter in VNI_TABLE.items():  # the spelling a VNI keyboard writes: same case
        if key == key.lower() or key == key.upper():
            back.setdefault(letter, key)
    return "".join(back.get(ch, ch) for ch in value)


def legacy_xlsx(path, encode, font, rows, *, header_encoded=True):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([encode("DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN")])
    sheet.append([encode(h) if header_encoded else h for h in MEMBER_HEADERS])
    for row in rows:
        sheet.append([encode(v) if isinstance(v, str) else v for v in row])
    for line in sheet.iter_rows():
        for cell in line:
            cell.font = Font(name=font)
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    workbook.save(path)
    return path


LEGACY_ROWS = [
    ("Lương Thế Dũng", "Nam", "001090000001"),
    ("Hoàng Thị Hường", "Nữ", "001190000002"),
    ("Nguyễn Văn Quyết", "Nam", "001090000003"),
]


@pytest.mark.parametrize(
    ("encode", "font", "name", "cells"),
    [(to_tcvn3, ".VnTime", "TCVN3", 18), (to_vni, "VNI-Times", "VNI-Windows", 19)],
)
def test_a_register_typed_in_a_legacy_font_is_stored_in_unicode(
    tmp_path, code, encode, font, name, cells
):
    assert to_tcvn3("Lương") == "L\xad¬ng"  # ư is the soft hyphen: never stripped first
    rows = [
        member_row(name=full, gender=gender, cccd=cccd, code=code, job="Công nhân")
        for full, gender, cccd in LEGACY_ROWS
    ]
    outcome = run(legacy_xlsx(tmp_path / "dv.xlsx", encode, font, rows))
    assert outcome.committed, messages(outcome)
    # The title, the 11 headers, 3 names, one "Nữ" and 3 "Công nhân" ("Nam" is plain ASCII;
    # "Lý do" is the same in TCVN3 and Unicode).
    assert f"File dùng phông {name}: đã chuyển {cells} ô sang Unicode." in outcome.notices
    from members.models import Member

    stored = Member.objects.filter(cccd__in=[cccd for *_, cccd in LEGACY_ROWS])
    assert sorted(stored.values_list("full_name", "gender", "occupation")) == [
        ("Hoàng Thị Hường", "female", "Công nhân"),
        ("Lương Thế Dũng", "male", "Công nhân"),
        ("Nguyễn Văn Quyết", "male", "Công nhân"),
    ]


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni])
def test_legacy_names_under_unicode_headers_and_no_font_hint_in_a_csv(tmp_path, code, encode):
    rows = [
        member_row(name=encode(full), gender=encode(gender), cccd=cccd, code=code)
        for full, gender, cccd in LEGACY_ROWS
    ]
    outcome = run(write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows))
    assert outcome.committed, messages(outcome)
    assert any(n.startswith("File dùng phông ") for n in outcome.notices)
    from members.models import Member

    assert Member.objects.get(cccd="001090000001").full_name == "Lương Thế Dũng"


def test_a_unicode_register_is_left_alone(tmp_path, code):
    rows = [member_row(name="Tú Hà", cccd="001090000001", code=code)]
    outcome = run(write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows))
    assert outcome.committed and not any("phông" in n for n in outcome.notices)
    from members.models import Member

    assert Member.objects.get(cccd="001090000001").full_name == "Tú Hà"


# ----- 14: hidden and filtered-out rows ------------------------------------------------------


def test_hidden_and_filtered_rows_are_imported_with_a_notice(tmp_path, code):
    from openpyxl import load_workbook

    rows = [member_row(cccd=f"00109000000{i}", code=code) for i in range(1, 6)]
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows, text_columns=["Số CCCD"])
    workbook = load_workbook(path)
    sheet = workbook.active
    sheet.auto_filter.ref = "A1:K6"
    for number in (3, 5):
        sheet.row_dimensions[number].hidden = True
    workbook.save(path)
    outcome = run(path)
    assert outcome.committed and outcome.counts.new == 5, messages(outcome)
    assert (
        "Có 2 dòng bị ẩn hoặc bị lọc (Filter) trong file: các dòng này vẫn được đọc và nhập "
        "như mọi dòng khác." in outcome.notices
    )


# ----- 11: dates typed under US regional settings --------------------------------------------


def test_real_dates_mixed_with_day_over_12_text_refuse_the_column(tmp_path, code):
    # Typed "05/07/2024" and "23/07/2024" on a US machine: 7 May (a date) and text.
    rows = [
        member_row(cccd="001090000001", code=code, joined=date(2024, 5, 7)),
        member_row(cccd="001090000002", code=code, joined="23/07/2024"),
        member_row(cccd="001090000003", code=code, joined=date(2024, 3, 2)),
    ]
    outcome = run(write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows, text_columns=["Số CCCD"]))
    assert not outcome.committed
    assert messages(outcome) == [
        "Ngày kết nạp: Không nhập được cột này: cột có cả ô ngày của Excel lẫn ô chữ có ngày lớn "
        "hơn 12 (ví dụ '23/07/2024' ở dòng 3). File được nhập trên máy đặt định dạng ngày kiểu "
        "Mỹ (tháng/ngày/năm): Excel đã đọc '05/07/2024' thành ngày 7 tháng 5 và để nguyên dạng "
        "chữ những ngày không đọc được, nên ngày và tháng của các ô ngày đã bị đảo. Hãy đặt "
        "Region của Windows là Vietnamese (ngày dạng dd/MM/yyyy), định dạng cột là Văn bản "
        "(Text), nhập lại các ngày rồi gửi lại file."
    ]
    from members.models import Member

    assert not Member.objects.filter(cccd__in=["001090000001", "001090000002"]).exists()


def test_real_dates_beside_day_first_text_of_any_day_are_fine(tmp_path, code):
    rows = [
        member_row(cccd="001090000001", code=code, joined=date(2024, 5, 7)),
        member_row(cccd="001090000002", code=code, joined="23/07/2024"),
        member_row(cccd="001090000003", code=code, joined="03/02/2024"),  # typed as text
    ]
    outcome = run(write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows, text_columns=["Số CCCD"]))
    assert outcome.committed, messages(outcome)


def test_a_text_column_written_month_first_is_refused_with_the_reason(tmp_path, code):
    joined = ["07/23/2024", "05/07/2024", "06/15/2024", "03/04/2024"]
    rows = [
        member_row(cccd=f"00109000000{i}", code=code, joined=when, birth="03/05/1990")
        for i, when in enumerate(joined, start=1)
    ]
    outcome = run(write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows))
    assert not outcome.committed
    column = [m for m in messages(outcome) if m.startswith("Ngày kết nạp: ")]
    assert column == [
        "Ngày kết nạp: Không nhập được cột này: 2 ngày chỉ đọc được nếu tháng ghi trước ngày (ví "
        "dụ '07/23/2024' ở dòng 2) và không ngày nào ghi ngày trước tháng. File được tạo trên "
        "máy đặt định dạng ngày kiểu Mỹ (tháng/ngày/năm), nên cả những ngày như '05/07/2024' "
        "cũng là tháng trước. Hãy ghi ngày dạng dd/mm/yyyy (ngày trước, tháng sau), hoặc đặt "
        "Region của Windows là Vietnamese rồi xuất lại file."
    ]


# ----- 13: an identifier that lost its leading zeros -----------------------------------------


def test_a_card_number_that_only_lost_leading_zeros_is_told_not_applied(tmp_path, code):
    from members.models import Member

    first = [
        member_row(cccd="001090000001", code=code, card="000123"),
        member_row(cccd="001090000002", code=code, card="0456", job="Kế toán"),
    ]
    assert run(write_csv(tmp_path / "a.csv", MEMBER_HEADERS, first)).committed
    again = [
        member_row(cccd="001090000001", code=code, card="123"),
        member_row(cccd="001090000002", code=code, card="456", job="Thủ kho"),
    ]
    outcome = run(write_csv(tmp_path / "b.csv", MEMBER_HEADERS, again))
    assert outcome.committed, messages(outcome)
    assert (outcome.counts.updated, outcome.counts.unchanged) == (1, 1)
    assert (
        "2 dòng có Số thẻ đoàn viên chỉ khác số đang lưu ở các số 0 đầu (ví dụ dòng 2: '123', "
        "đang lưu '000123'): có thể chương trình bảng tính đã bỏ mất số 0 ở đầu. Không sửa các "
        "số này, giữ số đang lưu; muốn đổi thật, hãy định dạng cột là Văn bản (Text) và nhập "
        "đủ số." in outcome.notices
    )
    assert sorted(
        Member.objects.filter(cccd__startswith="00109000000").values_list(
            "card_number", "occupation"
        )
    ) == [("000123", "Công nhân"), ("0456", "Thủ kho")]


# ----- 7: a CSV whose first line is a title ---------------------------------------------------


def test_csv_separator_is_guessed_from_the_first_rows_not_the_title_line(tmp_path, code):
    path = write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, [member_row(code=code)], delimiter=";")
    path.write_bytes("DANH SÁCH ĐOÀN VIÊN, NĂM 2024\r\n".encode() + path.read_bytes())
    outcome = run(path)
    assert outcome.committed, messages(outcome)
    assert outcome.notices[0] == (
        "Bỏ qua 1 dòng tiêu đề phía trên dòng tên cột (dòng 1); tên cột ở dòng 2."
    )


# ----- 4: a number cell whose format pads it with zeros --------------------------------------


def test_a_number_formatted_000000000000_is_read_as_the_text_excel_shows(tmp_path, code):
    from openpyxl import load_workbook

    from members.models import Member

    rows = [member_row(cccd=37068861168, phone=912345678, code=code)]
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows)
    workbook = load_workbook(path)
    workbook.active["D2"].number_format = "000000000000"
    workbook.active["E2"].number_format = "0000000000"
    workbook.save(path)
    outcome = run(path)
    assert outcome.committed, messages(outcome)
    assert Member.objects.filter(cccd="037068861168", phone="0912345678").exists()


# ----- 5: a leading apostrophe typed in LibreOffice ------------------------------------------


def test_one_leading_apostrophe_is_dropped_in_digit_and_date_columns(tmp_path, code):
    from members.models import Member

    rows = [
        member_row(
            cccd="'037068861168", phone="'0912345678", code=code, birth="'05/03/1990", card="'0012"
        )
    ]
    outcome = run(write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows))
    assert outcome.committed, messages(outcome)
    member = Member.objects.get(cccd="037068861168")
    assert (member.phone, member.birth_date, member.card_number) == (
        "0912345678",
        date(1990, 3, 5),
        "0012",
    )


def test_rows_after_a_blank_row_that_fill_more_cells_are_still_data(tmp_path, code):
    rows = [
        member_row(cccd="001090000001", code=code),
        [None] * len(MEMBER_HEADERS),
        ["Ghi chú"],
        member_row(cccd="001090000002", code=code),
    ]
    outcome = run(write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows, text_columns=["Số CCCD"]))
    assert not outcome.committed  # "Ghi chú" is a row with no gender, CCCD...: reported
    assert outcome.counts.rows == 3
    assert not any(n.startswith("Bảng dừng") for n in outcome.notices)


# ----- 9: formulas never calculated ----------------------------------------------------------


def test_formulas_never_calculated_are_explained_first(tmp_path, code):
    rows = [member_row(cccd="001090000001", code=code)]
    rows[0][0] = '=PROPER("nguyễn văn an")'  # openpyxl writes formulas without their value
    outcome = run(write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows, text_columns=["Số CCCD"]))
    assert not outcome.committed
    assert messages(outcome) == [
        "File có 1 ô công thức chưa được tính (file do một chương trình tạo ra mà không tính "
        "công thức, nên các ô này không có giá trị và được coi là trống). Hãy mở file bằng Excel "
        "hoặc LibreOffice Calc, tính lại công thức (Ctrl+Alt+F9 trong Excel, Ctrl+Shift+F9 trong "
        "LibreOffice) rồi lưu lại, hoặc sao chép các cột đó và Dán giá trị (Paste Values) trước "
        "khi nhập.",
        "Dòng 2, cột Họ và tên: Cần nhập họ và tên.",
    ]


# ----- 3: the members template ---------------------------------------------------------------


def test_a_template_filled_in_under_its_example_row_imports(tmp_path, code):
    from io import BytesIO

    from openpyxl import load_workbook

    from imports.downloads import template_bytes
    from members.models import Member

    workbook = load_workbook(BytesIO(template_bytes("members")))
    sheet = workbook["Dữ liệu"]
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(MEMBER_HEADERS, member_row(cccd="001090000009", code=code), strict=True))
    sheet.append([row.get(header) for header in headers])
    guide = {line[0]: line[1] for line in workbook["Hướng dẫn"].iter_rows(values_only=True)}
    assert guide["Số điện thoại"] == "Có cột, ô có thể để trống"
    assert guide["Họ và tên"] == "Bắt buộc"
    path = tmp_path / "mau.xlsx"
    workbook.save(path)
    outcome = run(path)
    assert outcome.committed, messages(outcome)
    assert "Bỏ qua dòng 2: dòng ví dụ của file mẫu (chưa sửa gì)." in outcome.notices
    assert outcome.counts.new == 1 and Member.objects.filter(cccd="001090000009").exists()


def test_federation_rows_of_two_cells_after_a_blank_row_are_no_signature(tmp_path, org):
    from grassroots.models import Federation

    from .importfiles import UNIT_HEADERS

    rows = [["CG2", "LĐLĐ quận Cầu Giấy 2", "HN", "LĐLĐ quận/huyện"]]
    rows += [[None] * 4, ["DN", "LĐLĐ thành phố Đà Nẵng"]]
    outcome = run(write_xlsx(tmp_path / "dv.xlsx", UNIT_HEADERS, rows), kind="units")
    assert outcome.committed, messages(outcome)
    assert Federation.objects.filter(code="DN").exists()
    assert not any(n.startswith("Bảng dừng") for n in outcome.notices)
