"""Reading uploaded files: the streaming .xlsx reader (checked against python-calamine on the
same files), CSV dialects and encodings, and hostile or damaged files."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import date, datetime

import pytest
import python_calamine
from openpyxl import Workbook

from benchmarks.import_data import write_members_xlsx
from unionportal.spreadsheets import xlsx_reader as xlsx_module
from unionportal.spreadsheets.errors import FileProblem
from unionportal.spreadsheets.sniff import open_table, read_all

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def calamine_rows(path) -> list[tuple[int, list]]:
    """What python-calamine reads: (row number, values) of non-empty rows, "" -> None."""
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    start = sheet.start or (0, 0)
    rows = []
    for offset, values in enumerate(sheet.to_python(skip_empty_area=True)):
        cleaned = [None] * start[1] + [None if v == "" else v for v in values]
        while cleaned and cleaned[-1] is None:
            cleaned.pop()
        if cleaned:
            rows.append((start[0] + offset + 1, cleaned))
    return rows


def ours(path) -> list[tuple[int, list]]:
    headers, rows = read_all(path)
    with open_table(path) as table:
        first = table.header_row
    result = [(first, list(headers)), *rows]
    return [(n, _trim(v)) for n, v in result]


def _trim(values):
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return values


def same_as_calamine(path):
    mine = ours(path)
    theirs = calamine_rows(path)
    assert len(mine) == len(theirs)
    for (n1, a), (n2, b) in zip(mine, theirs, strict=True):
        assert n1 == n2
        assert len(a) == len(b), (n1, a, b)
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) or isinstance(y, float):
                assert x == pytest.approx(y), (n1, a, b)
            else:
                assert x == y, (n1, a, b)
    return mine


def raw_xlsx(
    path,
    sheet_xml: str,
    *,
    sst_xml: str | None = None,
    styles_xml: str | None = None,
    workbook_xml: str | None = None,
    extra: dict | None = None,
):
    """An .xlsx assembled from XML parts, to exercise shapes other writers produce."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        + (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if sst_xml
            else ""
        )
        + (
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/styles" Target="styles.xml"/>'
            if styles_xml
            else ""
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Default '
            'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
            '+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if sst_xml
                else ""
            )
            + (
                '<Override PartName="/xl/styles.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                if styles_xml
                else ""
            )
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            workbook_xml
            or f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Trang 1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if sst_xml:
            archive.writestr("xl/sharedStrings.xml", sst_xml)
        if styles_xml:
            archive.writestr("xl/styles.xml", styles_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


STYLES_DATE = (
    f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="dd/mm/yyyy;@"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf '
    'numFmtId="164"/><xf numFmtId="49"/><xf numFmtId="14"/></cellXfs></styleSheet>'
)


# ----- the reader against calamine --------------------------------------------------------


def test_openpyxl_file_with_shared_strings_dates_and_numbers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Ngày sinh", "Số CCCD", "Số lao động", "Tỉ lệ", "Có"])
    sheet.append(["Nguyễn Văn An", date(1990, 3, 5), "001090012345", 30, 40.74, True])
    sheet.append(["Trần Thị Bình", datetime(1985, 12, 31, 8, 30), "079185000001", 0, -1.5, False])
    sheet.append([])
    sheet.append(["=1+2 & tab\t", None, 1090012345, 10**12, 1e-3, None])
    sheet["B2"].number_format = "DD/MM/YYYY"
    sheet["B3"].number_format = "DD/MM/YYYY HH:MM"
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    rows = same_as_calamine(path)
    assert rows[1][1][1] == date(1990, 3, 5)
    assert rows[2][1][1] == datetime(1985, 12, 31, 8, 30)
    assert [n for n, _ in rows] == [1, 2, 3, 5]  # the blank row 4 is skipped, numbers kept


def test_write_only_file_with_inline_strings(tmp_path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đoàn viên")
    sheet.append(["Mã", 'Tên <&> "x"', "Ngày"])
    sheet.append(["CS001", "Công đoàn A & B", date(2024, 7, 1)])
    sheet.append([None, None, None])
    sheet.append(["CS002", "  khoảng trắng  ", 45000])
    path = tmp_path / "b.xlsx"
    workbook.save(path)
    rows = same_as_calamine(path)
    assert rows[0][1][1] == 'Tên <&> "x"'


def test_generated_benchmark_file(tmp_path):
    path = tmp_path / "bench.xlsx"
    write_members_xlsx(path, 300)
    rows = same_as_calamine(path)
    assert len(rows) == 301
    assert isinstance(rows[1][1][2], date) and rows[1][1][3] == "001500000000"


def test_rich_text_phonetic_entities_and_control_escapes(tmp_path):
    sst = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>Họ và tên</t></si>'
        '<si><r><rPr><b/></rPr><t xml:space="preserve">Nguyễn </t></r><r><t>Văn An</t></r>'
        '<rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'
        "<si><t>A &amp; B &lt;C&gt; &#7875; &#x1EA1;</t></si>"
        "<si><t>dòng 1_x000D_dòng 2</t></si><si/></sst>"
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>4</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c>'
        '<c r="C2" t="s"><v>3</v></c></row></sheetData></worksheet>'
    )
    path = raw_xlsx(tmp_path / "c.xlsx", sheet, sst_xml=sst)
    rows = same_as_calamine(path)
    assert rows[1][1] == ["Nguyễn Văn An", "A & B <C> ể ạ", "dòng 1\rdòng 2"]


def test_prefixed_namespace_and_cells_without_references(tmp_path):
    """Some generators write <x:row><x:c> and leave out the r attributes: the slow path."""
    sheet = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>Mã</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:t>Số</x:t></x:is></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>CS1</x:t></x:is></x:c><x:c><x:v>7</x:v></x:c></x:row>'
        '<x:row r="5"><x:c r="B5"><x:v>2.5</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    path = raw_xlsx(tmp_path / "d.xlsx", sheet)
    assert ours(path) == [(1, ["Mã", "Số"]), (2, ["CS1", 7]), (5, [None, 2.5])]


def test_other_cell_types_dates_1904_and_gaps(tmp_path):
    workbook = (
        f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet '
        'name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><dimension ref="A1:F3"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="F1" t="inlineStr">'
        "<is><t>f</t></is></c></row>"
        '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#N/A</v></c>'
        '<c r="C3" t="str"><f>A1&amp;"x"</f><v>ax</v></c><c r="D3" s="1"><v>1</v></c>'
        '<c r="E3" s="3"><v>44000</v></c><c r="F3"/></row>'
        "</sheetData></worksheet>"
    )
    path = raw_xlsx(tmp_path / "e.xlsx", sheet, styles_xml=STYLES_DATE, workbook_xml=workbook)
    rows = ours(path)
    assert rows[1] == (3, [True, "#N/A", "ax", date(1904, 1, 2), date(2024, 6, 19)])
    assert rows[0] == (1, ["a", None, None, None, None, "f"])


def test_slow_path_reads_the_same_as_the_fast_path(tmp_path, monkeypatch):
    path = tmp_path / "bench.xlsx"
    write_members_xlsx(path, 200)
    fast = ours(path)
    monkeypatch.setattr(xlsx_module.XlsxReader, "_rows_fast", lambda self, piece: None)
    monkeypatch.setattr(xlsx_module.XlsxReader, "_si_fast", staticmethod(lambda piece: None))
    assert ours(path) == fast


def test_pieces_never_cut_a_row(tmp_path, monkeypatch):
    """With tiny read sizes every row still comes out whole."""
    path = tmp_path / "bench.xlsx"
    write_members_xlsx(path, 120)
    expected = ours(path)
    monkeypatch.setattr(xlsx_module, "CHUNK", 97)
    assert ours(path) == expected


def test_header_row_may_follow_blank_rows_and_row_numbers_stay_excels(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"] = "Mã"
    sheet["C3"] = "Tên"
    sheet["B6"] = "CS1"
    sheet["C6"] = "Một"
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    with open_table(path) as table:
        assert table.header_row == 3
        assert table.headers == [None, "Mã", "Tên"]
        assert list(table.rows) == [(6, [None, "CS1", "Một"])]


# ----- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_utf8_with_or_without_bom_any_common_separator(tmp_path, bom, delimiter):
    text = delimiter.join(["Họ và tên", "Số CCCD"]) + "\r\n"
    text += delimiter.join(['"Nguyễn, Văn An"', "001090012345"]) + "\r\n\r\n"
    text += delimiter.join(["Trần Thị Bình", "079185000001"]) + "\r\n"
    path = tmp_path / "a.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    headers, rows = read_all(path)
    assert headers == ["Họ và tên", "Số CCCD"]
    assert rows == [(2, ["Nguyễn, Văn An", "001090012345"]), (4, ["Trần Thị Bình", "079185000001"])]


def test_csv_not_utf8_in_the_middle(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(
        "Họ và tên\n".encode() + b"a\n" * 40000 + "Trần".encode("utf-16-le") + b"\xff\xfe\n"
    )
    with pytest.raises(FileProblem, match="UTF-8"):
        read_all(path)


def test_nfd_text_stays_readable(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(unicodedata.normalize("NFD", "Họ và tên\nNguyễn\n").encode())
    headers, rows = read_all(path)
    assert unicodedata.normalize("NFC", headers[0]) == "Họ và tên"


# ----- hostile and damaged files ------------------------------------------------------------


def problem(path, **kwargs) -> str:
    with pytest.raises(FileProblem) as caught:
        read_all(path, **kwargs)
    return caught.value.message


def test_zip_bomb_is_refused_before_decompressing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        + " " * (300 * 1024 * 1024)
        + "</sheetData></worksheet>"
    )
    raw_xlsx(path, sheet)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert "nén" in problem(path)


def test_lying_zip_sizes_are_caught_while_reading(tmp_path, settings):
    """A total over the bound stops the read even if the archive's directory looks small."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 200_000
    path = tmp_path / "big.xlsx"
    write_members_xlsx(path, 3000)
    assert "quá lớn" in problem(path)


@pytest.mark.parametrize("part", ["sheet", "sst"])
def test_entity_expansion_is_refused(tmp_path, part):
    dtd = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    sheet = (
        f'{dtd if part == "sheet" else ""}<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    sst = f'{dtd if part == "sst" else ""}<sst xmlns="{MAIN}"><si><t>&lol2;</t></si></sst>'
    path = raw_xlsx(tmp_path / "dtd.xlsx", sheet, sst_xml=sst)
    assert "DTD" in problem(path)


def test_entity_in_workbook_part_is_refused(tmp_path):
    workbook = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<workbook xmlns="{MAIN}"><sheets><sheet name="&e;" sheetId="1"/></sheets></workbook>'
    )
    path = raw_xlsx(tmp_path / "x.xlsx", f'<worksheet xmlns="{MAIN}"/>', workbook_xml=workbook)
    assert "DTD" in problem(path)


def test_truncated_zip(tmp_path):
    source = tmp_path / "ok.xlsx"
    write_members_xlsx(source, 50)
    path = tmp_path / "cut.xlsx"
    path.write_bytes(source.read_bytes()[:3000])
    assert "hỏng" in problem(path)


def test_a_word_document_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "không phải bảng tính" in problem(path)


def test_zip_without_content_types(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "[Content_Types].xml" in problem(path)


def test_too_many_parts(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(2100):
            archive.writestr(f"xl/x{i}.xml", "")
    assert "quá nhiều" in problem(path)


def test_sheet_that_is_not_xml(tmp_path):
    path = raw_xlsx(tmp_path / "a.xlsx", "this is <not xml at all")
    assert "hỏng" in problem(path) or "định dạng" in problem(path)


def test_size_limit(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\n" * 1000)
    assert "quá lớn" in problem(path, max_bytes=100)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "rỗng"),
        (b"   \r\n  ", "rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
        (b"%PDF-1.4\n", "PDF"),
        (b"<!DOCTYPE html><html></html>", "HTML"),
        (b"GIF89a\x00\x00", "nhị phân"),
        (b"H\x81\x8d\x90", "UTF-8"),  # neither UTF-8 nor Windows-1258
    ],
)
def test_not_a_spreadsheet(tmp_path, content, words):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert words in problem(path)


def test_a_giant_row_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_ELEMENT", 100_000)
    monkeypatch.setattr(xlsx_module, "CHUNK", 10_000)
    cells = "".join(f'<c r="A1" t="inlineStr"><is><t>{"x" * 1000}</t></is></c>' for _ in range(300))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    path = raw_xlsx(tmp_path / "giant.xlsx", sheet)
    assert "quá lớn" in problem(path)


# ----- shared strings read as the rows need them ------------------------------------------


def _numbered_sst_file(tmp_path, order: list[int]):
    """3.000 rows whose cell A is shared string i ('Tên số i'), the table written in `order`."""
    count = len(order)
    position = {index: at for at, index in enumerate(order)}
    sst = (
        f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'
        + "".join(f"<si><t>Tên số {index}</t></si>" for index in order)
        + "</sst>"
    )
    rows = "".join(
        f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{position[i]}</v></c></row>'
        for i in range(count)
    )
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    return raw_xlsx(tmp_path / "sst.xlsx", sheet, sst_xml=sst)


@pytest.mark.parametrize("order", ["first use", "reversed"])
def test_shared_strings_in_any_order_across_many_pieces(tmp_path, monkeypatch, order):
    """Excel writes the table in order of first use, so the first rows need only its start;
    a writer that puts the strings the other way round still reads right (the whole table is
    then read before the first row)."""
    monkeypatch.setattr(xlsx_module, "CHUNK", 4096)  # the table spans ~20 pieces
    indexes = list(range(3000))
    path = _numbered_sst_file(tmp_path, indexes if order == "first use" else indexes[::-1])
    assert [values for _, values in ours(path)] == [[f"Tên số {i}"] for i in range(3000)]
    same_as_calamine(path)


def test_first_rows_come_before_the_whole_table_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_module, "CHUNK", 4096)
    path = _numbered_sst_file(tmp_path, list(range(3000)))
    reader = xlsx_module.XlsxReader(path, max_uncompressed=1 << 30)
    try:
        number, values = next(reader.rows())
        assert (number, values) == (1, ["Tên số 0"])
        assert len(reader._sst_offsets) - 1 < 3000  # only the start of the table so far
    finally:
        reader.close()


def test_a_shared_string_index_past_the_table_is_a_broken_file(tmp_path):
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="s"><v>7</v></c></row></sheetData></worksheet>'
    )
    sst = f'<sst xmlns="{MAIN}"><si><t>Một</t></si></sst>'
    path = raw_xlsx(tmp_path / "short-sst.xlsx", sheet, sst_xml=sst)
    assert "bị hỏng" in problem(path)
