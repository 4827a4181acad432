"""Registers made or saved by the programs offices use (issue 12), committed as files in
fixtures/realfiles/ (make_realfiles.py says how LibreOffice made them). Each one is imported
right with a notice of what was converted or skipped, or refused with a Vietnamese reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from grassroots.access import SYSTEM
from imports.engine import run_import
from members.models import Member
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "fixtures" / "realfiles"
PEOPLE = [
    ("001088000103", "Nguyễn Văn Quyết", "male", date(1988, 1, 30), "0987654321", date(2024, 8, 2)),
    ("001090000101", "Lương Thế Dũng", "male", date(1990, 3, 5), "0912345678", date(2024, 7, 15)),
    ("001192000102", "Hoàng Thị Hường", "female", date(1992, 11, 23), "", date(2024, 5, 7)),
]
TITLE_NOTICE = "Bỏ qua 2 dòng tiêu đề phía trên dòng tên cột (dòng 1–2); tên cột ở dòng 3."


@pytest.fixture
def grassroots(org):
    return GrassrootsFactory(code="CSREAL", district_union=org.unit_a, founded_on=date(2019, 3, 1))


def run(name: str, commit=True):
    return run_import("members", FILES / name, user=SYSTEM, commit=commit, source_name=name)


def stored() -> list[tuple]:
    return sorted(
        Member.objects.filter(cccd__in=[p[0] for p in PEOPLE]).values_list(
            "cccd", "full_name", "gender", "birth_date", "phone", "joined_on"
        )
    )


def messages(outcome) -> list[str]:
    return [e.as_vietnamese() for e in outcome.errors]


def test_every_file_is_small():
    assert all(path.stat().st_size < 50 * 1024 for path in FILES.iterdir())


@pytest.mark.parametrize("name", ["libreoffice.xlsx", "libreoffice.ods", "libreoffice.xls"])
def test_a_register_saved_by_libreoffice_in_any_format(grassroots, name):
    outcome = run(name)
    assert outcome.committed, messages(outcome)
    assert outcome.file_format == name.rsplit(".", 1)[1]
    assert outcome.notices[0] == TITLE_NOTICE
    assert stored() == PEOPLE


@pytest.mark.parametrize(
    ("name", "notice"),
    [
        ("tcvn3.xlsx", "File dùng phông TCVN3: đã chuyển 17 ô sang Unicode."),
        ("tcvn3.xls", "File dùng phông TCVN3: đã chuyển 17 ô sang Unicode."),
        ("vni.xlsx", "File dùng phông VNI-Windows: đã chuyển 17 ô sang Unicode."),
    ],
)
def test_a_register_typed_in_a_legacy_font(grassroots, name, notice):
    # 2 title rows, 8 headers (not "STT"), 3 names, one "Nữ", 3 "Công nhân".
    outcome = run(name)
    assert outcome.committed, messages(outcome)
    assert notice in outcome.notices
    assert stored() == PEOPLE
    assert set(
        Member.objects.filter(cccd__in=[p[0] for p in PEOPLE]).values_list("occupation", flat=True)
    ) == {"Công nhân"}


def test_a_register_typed_under_us_regional_settings_is_refused(grassroots):
    outcome = run("us-settings.xlsx")
    assert not outcome.committed
    (message,) = messages(outcome)
    assert message.startswith(
        "Ngày kết nạp: Không nhập được cột này: cột có cả ô ngày của Excel lẫn ô chữ có ngày "
        "lớn hơn 12"
    )
    assert "'15/07/2024' ở dòng 4" in message
    assert stored() == []


def test_an_ods_never_hears_of_content_types(tmp_path):
    import zipfile

    from unionportal.spreadsheets.errors import FileProblem
    from unionportal.spreadsheets.sniff import read_all

    broken = tmp_path / "hong.ods"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<not xml")
    with pytest.raises(FileProblem) as caught:
        read_all(broken)
    assert caught.value.message == "File OpenDocument (.ods) bị hỏng: hãy mở và lưu lại."
    letter = tmp_path / "thu.odt"
    with zipfile.ZipFile(letter, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(FileProblem) as caught:
        read_all(letter)
    assert "không phải bảng tính" in caught.value.message
    assert "Content_Types" not in caught.value.message


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("cp1258.csv", "Windows-1258"), ("unicode-text.txt", "UTF-16 (Unicode Text)")],
)
def test_csv_from_excel_on_vietnamese_windows_and_unicode_text(grassroots, name, encoding):
    outcome = run(name)
    assert outcome.committed, messages(outcome)
    assert (
        f"File CSV ở mã {encoding}, không phải UTF-8: đã đọc theo mã này. Hãy xem lại các tên "
        "có dấu trong bản xem trước." in outcome.notices
    )
    assert stored() == PEOPLE


def test_a_utf8_csv_says_nothing_of_its_encoding(grassroots, tmp_path):
    path = tmp_path / "utf8.csv"
    path.write_bytes((FILES / "cp1258.csv").read_bytes().decode("cp1258").encode())
    outcome = run_import("members", path, user=SYSTEM, commit=False)
    assert outcome.ok, messages(outcome)
    assert not any("mã" in notice for notice in outcome.notices)


def test_the_signature_block_under_the_table_is_left_out_with_a_notice(grassroots):
    outcome = run("signature.xlsx")
    assert outcome.committed, messages(outcome)
    assert (
        "Bảng dừng ở dòng trống phía trên dòng 8: bỏ qua 3 dòng phía dưới bảng (chữ ký, ngày "
        "tháng: dòng 8–11)." in outcome.notices
    )
    assert stored() == PEOPLE


def test_formulas_never_calculated_are_explained_and_calculated_ones_read(grassroots):
    outcome = run("formulas-uncalculated.xlsx")
    assert not outcome.committed
    assert messages(outcome)[0].startswith("File có 3 ô công thức chưa được tính")
    assert messages(outcome)[1:] == [
        f"Dòng {n}, cột Họ và tên: Cần nhập họ và tên." for n in (4, 5, 6)
    ]
    outcome = run("formulas-calculated.xlsx")  # opened and saved by LibreOffice
    assert outcome.committed, messages(outcome)
    assert not any("công thức" in notice for notice in outcome.notices)
    assert stored() == PEOPLE


CAPITALS = ["HOÀNG THỊ HƯỜNG", "LƯƠNG THẾ DŨNG", "NGUYỄN VĂN QUYẾT"]
XLS_NOTICE_START = "File Excel cũ (.xls) này có dạng cổng không đọc được định dạng số"


def names() -> list[str]:
    return sorted(
        Member.objects.filter(cccd__in=[p[0] for p in PEOPLE]).values_list("full_name", flat=True)
    )


@pytest.mark.parametrize(
    "name", ["tcvn3-capitals.xlsx", "tcvn3-capitals.ods", "tcvn3-capitals.xls"]
)
def test_names_typed_in_tcvn3_capitals_font_come_out_in_capitals(grassroots, name):
    # Typed "hoµng thÞ h­êng" in .VnTimeH, which draws every letter as a capital.
    outcome = run(name)
    assert outcome.committed, messages(outcome)
    assert "File dùng phông TCVN3: đã chuyển 17 ô sang Unicode." in outcome.notices
    assert names() == CAPITALS


@pytest.mark.parametrize("name", ["padded-hidden.ods", "padded-hidden.xls"])
def test_padded_numbers_and_hidden_rows_of_an_ods_and_an_xls(grassroots, name):
    # CCCD and phone kept as numbers shown 001090000101 / 0912345678; the second row hidden.
    outcome = run(name)
    assert outcome.committed, messages(outcome)
    assert (
        "Có 1 dòng bị ẩn hoặc bị lọc (Filter) trong file: các dòng này vẫn được đọc và nhập như "
        "mọi dòng khác." in outcome.notices
    )
    assert stored() == PEOPLE
    assert not any(n.startswith(XLS_NOTICE_START) for n in outcome.notices)


def test_an_xls_whose_styles_cannot_be_read_says_so(grassroots, monkeypatch):
    # Excel 5.0/95 files (BIFF5; LibreOffice no longer writes them) or a damaged directory:
    # calamine reads the values, the styles are not read, and the user is told what to do.
    from unionportal.spreadsheets import sniff

    monkeypatch.setattr(sniff, "xls_hints", lambda path, sheet_name: None)
    outcome = run("padded-hidden.xls")
    assert not outcome.committed
    assert any(n.startswith(XLS_NOTICE_START) for n in outcome.notices)
    assert any("Số CCCD" in m for m in messages(outcome)), messages(outcome)
    assert stored() == []


def test_the_xls_style_reader_gives_up_on_damaged_or_old_files(tmp_path):
    from unionportal.spreadsheets.xls_styles import read_hints

    whole = (FILES / "padded-hidden.xls").read_bytes()
    hints = read_hints(FILES / "padded-hidden.xls", "Danh sách")
    assert hints is not None
    assert hints.padded[(4, 4)] == 12 and hints.padded[(4, 5)] == 10
    assert hints.hidden_rows == 1
    assert read_hints(FILES / "padded-hidden.xls", "Trang khác") is None
    for cut in (600, 2000, len(whole) - 512):
        broken = tmp_path / f"cut{cut}.xls"
        broken.write_bytes(whole[:cut])
        assert read_hints(broken, "Danh sách") is None
    looping = bytearray(whole)
    looping[0x30:0x34] = (0).to_bytes(4, "little")  # the directory starts on a FAT sector
    (tmp_path / "loop.xls").write_bytes(bytes(looping))
    assert read_hints(tmp_path / "loop.xls", "Danh sách") is None


def test_padded_numbers_and_hidden_rows_of_the_same_register_as_xlsx(grassroots):
    outcome = run("padded-hidden.xlsx")
    assert outcome.committed, messages(outcome)
    assert stored() == PEOPLE
    assert any(n.startswith("Có 1 dòng bị ẩn") for n in outcome.notices)


def test_capitals_fonts_are_tcvn3_ones_with_a_final_capital_h():
    from unionportal.spreadsheets.legacy import TCVN3, Capitals, Converter, capitals_font, plain

    assert capitals_font(".VnTimeH") and capitals_font(".VnArial NarrowH")
    assert not capitals_font(".VnTime") and not capitals_font("VNI-Times")
    assert not capitals_font("Arial") and not capitals_font(".VnTimeh")
    assert Converter(TCVN3).value(Capitals("l\xadu ®øc")) == "LƯU ĐỨC"
    assert type(plain(Capitals("abc"))) is str


def test_the_xls_style_reader_on_records_libreoffice_did_not_write():
    # MULRK (several numbers in one record), a font past BIFF's missing number 4, a hidden row
    # without a value (not counted) and one with a value.
    import struct

    from unionportal.spreadsheets.xls_styles import _hints

    def record(kind: int, data: bytes) -> bytes:
        return struct.pack("<HH", kind, len(data)) + data

    def font(name: str) -> bytes:
        return record(0x0031, bytes(14) + bytes([len(name), 0]) + name.encode("latin-1"))

    fonts = b"".join(font(name) for name in ("Arial", "Arial", "Arial", "Arial", ".VnTimeH"))
    code = "000000000000"
    formats = record(0x041E, struct.pack("<HHB", 164, len(code), 0) + code.encode())
    styles = record(0x00E0, struct.pack("<HH", 0, 0) + bytes(16))  # XF 0: plain
    styles += record(0x00E0, struct.pack("<HH", 0, 164) + bytes(16))  # XF 1: padded
    styles += record(0x00E0, struct.pack("<HH", 5, 0) + bytes(16))  # XF 2: .VnTimeH
    name = "Trang1"
    bof = record(0x0809, struct.pack("<HH", 0x0600, 0x0005) + bytes(12))
    head = bof + fonts + formats + styles
    sheet_entry_size = 4 + 8 + len(name)
    start = len(head) + sheet_entry_size + 4
    sheet_entry = record(0x0085, struct.pack("<IBBBB", start, 0, 0, len(name), 0) + name.encode())
    rk_whole = (37068861168 // 1000 << 2) | 0x02  # a 30-bit integer: 37068861
    cells = record(0x0208, struct.pack("<HHHHHHI", 2, 0, 3, 0, 0, 0, 0x20))  # row 3 hidden
    cells += record(0x0208, struct.pack("<HHHHHHI", 5, 0, 0, 0, 0, 0, 0x20))  # row 6, empty
    cells += record(
        0x00BD,
        struct.pack("<HH", 2, 1)
        + struct.pack("<HI", 0, rk_whole) * 1
        + struct.pack("<HI", 1, rk_whole)
        + struct.pack("<H", 2),
    )
    cells += record(0x00FD, struct.pack("<HHHI", 3, 0, 2, 0))
    stream = head + sheet_entry + record(0x000A, b"") + bof + cells + record(0x000A, b"")
    hints = _hints(stream, name)
    assert hints is not None
    assert hints.padded == {(3, 2): 12}
    assert hints.capitals == {(4, 0)}
    assert hints.hidden_rows == 1
    assert ".VnTimeH" in hints.fonts


@pytest.mark.parametrize("name", ["libreoffice.ods", "padded-hidden.ods", "tcvn3-capitals.ods"])
def test_the_ods_prescan_only_skips_the_parse_when_nothing_would_be_marked(name, monkeypatch):
    from unionportal.spreadsheets import ods_styles

    found = ods_styles.read_hints(FILES / name, 0)
    monkeypatch.setattr(ods_styles, "_prescan", lambda handle, styles: (set(), True))
    parsed = ods_styles.read_hints(FILES / name, 0)
    assert (found.padded, found.capitals, found.hidden_rows) == (
        parsed.padded,
        parsed.capitals,
        parsed.hidden_rows,
    )
    assert {".VnTime", ".VnTimeH"} <= set(found.fonts) or name != "tcvn3-capitals.ods"
