"""Benchmark of the .xlsx list export (README: Benchmarks: export).

    .venv/bin/python manage.py bench_export --rows 100000 --repeat 3

Writes the same N member rows (the export's columns, generated like the import benchmark's
file, with CCCD masked as federation staff get it) three ways, alternately, in this process:
openpyxl in write-only mode (what the exports used before: the baseline), the project's writer
(unionportal/workbook.py through spreadsheets.xlsx_write, formula escaping included) and the CSV
export (csv_lines) for scale. Prints the median wall time, rows per second and file size of
each and the ratio baseline / project. No database is needed.
"""

from __future__ import annotations

import io
import statistics
import time

from django.core.management.base import BaseCommand
from django.utils.formats import number_format

from benchmarks.import_data import member_rows
from members.exports import member_export_columns
from members.models import mask_cccd
from members.resources import MEMBER_COLUMNS
from unionportal.spreadsheets.export import (
    DATE_FORMAT_XLSX,
    TEXT_FORMAT_XLSX,
    Sheet,
    _xlsx_value,
    csv_lines,
    xlsx_write,
)


def _columns() -> tuple[list[str], list[str], list[str]]:
    """The member export's headers, text columns and date columns (members/exports.py)."""
    columns = member_export_columns()
    headers = [header for header, _ in columns]
    exported = MEMBER_COLUMNS.exported()
    text = MEMBER_COLUMNS.text_headers(exported)
    dates = MEMBER_COLUMNS.date_headers(exported)
    return headers, text, dates


HEADERS, TEXT, DATES = _columns()


def _rows(count: int) -> list[list]:
    """Rows in the export's column order, from the import benchmark's generated members."""
    lookups = [lookup for _, lookup in member_export_columns()]
    rows = []
    for name, gender, birth, cccd, phone, code, joined, card, job, left, reason in member_rows(
        count
    ):
        values = {
            "full_name": name,
            "gender": gender,
            "birth_date": birth,
            "cccd": mask_cccd(cccd),  # as federation staff get it
            "phone": phone,
            "grassroots__code": code,
            "grassroots__name": f"Công đoàn Công ty {code}",
            "grassroots__district_union__name": "LĐLĐ quận Thử",
            "joined_on": joined,
            "card_number": card,
            "occupation": job,
            "left_on": left,
            "leave_reason": reason,
        }
        rows.append([values[lookup] for lookup in lookups])
    return rows


def _openpyxl(stream, rows: list[list]) -> None:
    """The exports' former writer: openpyxl write-only, a cell object where a format is set."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title="Đoàn viên")
    formats = [
        TEXT_FORMAT_XLSX if h in TEXT else DATE_FORMAT_XLSX if h in DATES else None for h in HEADERS
    ]
    ws.append(HEADERS)
    for row in rows:
        cells = []
        for value, cell_format in zip(row, formats, strict=True):
            value = _xlsx_value(value)
            if cell_format is None or value is None:
                cells.append(value)
            else:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = cell_format
                cells.append(cell)
        ws.append(cells)
    workbook.save(stream)


def _project(stream, rows: list[list]) -> None:
    xlsx_write(stream, [Sheet("Đoàn viên", HEADERS, rows, text_columns=TEXT, date_columns=DATES)])


def _csv(stream, rows: list[list]) -> None:
    for chunk in csv_lines(HEADERS, rows):
        stream.write(chunk)


class Command(BaseCommand):
    help = "Đo tốc độ xuất danh sách đoàn viên ra .xlsx (so với openpyxl) và .csv."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, rows: int, repeat: int, **options):
        data = _rows(rows)
        ways = [("openpyxl write-only (trước)", _openpyxl), ("dự án (workbook.py)", _project)]
        ways.append(("CSV (tham khảo)", _csv))
        times: dict[str, list[float]] = {label: [] for label, _ in ways}
        sizes: dict[str, int] = {}
        for attempt in range(1, repeat + 1):
            line = []
            for label, write in ways:
                stream = io.BytesIO()
                started = time.perf_counter()
                write(stream, data)
                elapsed = time.perf_counter() - started
                times[label].append(elapsed)
                sizes[label] = stream.tell()
                line.append(f"{label} {elapsed:.2f} s")
            self.stdout.write(f"lần {attempt}: " + "; ".join(line))
        out = self.stdout.write
        out("")
        out(
            f"Xuất {number_format(rows, 0, force_grouping=True)} đoàn viên, trung vị của {repeat} lần:"
        )
        out(f"{'':32}{'thời gian (s)':>15}{'dòng/giây':>12}{'dung lượng (MB)':>18}")
        medians = {label: statistics.median(values) for label, values in times.items()}
        for label, _ in ways:
            wall = medians[label]
            out(
                f"{label:32}{number_format(wall, 2):>15}"
                f"{number_format(rows / wall, 0, force_grouping=True):>12}"
                f"{number_format(sizes[label] / 1024 / 1024, 1):>18}"
            )
        ratio = medians["openpyxl write-only (trước)"] / medians["dự án (workbook.py)"]
        out(f"Nhanh hơn openpyxl: {number_format(ratio, 1)} lần.")
