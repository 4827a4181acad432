"""Print the federation dashboard (or one unit's row) as officers' text lines or as CSV.

    python manage.py progress_report --year 2024 [--as-of DD/MM/YYYY] [--unit CODE]
        [--federation CODE] [--format text|csv]

Without --as-of: the whole year; with it: year to date up to and including that day.
Without --unit and --federation: every federation, each followed by its own row.
"""

from __future__ import annotations

import csv
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.indicators import CORE_CODES, indicators
from grassroots.models import DistrictUnion, Federation
from reports.exports import progress_line
from reports.periods import PeriodError, period_parse
from reports.progress import Progress
from reports.selectors import ProgressRow, Targets, federation_dashboard
from unionportal.spreadsheets.export import safe_cell

CSV_COLUMNS = [
    "unit_code",
    "unit_name",
    "new_members",
    "target_new_members",
    "pct_new_members",
    "new_grassroots",
    "target_new_grassroots",
    "pct_new_grassroots",
    "new_grassroots_25plus",
    "target_new_grassroots_25plus",
    "pct_new_grassroots_25plus",
    "members_total",
    "grassroots_total",
]


def csv_columns() -> list[str]:
    """CSV_COLUMNS (scripts read them: never moved), then three per further indicator."""
    further = [i.code for i in indicators() if i.code not in CORE_CODES]
    return CSV_COLUMNS + [c for code in further for c in (code, f"target_{code}", f"pct_{code}")]


def csv_values(row: ProgressRow) -> list[str]:
    """Plain numbers, `.` as decimal point, percentages to 2 decimals, empty without target."""
    values = [safe_cell(row.code), safe_cell(row.name)]
    for _, progress in row.indicators:
        values += _progress_values(progress)
    values += [str(row.figures.members_total), str(row.figures.grassroots_total)]
    for _, progress in row.further_indicators:
        values += _progress_values(progress)
    return values


def _progress_values(progress: Progress) -> list[str]:
    pct = progress.percent
    return [
        str(progress.achieved),
        str(progress.target) if progress.has_target else "",
        f"{pct:.2f}" if pct is not None else "",
    ]


class Command(BaseCommand):
    help = "In bảng tiến độ của LĐLĐ (hoặc một đơn vị) dạng câu báo cáo hoặc CSV."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Năm, ví dụ 2024.")
        parser.add_argument("--as-of", default="", help="Lũy kế đến hết ngày DD/MM/YYYY.")
        parser.add_argument("--unit", default="", help="Mã đơn vị (chỉ in dòng của đơn vị).")
        parser.add_argument("--federation", default="", help="Mã LĐLĐ (mặc định: tất cả).")
        parser.add_argument("--format", choices=["text", "csv"], default="text")

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            period = period_parse({"year": options["year"], "as_of": options["as_of"]}, today)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        unit = None
        if options["unit"]:
            unit = (
                DistrictUnion.objects.select_related("federation")
                .filter(code=options["unit"].strip())
                .first()
            )
            if unit is None:
                raise CommandError(f"Không có đơn vị nào mã «{options['unit']}».")
            federations = [unit.federation]
        elif options["federation"]:
            federations = list(Federation.objects.filter(code=options["federation"].strip()))
            if not federations:
                raise CommandError(f"Không có LĐLĐ nào mã «{options['federation']}».")
        else:
            federations = list(Federation.objects.order_by("code"))

        rows: list[ProgressRow] = []
        for federation in federations:
            dashboard = federation_dashboard(federation, period, today)
            if unit is not None:
                rows += [row for row in dashboard.rows if row.unit_id == unit.pk]
                continue
            rows += dashboard.rows
            # The federation's row: sum of its units against the federation's own targets.
            own = dashboard.federation_total.targets if dashboard.federation_total else Targets()
            rows.append(
                replace(
                    dashboard.units_total, code=federation.code, name=federation.name, targets=own
                )
            )

        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(csv_columns())
            for row in rows:
                writer.writerow(csv_values(row))
        else:
            for row in rows:
                self.stdout.write(progress_line(row))
