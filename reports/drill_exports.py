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

from activities.models import PartyEvent
from grassroots.access import scope_for
from grassroots.models import GrassrootsUnion
from members.exports import sees_full_cccd
from members.models import AccessLog, LeaveReason, Placement, access_log_record, mask_cccd
from unionportal.spreadsheets.export import export_response

from .drilldown import DRILLS, DrillKind
from .periods import Period

REASONS = dict(LeaveReason.choices)
START_KINDS = dict(Placement.StartKind.choices)


def _member_rows(
    kind: DrillKind, rows: QuerySet, full: bool, own_unit: int | None = None
) -> tuple[list[str], Iterator]:
    """`own_unit`: an officer's unit; their CCCDs are full only for the members under it today
    (a past period names the people of a CĐCS that has since moved, issue 14 finding 17: their
    full number now belongs to the other unit's officers, as their page does)."""
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
        "member__grassroots__district_union_id",
    )

    def generate():
        for number, (name, born, cccd, code, grassroots, unit, day, how, today) in enumerate(
            values.iterator(chunk_size=2000), start=1
        ):
            how_text = REASONS.get(how, how or "") if left else START_KINDS.get(how, how)
            shown = full and (own_unit is None or today == own_unit)
            yield [
                number,
                name,
                born,
                cccd if shown else mask_cccd(cccd),
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


def _record_rows(kind: DrillKind, rows: QuerySet) -> tuple[list[str], Iterator]:
    """The records behind a further indicator: people trained, Party events, agreements."""
    spec = DRILLS[kind]
    if spec.records == "agreements":
        headers = [
            "STT",
            "Mã CĐCS",
            "CĐCS",
            "Đơn vị tính",
            "Ngày ký",
            "Hiệu lực đến",
            "Xếp loại",
            "Số người lao động được hưởng",
        ]
        values = rows.values_list(
            "grassroots__code",
            "grassroots__name",
            "unit_name",
            "signed_on",
            "valid_until",
            "grade",
            "workers_covered",
        )

        def agreements():
            for number, (code, name, unit, signed, until, grade, workers) in enumerate(
                values.iterator(chunk_size=2000), start=1
            ):
                yield [number, code, name, unit, signed, until, f"Loại {grade}", workers]

        return headers, agreements()
    training = spec.records == "training"
    headers = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Mã CĐCS",
        "CĐCS",
        "Đơn vị tính",
        "Ngày tập huấn" if training else "Ngày",
        "Lớp tập huấn" if training else "Sự kiện",
    ]
    values = rows.values_list(
        "member__full_name",
        "member__birth_date",
        "grassroots__code",
        "grassroots__name",
        "unit_name",
        "day",
        "course__topic" if training else "kind",
    )
    kinds = dict(PartyEvent.Kind.choices)

    def people():
        for number, (name, born, code, grassroots, unit, day, what) in enumerate(
            values.iterator(chunk_size=2000), start=1
        ):
            yield [number, name, born, code, grassroots, unit, day, kinds.get(what, what)]

    return headers, people()


def drill_export(request, kind: DrillKind, rows: QuerySet, period: Period, where: str, count: int):
    """The whole list as .xlsx, recorded in the AccessLog (a member list with its CCCD mode)."""
    spec = DRILLS[kind]
    full = spec.is_member_list and sees_full_cccd(request.user)
    filters = dict(request.GET.items())
    filters.pop("export", None)
    filters.pop("back", None)
    if spec.records:
        headers, data = _record_rows(kind, rows)
        text_columns = ["Mã CĐCS"]
        date_columns = [h for h in headers if h.startswith("Ngày") or h == "Hiệu lực đến"]
        widths: dict[str, float] = {
            "Họ và tên": 28,
            "CĐCS": 40,
            "Đơn vị tính": 30,
            "Lớp tập huấn": 44,
        }
    elif spec.is_member_list:
        filters["cccd"] = "full" if full else "masked"
        scope = scope_for(request.user)
        own_unit = scope.district_union_id if scope.is_district else None
        headers, data = _member_rows(kind, rows, full, own_unit)
        text_columns, date_columns = ["Số CCCD", "Mã CĐCS"], ["Ngày sinh", headers[7]]
        widths = {"Họ và tên": 28, "Số CCCD": 16, "CĐCS": 40, "Đơn vị tính": 30}
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
                (
                    "đầy đủ"
                    if full and own_unit is None
                    else "đầy đủ với đoàn viên nay thuộc đơn vị; che bớt với đoàn viên nay ở "
                    "đơn vị khác"
                    if full
                    else "đã che bớt (chỉ cán bộ đơn vị và quản trị xem đầy đủ)"
                ),
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
