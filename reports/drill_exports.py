"""The .xlsx of a drill-down list: the same rows as the page (same unit, CĐCS and period), all
of them, through the register exports' writer (unionportal.spreadsheets).

Member lists are personal data: every download is recorded in the AccessLog with its filters,
its row count and whether the CCCD numbers were written in full, and they are written in full
only to those who see them in the member export (`members.exports.sees_full_cccd`).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from grassroots.models import GrassrootsUnion
from members.exports import sees_full_cccd
from members.models import AccessLog, LeaveReason, Placement, access_log_record, mask_cccd
from unionportal.spreadsheets.export import export_response

from .drilldown import DRILLS, DrillKind
from .periods import Period

REASONS = dict(LeaveReason.choices)
START_KINDS = dict(Placement.StartKind.choices)


def _member_rows(kind: DrillKind, rows: QuerySet, full: bool) -> tuple[list[str], Iterator]:
    left = kind is DrillKind.LEFT_MEMBERS
    headers = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Số CCCD",
        "Mã CĐCS",
        "CĐCS",
        "Đơn vị tính",
        "Ngày ra khỏi công đoàn" if left else "Ngày vào CĐCS",
        "Lý do" if left else "Hình thức",
    ]
    values = rows.values_list(
        "member__full_name",
        "member__birth_date",
        "member__cccd",
        "grassroots__code",
        "grassroots__name",
        "unit_name",
        "end_on" if left else "start_on",
        "member__leave_reason" if left else "start_kind",
    )

    def generate():
        for number, (name, born, cccd, code, grassroots, unit, day, how) in enumerate(
            values.iterator(chunk_size=2000), start=1
        ):
            how_text = REASONS.get(how, how or "") if left else START_KINDS.get(how, how)
            yield [
                number,
                name,
                born,
                cccd if full else mask_cccd(cccd),
                code,
                grassroots,
                unit,
                day,
                how_text,
            ]

    return headers, generate()


def _grassroots_rows(rows: QuerySet) -> tuple[list[str], Iterator]:
    sectors = dict(GrassrootsUnion.Sector.choices)
    headers = [
        "STT",
        "Mã",
        "Tên CĐCS",
        "Đơn vị tính",
        "Khu vực",
        "Số lao động",
        "Ngày thành lập",
    ]
    values = rows.values_list("code", "name", "unit_name", "sector", "workers", "founded_on")

    def generate():
        for number, (code, name, unit, sector, workers, founded) in enumerate(
            values.iterator(chunk_size=2000), start=1
        ):
            yield [number, code, name, unit, sectors.get(sector, sector), workers, founded]

    return headers, generate()


def drill_export(request, kind: DrillKind, rows: QuerySet, period: Period, where: str, count: int):
    """The whole list as .xlsx, recorded in the AccessLog (a member list with its CCCD mode)."""
    spec = DRILLS[kind]
    full = spec.is_member_list and sees_full_cccd(request.user)
    filters = dict(request.GET.items())
    filters.pop("export", None)
    filters.pop("back", None)
    if spec.is_member_list:
        filters["cccd"] = "full" if full else "masked"
        headers, data = _member_rows(kind, rows, full)
        text_columns, date_columns = ["Số CCCD", "Mã CĐCS"], ["Ngày sinh", headers[7]]
        widths: dict[str, float] = {"Họ và tên": 28, "Số CCCD": 16, "CĐCS": 40, "Đơn vị tính": 30}
    else:
        headers, data = _grassroots_rows(rows)
        text_columns, date_columns = ["Mã"], ["Ngày thành lập"]
        widths = {"Tên CĐCS": 44.0, "Đơn vị tính": 30.0, "Khu vực": 18.0}
    access_log_record(
        request,
        AccessLog.Action.EXPORT,
        what=f"{spec.title} – {where} – {period.label} (.xlsx)",
        filters={**filters, "format": "xlsx"},
        row_count=count,
    )
    now = timezone.localtime()
    info = [
        ("Danh sách", spec.title),
        ("Đơn vị", where),
        ("Kỳ", period.label),
        ("Xuất lúc", now.strftime("%d/%m/%Y %H:%M")),
        ("Người xuất", request.user.get_full_name() or request.user.get_username()),
        ("Số dòng", count),
    ]
    if spec.is_member_list:
        info.append(
            (
                "Số CCCD",
                "đầy đủ" if full else "đã che bớt (chỉ cán bộ đơn vị và quản trị xem đầy đủ)",
            )
        )
    return export_response(
        fmt="xlsx",
        filename=f"danh-sach-{kind.value}-{period.year}-{period.kind}-{now:%Y-%m-%d}",
        title=spec.title[:31],
        headers=headers,
        rows=data,
        text_columns=text_columns,
        date_columns=date_columns,
        widths=widths,
        info=info,
    )
