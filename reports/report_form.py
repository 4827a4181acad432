"""The official report (báo cáo) of a unit or a federation for a period, as a Vietnamese
administrative document (Nghị định 30/2020/NĐ-CP): PDF for printing on A4, .docx for editing.

Both are made from one `ReportDocument`, built from the same selectors as the dashboards, so the
report and the page can never disagree. The report says which figures it shows: today's figures
at the data date ("số liệu hiện tại, chưa duyệt"); there is no approval of periods yet.

Layout of the document:
- heading: left, the parent organisation and the unit in capitals, "Số:      /BC-<code>";
  right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" and
  "<place>, ngày dd tháng mm năm yyyy";
- title "BÁO CÁO" and "Kết quả phát triển đoàn viên, thành lập công đoàn cơ sở <period>";
- a numbered table of the indicators: achieved, target, %, same period last year, change;
- for a federation, one row per unit with the totals;
- the signature block ("TM. BAN THƯỜNG VỤ / CHỦ TỊCH") and "Nơi nhận".
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string

from grassroots.models import DistrictUnion, Federation

from .approved import FiguresStatus, national_note
from .periods import Period
from .progress import DASH, format_int, format_pct, percent
from .selectors import (
    FederationDashboard,
    ProgressRow,
    UnitFigures,
    federation_dashboard,
    figures_by_unit,
)

NATIONAL_NAME = "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
INDICATORS = (
    ("new_members", "Kết nạp đoàn viên mới", "người"),
    ("new_grassroots", "Thành lập công đoàn cơ sở mới", "CĐCS"),
    ("new_grassroots_25plus", "Trong đó: CĐCS có từ 25 lao động trở lên", "CĐCS"),
)
_PLACE_PREFIX = re.compile(
    r"^(?:LĐLĐ|Liên đoàn Lao động)\s+(?:thành phố|tỉnh|TP\.?)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class IndicatorLine:
    number: str  # STT: "1", "2", "2.1"
    label: str
    unit: str
    achieved: str
    target: str
    percent: str
    last_year: str
    change: str  # "tăng 12%", "giảm 3%", "bằng", "–"


@dataclass(frozen=True)
class UnitLine:
    number: str
    name: str
    note: str
    cells: list[str]  # per indicator: achieved, target, %


@dataclass(frozen=True)
class ReportDocument:
    parent_name: str
    unit_name: str
    number_line: str
    place_date: str
    title: str
    subtitle: str
    figures_note: str
    indicators: list[IndicatorLine]
    stock_line: str
    units: list[UnitLine] = field(default_factory=list)
    units_total: UnitLine | None = None
    recipients: list[str] = field(default_factory=list)
    filename_stem: str = "bao-cao"
    target_header: str = "Chỉ tiêu năm"  # a campaign's report: "Chỉ tiêu của đợt"


def place_of(federation: Federation) -> str:
    """ "LĐLĐ thành phố Hà Nội" -> "Hà Nội" (the place written before the date)."""
    place = _PLACE_PREFIX.sub("", federation.name).strip()
    return place or federation.name


def dated_line(place: str, day: date) -> str:
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day.year}"


def last_year_period(period: Period) -> Period:
    """The same period one year earlier ("cùng kỳ năm trước"); 29/02 becomes 28/02."""
    as_of = None
    if period.as_of:
        day = period.as_of
        as_of = date(day.year - 1, day.month, min(day.day, 28 if day.month == 2 else day.day))
    campaign = period.campaign.a_year_earlier() if period.campaign else None
    return Period(period.year - 1, period.kind, as_of, campaign=campaign)


def change_text(now: int, before: int) -> str:
    """As officers write it: "tăng 12,5%", "giảm 3%", "bằng cùng kỳ"; "–" with nothing before."""
    if not before:
        return DASH
    if now == before:
        return "bằng cùng kỳ"
    pct = percent(abs(now - before), before)
    return f"{'tăng' if now > before else 'giảm'} {format_pct(pct)}"


def _indicator_lines(row: ProgressRow, last: UnitFigures) -> list[IndicatorLine]:
    lines = []
    for index, (name, label, unit) in enumerate(INDICATORS):
        progress = getattr(row, name)
        achieved_before = getattr(last, name)
        lines.append(
            IndicatorLine(
                number="2.1" if name == "new_grassroots_25plus" else str(index + 1),
                label=label,
                unit=unit,
                achieved=format_int(progress.achieved),
                target=progress.target_text,
                percent=progress.percent_text,
                last_year=format_int(achieved_before),
                change=change_text(progress.achieved, achieved_before),
            )
        )
    # The declared indicators after the first three (records or reported as a number), numbered
    # on after them, with no code of their own.
    for number, (indicator, progress) in enumerate(row.further_indicators, start=3):
        achieved_before = last.of(indicator.code)
        lines.append(
            IndicatorLine(
                number=str(number),
                label=indicator.name,
                unit=indicator.unit_of_count,
                achieved=format_int(progress.achieved),
                target=progress.target_text,
                percent=progress.percent_text,
                last_year=format_int(achieved_before),
                change=change_text(progress.achieved, achieved_before),
            )
        )
    return lines


def _unit_cells(row: ProgressRow) -> list[str]:
    cells = []
    for name, _, _ in INDICATORS:
        progress = getattr(row, name)
        cells += [format_int(progress.achieved), progress.target_text, progress.percent_text]
    return cells


def _figures_note(period: Period, data_date: date, status: FiguresStatus | None = None) -> str:
    end = min(period.end, data_date)
    which = status.note.rstrip(".") if status is not None else "Số liệu hiện tại (chưa duyệt)"
    return (
        f"{which}; tính đến ngày {end:%d/%m/%Y}, theo cơ cấu tổ chức tại "
        "thời điểm phát sinh; cùng kỳ năm trước tính trên cùng khoảng thời gian của năm "
        f"{period.year - 1}."
    )


def _stock_line(figures: UnitFigures, period: Period, data_date: date) -> str:
    end = min(period.end, data_date)
    return (
        f"Đến ngày {end:%d/%m/%Y}: {format_int(figures.members_total)} đoàn viên trong "
        f"{format_int(figures.grassroots_total)} CĐCS."
    )


def federation_report(
    dashboard: FederationDashboard, today: date, status: FiguresStatus | None = None
) -> ReportDocument:
    federation, period = dashboard.federation, dashboard.period
    last = federation_dashboard(federation, last_year_period(period), today)
    head = dashboard.federation_total or dashboard.units_total
    units = [
        UnitLine(str(i), row.name, row.note, _unit_cells(row))
        for i, row in enumerate(dashboard.rows, 1)
    ]
    return ReportDocument(
        parent_name=NATIONAL_NAME,
        unit_name=federation.name.upper(),
        number_line=f"Số:        /BC-{federation.code}",
        target_header="Chỉ tiêu của đợt" if dashboard.period.campaign else "Chỉ tiêu năm",
        place_date=dated_line(place_of(federation), today),
        title="BÁO CÁO",
        subtitle=f"Kết quả phát triển đoàn viên, thành lập công đoàn cơ sở {_period_phrase(period)}",
        figures_note=" ".join(
            filter(
                None,
                [
                    _figures_note(period, dashboard.data_date, status),
                    national_note(federation, period),
                ],
            )
        ),
        indicators=_indicator_lines(head, last.units_total.figures),
        stock_line=_stock_line(dashboard.units_total.figures, period, dashboard.data_date),
        units=units,
        units_total=UnitLine("", "Cộng các đơn vị", "", _unit_cells(dashboard.units_total)),
        recipients=[
            "Tổng Liên đoàn Lao động Việt Nam (để báo cáo);",
            "Các đơn vị trực thuộc;",
            "Lưu: VT.",
        ],
        filename_stem=f"bao-cao-{_ascii(federation.code)}-{period.year}-{period.kind}",
    )


def district_report(
    row: ProgressRow,
    unit: DistrictUnion,
    period: Period,
    data_date: date,
    today: date,
    status: FiguresStatus | None = None,
) -> ReportDocument:
    """The report of one unit (`row`: its dashboard row for the period)."""
    before = last_year_period(period)
    last = figures_by_unit([unit.pk], before.start, before.end).get(unit.pk, UnitFigures())
    federation = unit.federation
    return ReportDocument(
        parent_name=federation.name.upper(),
        unit_name=unit.name.upper(),
        number_line=f"Số:        /BC-{unit.code}",
        target_header="Chỉ tiêu của đợt" if period.campaign else "Chỉ tiêu năm",
        place_date=dated_line(place_of(federation), today),
        title="BÁO CÁO",
        subtitle=f"Kết quả phát triển đoàn viên, thành lập công đoàn cơ sở {_period_phrase(period)}",
        figures_note=_figures_note(period, data_date, status),
        indicators=_indicator_lines(row, last),
        stock_line=_stock_line(row.figures, period, data_date),
        recipients=[f"{federation.name} (để báo cáo);", "Lưu: VP."],
        filename_stem=f"bao-cao-{_ascii(unit.code)}-{period.year}-{period.kind}",
    )


def _period_phrase(period: Period) -> str:
    label = period.label
    return label[0].lower() + label[1:] if label.startswith(("Năm", "Quý", "Tháng")) else label


def _ascii(code: str) -> str:
    return "".join(ch for ch in code if ch.isascii() and (ch.isalnum() or ch in "-_")) or "don-vi"


# --- outputs ----------------------------------------------------------------------------------


def report_pdf(document: ReportDocument) -> bytes:
    """A4 PDF through WeasyPrint (needs Debian's pango; fonts: Liberation Serif or DejaVu Serif)."""
    from weasyprint import HTML  # heavy import (pango): only when a PDF is asked for

    html = render_to_string("reports/report_form.html", {"doc": document})
    return HTML(string=html).write_pdf()


def report_docx(document: ReportDocument) -> bytes:
    """An editable .docx of the same document (officers add paragraphs before sending it)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)

    heading = doc.add_table(rows=1, cols=2)
    left, right = heading.rows[0].cells
    _lines(
        left,
        [(document.parent_name, False), (document.unit_name, True), (document.number_line, False)],
    )
    _lines(
        right,
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
            ("Độc lập - Tự do - Hạnh phúc", True),
            (document.place_date, False),
        ],
    )
    for paragraph in right.paragraphs[-1:]:
        for run in paragraph.runs:
            run.italic = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(document.title)
    run.bold = True
    subtitle = doc.add_paragraph(document.subtitle)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.runs[0].bold = True
    doc.add_paragraph(document.figures_note).runs[0].italic = True

    headers = [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Thực hiện",
        document.target_header,
        "Tỷ lệ",
        "Cùng kỳ năm trước",
        "So với cùng kỳ",
    ]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for line in document.indicators:
        values = [
            line.number,
            line.label,
            line.unit,
            line.achieved,
            line.target,
            line.percent,
            line.last_year,
            line.change,
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    doc.add_paragraph(document.stock_line)

    if document.units:
        doc.add_paragraph("Kết quả theo đơn vị:").runs[0].bold = True
        unit_headers = ["STT", "Đơn vị"] + [
            f"{short} ({part})"
            for short in ("Đoàn viên mới", "CĐCS mới", "CĐCS ≥ 25 LĐ")
            for part in ("TH", "CT", "%")
        ]
        units = doc.add_table(rows=1, cols=len(unit_headers))
        units.style = "Table Grid"
        for cell, text in zip(units.rows[0].cells, unit_headers, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for unit in [*document.units, *([document.units_total] if document.units_total else [])]:
            name = f"{unit.name} ({unit.note})" if unit.note else unit.name
            for cell, text in zip(
                units.add_row().cells, [unit.number, name, *unit.cells], strict=True
            ):
                cell.text = text

    footer = doc.add_table(rows=1, cols=2)
    received, signature = footer.rows[0].cells
    _lines(received, [("Nơi nhận:", True)] + [(f"- {r}", False) for r in document.recipients])
    _lines(
        signature,
        [("TM. BAN THƯỜNG VỤ", True), ("CHỦ TỊCH", True), ("", False), ("", False), ("", False)],
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _lines(cell, lines: list[tuple[str, bool]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.text = ""
    first = True
    for text, bold in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold
