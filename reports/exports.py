"""Dashboard exports: the .xlsx workbook for meetings and the text lines officers paste.

Numbers stay numbers and percentages are Excel percentages (1,35 shown as 135,00%); every text
cell goes through `safe_cell` so a unit name starting with `=` cannot become a formula.
"""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from grassroots.indicators import CORE_CODES, indicators
from unionportal.spreadsheets.export import safe_cell
from unionportal.spreadsheets.xlsx_writer import print_setup

from .approved import FiguresStatus
from .periods import Period
from .progress import Progress, format_int
from .selectors import DistrictDashboard, FederationDashboard, ProgressRow

NOUNS = {
    "new_members": "đoàn viên",
    "new_grassroots": "CĐCS",
    "new_grassroots_25plus": "CĐCS từ 25 lao động trở lên",
}
PERCENT_FORMAT = "0.00%"
INTEGER_FORMAT = "#,##0"


# --- Text lines ----------------------------------------------------------------------------


def _short(progress: Progress, noun: str) -> str:
    if not progress.has_target:
        return f"{progress.fraction_text(noun)} (chưa giao chỉ tiêu)"
    return f"{progress.fraction_text(noun)} ({progress.percent_text})"


def progress_line(row: ProgressRow) -> str:
    """`LĐLĐ quận Thanh Xuân: 4.550/6.500 đoàn viên (70%); 27/20 CĐCS (135%); 15/15 CĐCS từ 25
    lao động trở lên (100%)` - the `progress_report --format text` line."""
    parts = [_short(progress, NOUNS[name]) for name, progress in row.indicators]
    parts += [
        f"{_lower(i.name)} {_short(progress, i.unit_of_count)}"
        for i, progress in row.further_indicators
    ]
    name = f"{row.name} ({row.note})" if row.note else row.name
    return f"{name}: " + "; ".join(parts)


def _lower(text: str) -> str:
    return text[0].lower() + text[1:]


def _sentence_part(progress: Progress, verb: str, noun: str) -> str:
    if not progress.has_target:
        return f"{verb} {progress.fraction_text(noun)} (chưa giao chỉ tiêu)"
    return f"{verb} {progress.fraction_text(noun)}, đạt {progress.percent_text} chỉ tiêu"


def progress_sentence(row: ProgressRow, period: Period, data_date) -> str:
    """The sentence for written reports: `LĐLĐ quận Thanh Xuân, năm 2024: kết nạp được
    4.550/6.500 đoàn viên, đạt 70% chỉ tiêu; thành lập được 27/20 CĐCS, đạt 135% chỉ tiêu; ...`
    """
    label = period.label[0].lower() + period.label[1:]
    parts = [
        _sentence_part(row.new_members, "kết nạp được", "đoàn viên"),
        _sentence_part(row.new_grassroots, "thành lập được", "CĐCS"),
        _sentence_part(row.new_grassroots_25plus, "trong đó", "CĐCS có từ 25 lao động trở lên"),
        *(
            _sentence_part(progress, f"{_lower(i.name)}:", i.unit_of_count)
            for i, progress in row.further_indicators
        ),
    ]
    if row.last_day is not None and row.last_day < data_date:
        data_date = row.last_day  # an ended unit: its stock on its last day
    stock = (
        f"Đến ngày {data_date:%d/%m/%Y} có {format_int(row.figures.members_total)} đoàn viên,"
        f" {format_int(row.figures.grassroots_total)} CĐCS."
    )
    name = f"{row.name} ({row.note})" if row.note else row.name
    return f"{name}, {label}: " + "; ".join(parts) + ". " + stock


def _status_line(status: FiguresStatus | None) -> str:
    """The downloaded text ends with which figures it holds (approved or today's)."""
    return f"({status.note})\n" if status is not None else ""


def federation_text(dashboard: FederationDashboard, status: FiguresStatus | None = None) -> str:
    """The federation's sentence (against its own target when it has one) then each unit's;
    the download (`status` given) ends with which figures they are."""
    total = dashboard.federation_total or dashboard.units_total
    rows = [replace(total, name=dashboard.federation.name), *dashboard.rows]
    lines = [progress_sentence(row, dashboard.period, dashboard.data_date) for row in rows]
    return "\n".join(lines) + "\n" + _status_line(status)


def district_text(dashboard: DistrictDashboard, status: FiguresStatus | None = None) -> str:
    sentence = progress_sentence(dashboard.row, dashboard.period, dashboard.data_date)
    return sentence + "\n" + _status_line(status)


# --- Workbooks -----------------------------------------------------------------------------

ROW_HEADERS = [
    ("Mã đơn vị", 12),
    ("Đơn vị", 40),
    ("Kết nạp đoàn viên mới", 14),
    ("Chỉ tiêu kết nạp", 12),
    ("Tỷ lệ kết nạp", 11),
    ("Thành lập CĐCS mới", 12),
    ("Chỉ tiêu thành lập CĐCS", 12),
    ("Tỷ lệ thành lập CĐCS", 11),
    ("CĐCS mới từ 25 lao động trở lên", 14),
    ("Chỉ tiêu CĐCS từ 25 lao động", 12),
    ("Tỷ lệ CĐCS từ 25 lao động", 11),
    ("Đoàn viên ra khỏi công đoàn", 12),
    ("Tăng/giảm ròng", 11),
    ("Tổng số đoàn viên cuối kỳ", 14),
    ("Tổng số CĐCS cuối kỳ", 12),
]


def _row_values(row: ProgressRow) -> list:
    name = f"{row.name} ({row.note})" if row.note else row.name
    values: list = [safe_cell(row.code), safe_cell(name)]
    for _, progress in row.indicators:
        values += [progress.achieved, progress.target or None, progress.ratio]
    figures = row.figures
    values += [
        figures.left_members,
        figures.net_members,
        figures.members_total,
        figures.grassroots_total,
    ]
    if row.last_year is not None:  # on today's tree: the same period last year
        last = row.last_year
        values += [last.new_members, last.new_grassroots, last.members_total]
    for _, progress in row.further_indicators:  # after every historical column
        values += [progress.achieved, progress.target or None, progress.ratio]
    return values


TITLE_ROWS = 4
LAST_YEAR_HEADERS = [
    ("Kết nạp đoàn viên cùng kỳ năm trước", 14),
    ("Thành lập CĐCS cùng kỳ năm trước", 14),
    ("Đoàn viên cuối kỳ cùng kỳ năm trước", 14),
]
CURRENT_TREE_NOTE = (
    "Số liệu theo cơ cấu hiện nay: mọi kỳ được tính cho đơn vị mà CĐCS trực thuộc hôm nay, để"
    " so sánh với cùng kỳ năm trước; số liệu chính thức của từng kỳ là số liệu theo cơ cấu tại"
    " thời điểm."
)


def _headers(period: Period) -> list[tuple[str, int]]:
    headers = ROW_HEADERS + LAST_YEAR_HEADERS if period.current_tree else list(ROW_HEADERS)
    for i in indicators():
        if i.code not in CORE_CODES:
            headers += [(i.name, 14), (i.target_label, 12), (f"Tỷ lệ {_lower(i.name)}", 11)]
    return headers


def _title_rows(
    sheet, title: str, unit_name: str, period: Period, data_date, status: FiguresStatus | None
) -> None:
    """Rows 1-4: what, which unit, which period, as of when; row 5: which figures (approved
    or today's, with the approved/corrected counts), so the header stays on row 6."""
    sheet.append([safe_cell(title)])
    sheet.append([safe_cell(f"Đơn vị: {unit_name}")])
    sheet.append([safe_cell(f"Kỳ báo cáo: {period.label}")])
    sheet.append([f"Số liệu đến ngày: {data_date:%d/%m/%Y}"])
    sheet.append([safe_cell(status.note)] if status is not None else [])
    sheet["A1"].font = Font(bold=True, size=13)
    if status is not None:
        sheet["A5"].font = Font(bold=True, italic=not status.approved)


