"""Benchmark helpers: a realistic members file of any size, and the organisation it refers to.

The file is written like Excel writes it: text in the shared-strings table, dates as serial
numbers with a dd/mm/yyyy style, CCCD and phone as text. It is generated straight as XML
(openpyxl would take a minute for 500.000 rows). 2% of the members have left (with a reason).
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone

from members.resources import MEMBER_COLUMNS

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quốc", "Ngọc", "Thanh", "Hữu", "Thùy"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Huy", "Lan", "Linh", "Nam", "Phương", "Quân", "Yến"]
JOBS = ["Công nhân", "Kỹ sư", "Nhân viên văn phòng", "Kế toán", "Lái xe", "Giáo viên"]
REASONS = ["Chuyển công tác", "Nghỉ hưu", "Thôi việc"]
FOUNDED = date(2019, 1, 15)
EXCEL_EPOCH = date(1899, 12, 30)
BENCH_FEDERATION = "BENCHFED"
UNITS = 10
GRASSROOTS = 200
COLUMNS = "ABCDEFGHIJK"


def grassroots_codes() -> list[str]:
    return [f"BCS{i:05d}" for i in range(GRASSROOTS)]


def seed_organisation() -> None:
    """One federation, 10 units, 200 CĐCS founded 15/01/2019 (idempotent)."""
    from grassroots.models import DistrictUnion, Federation, GrassrootsUnion
    from grassroots.services import grassroots_found

    federation, _ = Federation.objects.get_or_create(
        code=BENCH_FEDERATION, defaults={"name": "LĐLĐ Thử tải"}
    )
    units = []
    for i in range(UNITS):
        unit, _ = DistrictUnion.objects.get_or_create(
            code=f"BU{i:02d}", defaults={"name": f"LĐLĐ quận Thử {i}", "federation": federation}
        )
        units.append(unit)
    existing = set(GrassrootsUnion.objects.values_list("code", flat=True))
    for i, code in enumerate(grassroots_codes()):
        if code not in existing:
            grassroots_found(
                district_union=units[i % UNITS],
                code=code,
                name=f"Công đoàn Công ty Thử {i}",
                tax_code=f"{100000000 + i:010d}",
                sector="private_enterprise",
                workers=30 + i,
                founded_on=FOUNDED,
            )


def member_rows(count: int, *, seed: int = 20261125):
    rnd = random.Random(seed)
    codes = grassroots_codes()
    today = timezone.localdate()
    span = (today - FOUNDED).days - 400
    for i in range(count):
        joined = FOUNDED + timedelta(days=rnd.randrange(span))
        birth = joined - timedelta(days=365 * rnd.randrange(18, 58) + rnd.randrange(365))
        left = reason = None
        if rnd.random() < 0.02:
            left = joined + timedelta(days=rnd.randrange(1, 380))
            reason = rnd.choice(REASONS)
        yield [
            f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
            rnd.choice(("Nam", "Nữ")),
            birth,
            f"{1 + i % 96:03d}{500_000_000 + i // 96:09d}",  # province code first: 0-led
            f"09{rnd.randrange(10**8):08d}",
            rnd.choice(codes),
            joined,
            f"TH{i:09d}",
            rnd.choice(JOBS),
            left,
            reason,
        ]


def write_members_xlsx(path, count: int, *, seed: int = 20261125) -> None:
    """Write `count` member rows (plus the header) as an .xlsx file with shared strings."""
    header = [c.header for c in MEMBER_COLUMNS.imported()]
    write_xlsx(path, header, member_rows(count, seed=seed), count)


def write_xlsx(path, header: list[str], rows, count: int) -> None:
    """Write `header` and `count` rows (text in shared strings, dates as serial numbers with a
    dd/mm/yyyy style, integers as numbers, None as no cell) as an .xlsx file."""
    strings: dict[str, int] = {}
    letters = [_column_letter(i) for i in range(len(header))]

    def shared(text: str) -> int:
        index = strings.get(text)
        if index is None:
            index = strings[text] = len(strings)
        return index

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f'<dimension ref="A1:{letters[-1]}{count + 1}"/>'.encode()
                + b"<sheetData>"
            )
            buffer: list[str] = []

            def row(number: int, cells: list) -> None:
                buffer.append(f'<row r="{number}">')
                for column, value in zip(letters, cells, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, date):
                        buffer.append(
                            f'<c r="{column}{number}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>'
                        )
                    elif isinstance(value, int):
                        buffer.append(f'<c r="{column}{number}"><v>{value}</v></c>')
                    else:
                        buffer.append(
                            f'<c r="{column}{number}" s="2" t="s"><v>{shared(value)}</v></c>'
                        )
                buffer.append("</row>")
                if len(buffer) > 20000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()

            row(1, header)
            for number, cells in enumerate(rows, start=2):
                row(number, cells)
            buffer.append("</sheetData></worksheet>")
            sheet.write("".join(buffer).encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as sst:
            sst.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                + f'count="{len(strings)}" uniqueCount="{len(strings)}">'.encode()
            )
            chunk: list[str] = []
            for text in strings:
                chunk.append(f"<si><t>{escape(text)}</t></si>")
                if len(chunk) > 20000:
                    sst.write("".join(chunk).encode())
                    chunk.clear()
            chunk.append("</sst>")
            sst.write("".join(chunk).encode())
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# The tax office's list as units receive it: the import's columns, in another order, among
# columns the import does not need ("Người đại diện", "Ngành nghề kinh doanh", "Điện thoại").
ENTERPRISE_HEADER = [
    "STT",
    "Mã số thuế",
    "Tên doanh nghiệp",
    "Người đại diện",
    "Địa chỉ",
    "Mã phường/xã",
    "Ngành nghề kinh doanh",
    "Số lao động",
    "Lao động nữ",
    "Ngày thành lập",
    "Điện thoại",
    "Mã công đoàn cấp trên",
]
TRADES = ["May mặc", "Xây dựng", "Thương mại", "Cơ khí", "Vận tải", "Chế biến thực phẩm"]
ENTERPRISE_KINDS = ["Công ty TNHH", "Công ty cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]


def enterprise_rows(count: int, *, seed: int = 20261202):
    """`count` enterprises of the bench units (BU00..BU09): 5% are branches (0101234567-001),
    5% give the worker count as text ("45 người"), 45% have 25 workers or more; the first 200
    are the employers of the 200 bench CĐCS (seed_organisation), so the import links them."""
    rng = random.Random(seed)
    for i in range(count):
        tax = f"{100000000 + i:010d}" if i < GRASSROOTS else f"{2000000000 + i:010d}"
        if i % 20 == 7 and i >= GRASSROOTS:
            tax += f"-{1 + i % 7:03d}"
        workers = int(25 * (30 ** rng.random())) if rng.random() < 0.45 else rng.randint(3, 24)
        women = rng.randint(0, workers)
        person = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        yield [
            i + 1,
            tax,
            f"{rng.choice(ENTERPRISE_KINDS)} {rng.choice(TRADES)} {rng.choice(GIVEN)} {i}",
            person,
            f"Số {rng.randint(1, 400)} phố {rng.choice(GIVEN)}",
            None,
            rng.choice(TRADES),
            f"{workers} người" if i % 20 == 3 else workers,
            women,
            date(1995, 1, 1) + timedelta(days=rng.randint(0, 10_000)),
            f"09{rng.randint(10_000_000, 99_999_999)}",
            f"BU{i % UNITS:02d}",
        ]


def write_enterprises_xlsx(path, count: int, *, seed: int = 20261202) -> None:
    write_xlsx(path, ENTERPRISE_HEADER, enterprise_rows(count, seed=seed), count)


_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/><name '
    'val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/>'
    '</fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" '
    'fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" '
    'fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'
)
_WORKBOOK = (
    _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="Đoàn viên" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    _HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_RELS = (
    _HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)


XLS_MAX_ROWS = 65_535  # Excel 97-2003 holds 65.536 rows, the header included
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the tone marks cp1258 has as combining characters


def to_cp1258(text: str) -> bytes:
    """`text` in Windows-1258 as Excel writes it: letters with a tone that cp1258 lacks
    precomposed ("ễ") as their base letter ("ê") and the combining tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in decomposed if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def write_members_csv_cp1258(path, count: int, *, seed: int = 20261125) -> None:
    """The same rows as a CSV from Excel's "CSV (Comma delimited)" on Vietnamese Windows:
    Windows-1258, dates as dd/mm/yyyy."""
    with open(path, "wb") as handle:
        lines: list[str] = []

        def flush() -> None:
            handle.write(to_cp1258("".join(lines)))
            lines.clear()

        writer = csv.writer(_Lines(lines), lineterminator="\r\n")
        writer.writerow([c.header for c in MEMBER_COLUMNS.imported()])
        for cells in member_rows(count, seed=seed):
            writer.writerow(
                [v.strftime("%d/%m/%Y") if isinstance(v, date) else (v or "") for v in cells]
            )
            if len(lines) > 5000:
                flush()
        flush()


class _Lines:
    def __init__(self, lines: list[str]):
        self.write = lines.append


def write_members_xls(path, count: int, *, seed: int = 20261125) -> bool:
    """The same rows as an Excel 97-2003 .xls (at most XLS_MAX_ROWS), saved by LibreOffice from
    the .xlsx; False when LibreOffice (soffice) is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "members.xlsx"
        write_members_xlsx(source, min(count, XLS_MAX_ROWS), seed=seed)
        subprocess.run(
            [soffice, "--headless", "--convert-to", "xls", "--outdir", work, str(source)],
            check=True,
            capture_output=True,
        )
        shutil.move(Path(work) / "members.xls", path)
    return True