def _header(sheet, headers: list[tuple[str, int]]) -> int:
    """Append the header row; return the number of the first data row."""
    sheet.append([name for name, _ in headers])
    row = sheet.max_row
    for index, (_, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"C{row + 1}"  # a coordinate: sheet.cell() would create a row
    print_setup(
        sheet,
        header_row=row,
        title_rows=TITLE_ROWS,
        headers=[name for name, _ in headers],
        widths=[width for _, width in headers],
    )
    return row + 1


def _formats(sheet, first_row: int, percent_columns: set[int]) -> None:
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if cell.column in percent_columns:
                cell.number_format = PERCENT_FORMAT
            elif isinstance(cell.value, int):
                cell.number_format = INTEGER_FORMAT


PERCENT_COLUMNS = {5, 8, 11}
RULES_NOTE = (
    "Kết nạp mới tính cho đơn vị mà CĐCS trực thuộc vào ngày kết nạp; chuyển sinh hoạt không"
    " tính là kết nạp. CĐCS mới tính cho đơn vị trực thuộc vào ngày thành lập. Tỷ lệ so với chỉ"
    " tiêu cả năm, không làm tròn xuống 100%."
)


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def federation_workbook(
    dashboard: FederationDashboard, status: FiguresStatus | None = None
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tiến độ"
    _title_rows(
        sheet,
        "TIẾN ĐỘ PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ",
        dashboard.federation.name,
        dashboard.period,
        dashboard.data_date,
        status,
    )
    first = _header(sheet, _headers(dashboard.period))
    for row in dashboard.rows:
        sheet.append(_row_values(row))
    sheet.append(_row_values(dashboard.units_total))
    if dashboard.federation_total:
        sheet.append(_row_values(dashboard.federation_total))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _formats(sheet, first, PERCENT_COLUMNS)
    sheet.append([])
    note = RULES_NOTE
    if dashboard.period.campaign:  # measured against the campaign's own targets
        note = note.replace("chỉ tiêu cả năm", "chỉ tiêu của đợt thi đua, trong thời gian của đợt")
    sheet.append([safe_cell(note)])
    if dashboard.period.current_tree:
        sheet.append([safe_cell(CURRENT_TREE_NOTE)])
    return _save(workbook)


QUARTER_HEADERS = [
    ("Quý", 8),
    ("Kết nạp đoàn viên trong quý", 14),
    ("Kết nạp lũy kế", 12),
    ("Tỷ lệ lũy kế / chỉ tiêu năm", 12),
    ("Thành lập CĐCS trong quý", 12),
    ("CĐCS lũy kế", 12),
    ("Tỷ lệ CĐCS lũy kế", 12),
    ("CĐCS từ 25 lao động trong quý", 12),
    ("CĐCS từ 25 lao động lũy kế", 12),
    ("Tỷ lệ CĐCS từ 25 lao động lũy kế", 12),
    ("Ra khỏi công đoàn trong quý", 12),
    ("Đoàn viên cuối quý", 12),
    ("CĐCS cuối quý", 12),
]
GRASSROOTS_HEADERS = [
    ("Mã CĐCS", 14),
    ("Tên CĐCS", 48),
    ("Số lao động", 10),
    ("Ngày thành lập", 12),
    ("Đoàn viên cuối kỳ", 12),
    ("Kết nạp trong kỳ", 12),
    ("Thành lập trong kỳ", 10),
    ("Từ 25 lao động trở lên", 10),
    ("Ghi chú", 30),
]


def district_workbook(dashboard: DistrictDashboard, status: FiguresStatus | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tiến độ"
    title = "TIẾN ĐỘ PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ"
    _title_rows(sheet, title, dashboard.unit.name, dashboard.period, dashboard.data_date, status)
    first = _header(sheet, _headers(dashboard.period))
    sheet.append(_row_values(dashboard.row))
    _formats(sheet, first, PERCENT_COLUMNS)
    if dashboard.period.current_tree:
        sheet.append([])
        sheet.append([safe_cell(CURRENT_TREE_NOTE)])

    quarters = workbook.create_sheet("Theo quý")
    _title_rows(
        quarters,
        f"TIẾN ĐỘ THEO QUÝ NĂM {dashboard.period.year}",
        dashboard.unit.name,
        dashboard.period,
        dashboard.data_date,
        status,
    )
    first = _header(quarters, QUARTER_HEADERS)
    for quarter in dashboard.quarters:
        if quarter.period is None:
            quarters.append([f"Quý {quarter.quarter}", *([None] * 12)])
            continue
        figures, cumulative = quarter.figures, quarter.cumulative
        quarters.append(
            [
                f"Quý {quarter.quarter}",
                figures.new_members,
                cumulative.new_members.achieved,
                cumulative.new_members.ratio,
                figures.new_grassroots,
                cumulative.new_grassroots.achieved,
                cumulative.new_grassroots.ratio,
                figures.new_grassroots_25plus,
                cumulative.new_grassroots_25plus.achieved,
                cumulative.new_grassroots_25plus.ratio,
                figures.left_members,
                figures.members_total,
                figures.grassroots_total,
            ]
        )
    _formats(quarters, first, {4, 7, 10})

    units = workbook.create_sheet("CĐCS")
    _title_rows(
        units,
        "CÔNG ĐOÀN CƠ SỞ TRỰC THUỘC",
        dashboard.unit.name,
        dashboard.period,
        dashboard.data_date,
        status,
    )
    first = _header(units, GRASSROOTS_HEADERS)
    for line in dashboard.grassroots:
        g = line.grassroots
        note = (
            f"Chuyển sang đơn vị khác từ {line.left_unit_on:%d/%m/%Y}" if line.left_unit_on else ""
        )
        if g.dissolved_on and g.dissolved_on <= dashboard.period.end:
            note = f"Giải thể ngày {g.dissolved_on:%d/%m/%Y}"
        units.append(
            [
                safe_cell(g.code),
                safe_cell(g.name),
                g.workers,
                g.founded_on,
                line.members_at_end,
                line.admitted,
                "Có" if line.founded_here else "",
                "Có" if g.has_25_plus else "",
                note,
            ]
        )
    for row in units.iter_rows(min_row=first, min_col=4, max_col=4):
        row[0].number_format = "DD/MM/YYYY"
    _formats(units, first, set())
    return _save(workbook)
