"""Restructuring plans (phương án sắp xếp) in the browser, as ImportJobs of kind "plan".

A plan reaches the portal as a file: uploaded (.xlsx/.csv, the columns of `manage.py
restructure`, imports.plan) or built on a page / proposed from addresses and written as the same
CSV (`plan_csv_bytes`). From there it is an ImportJob like any import: "check" reads the file,
checks the plan as a whole (`grassroots.restructuring.plan_check`) and stores every problem
(errors) and the preview (samples); "commit" applies it in one transaction
(`plan_apply`) and marks the job done inside that transaction. Small plans run in the request,
large ones in the task worker with the progress file (imports.tasks.job_start).
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from grassroots.models import AnnualTarget, DistrictUnion, GrassrootsUnion
from grassroots.restructuring import Checked, PlanRefused, plan_apply
from members.models import Member
from unionportal.spreadsheets.export import Sheet, xlsx_bytes

from .models import CHECK, ImportJob
from .models import job_failed as _failed
from .plan import COLUMNS, plan_file_check, plan_read

logger = logging.getLogger("unionportal.imports")

TEMPLATE_NAME = "mau-phuong-an-sap-xep.xlsx"
CHUNK = 2000
PLAN_RULES = [
    "Mỗi dòng chuyển một CĐCS sang đơn vị cấp trên mới từ Ngày hiệu lực.",
    "Mã đơn vị cấp trên mới là mã công đoàn cấp trên (ví dụ công đoàn phường/xã), hoặc mã "
    "LĐLĐ tỉnh/thành phố nếu CĐCS trực thuộc LĐLĐ.",
    "Tất cả hoặc không gì cả: nếu có dù chỉ một lỗi thì không dòng nào được ghi; trang xem "
    "trước liệt kê mọi lỗi (dòng, cột, lý do).",
    "Áp dụng lại cùng một phương án không thay đổi gì; phương án đã áp dụng có thể hoàn tác.",
]


def template_bytes() -> bytes:
    """The blank plan template: headers, one example row, a sheet explaining each column."""
    headers = [c.header for c in COLUMNS]
    data = Sheet(
        title="Phương án",
        headers=headers,
        rows=[[c.example for c in COLUMNS]],
        text_columns=[c.header for c in COLUMNS if c.text_format],
        date_columns=[c.header for c in COLUMNS if c.date_format],
        widths={c.header: c.width for c in COLUMNS},
    )
    guide_rows = [
        [c.header, "Bắt buộc" if c.required else "Không bắt buộc", c.help, str(c.example)]
        for c in COLUMNS
    ]
    guide_rows.append(["", "", "", ""])
    guide_rows.extend(["Lưu ý chung", "", rule, ""] for rule in PLAN_RULES)
    guide = Sheet(
        title="Hướng dẫn",
        headers=["Cột", "Bắt buộc", "Giải thích", "Ví dụ"],
        rows=guide_rows,
        widths={"Cột": 26, "Bắt buộc": 14, "Giải thích": 90, "Ví dụ": 20},
    )
    return xlsx_bytes([data, guide])


def plan_rows_bytes(
    rows: list[tuple[str, str, date]],
    decision_number: str = "",
    decision_date: date | None = None,
    *,
    ends: str = "",
    fmt: str = "csv",
) -> bytes:
    """A plan file of (CĐCS code, new parent code, effective date) rows, as `restructure` reads
    it: the build page and the address proposal write one, so every plan is checked the same way.
    `ends`: the code of a unit that ends the day before (written on every row)."""
    headers = [c.header for c in COLUMNS]
    signed = f"{decision_date:%d/%m/%Y}" if decision_date else ""
    values = [[g, t, f"{on:%d/%m/%Y}", decision_number, signed, ends] for g, t, on in rows]
    if fmt == "xlsx":
        sheet = Sheet(
            title="Phương án",
            headers=headers,
            rows=values,
            text_columns=[c.header for c in COLUMNS if c.text_format],
            widths={c.header: c.width for c in COLUMNS},
        )
        return xlsx_bytes([sheet])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(values)
    return out.getvalue().encode("utf-8")


# --- the preview --------------------------------------------------------------------------------


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def plan_preview(checked: Checked, year: int, upto: date) -> dict:
    """Per unit, before and after the plan: CĐCS and members (today's registers), this year's
    targets, and this year's admissions and new CĐCS of the CĐCS that move (1 January to the
    day before the move: they stay with the old unit in the "as it was" figures and follow the
    CĐCS in the "on today's tree" view). A constant number of grouped queries per 2.000 CĐCS."""
    moved = sorted({gid for gid, _, _ in checked.moves})
    start = date(year, 1, 1)
    per_g: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(moved):
        for gid, active, admitted in (
            Member.objects.filter(grassroots_id__in=chunk)
            .values("grassroots_id")
            .annotate(
                active=Count("pk", filter=Q(left_on__isnull=True)),
                admitted=Count("pk", filter=Q(joined_on__gte=start, joined_on__lt=upto)),
            )
            .values_list("grassroots_id", "active", "admitted")
            .order_by()
        ):
            per_g[gid] = (active, admitted)
    founded: set[int] = set()
    for chunk in _chunks(moved):
        founded.update(
            GrassrootsUnion.objects.filter(
                pk__in=chunk, founded_on__gte=start, founded_on__lt=upto
            ).values_list("pk", flat=True)
        )
    unit_ids = [p.unit_id for p in checked.preview.values() if p.unit_id]
    members_now = dict(
        Member.objects.filter(left_on__isnull=True, grassroots__district_union_id__in=unit_ids)
        .values("grassroots__district_union_id")
        .annotate(n=Count("pk"))
        .values_list("grassroots__district_union_id", "n")
        .order_by()
    )
    targets = {
        t.district_union_id: t
        for t in AnnualTarget.objects.filter(
            district_union_id__in=unit_ids, year=year
        ).prefetch_related("values")
    }
    rows = []
    totals: dict[str, int] = defaultdict(int)
    for key in sorted(checked.preview, key=lambda k: (checked.preview[k].is_new, k)):
        unit = checked.preview[key]

        def total(gids, index):
            return sum(per_g.get(g, (0, 0))[index] for g in gids)

        m_in, m_out = total(unit.moving_in, 0), total(unit.moving_out, 0)
        before = members_now.get(unit.unit_id, 0) if unit.unit_id else 0
        target = targets.get(unit.unit_id)
        row = {
            "code": "" if unit.code.startswith("#direct:") else unit.code,
            "name": unit.name,
            "federation": unit.federation_code,
            "is_new": unit.is_new,
            "ends_on": unit.ends_on.isoformat() if unit.ends_on else "",
            "g_before": unit.before,
            "g_in": len(unit.moving_in),
            "g_out": len(unit.moving_out),
            "g_after": unit.after,
            "m_before": before,
            "m_in": m_in,
            "m_out": m_out,
            "m_after": before + m_in - m_out,
            "adm_in": total(unit.moving_in, 1),
            "adm_out": total(unit.moving_out, 1),
            "founded_in": sum(1 for g in unit.moving_in if g in founded),
            "founded_out": sum(1 for g in unit.moving_out if g in founded),
            "target_members": target.value("new_members") if target else None,
            "target_grassroots": target.value("new_grassroots") if target else None,
        }
        for name in ("g_in", "m_in", "adm_in", "founded_in"):
            totals[name] += row[name]
        rows.append(row)
    return {"year": year, "units": rows, "totals": dict(totals)}


# --- running a plan job ---------------------------------------------------------------------------


def _problems_list(problems) -> list[list]:
    ordered = sorted(problems, key=lambda p: (p.row is not None, p.row or 0, p.column))
    return [[p.row, p.column, p.message] for p in ordered]


def plan_job_run(job: ImportJob, phase: str) -> ImportJob:
    """Check ("check") or apply ("commit") the plan file of `job`; record it on the job.

    Every problem at once: the cells' own (a bad date) and the plan's as a whole (unknown codes,
    dates before a CĐCS's last change, units ended with CĐCS still in them...) for the rows
    that could be read."""
    if not job.file:
        return _failed(job, "File phương án không còn. Không có gì được ghi: hãy lập lại.")
    job.status = ImportJob.Status.CHECKING if phase == CHECK else ImportJob.Status.RUNNING
    job.phase = phase
    job.started_at = timezone.now()
    job.finished_at = None
    job.message = ""
    job.attempts += 1
    job.save(update_fields=["status", "phase", "started_at", "finished_at", "message", "attempts"])
    job.progress_write(phase, 0, 0.0)
    try:
        read = plan_read(
            job.file.path, source_name=job.original_name, max_bytes=settings.UPLOAD_MAX_BYTES
        )
        job.progress_write(phase, read.rows, 0.2)
        job.rows = read.rows
        job.notices = list(read.notices)
        if phase == CHECK or read.problems:
            problems, checked = plan_file_check(read, job.user)
            if checked is not None:
                job.notices += checked.warnings
            job.progress_write(phase, read.rows, 0.6)
            status = ImportJob.Status.INVALID if problems or checked is None else None
            return _record(job, status or ImportJob.Status.CHECKED, problems, checked, read)
        # Apply: plan_apply checks again under lock, then writes; the job says "done" inside
        # the same transaction, so it is done exactly when the tree is changed.
        try:
            with transaction.atomic():
                record = plan_apply(read.plan, job.user)
                job.progress_write(phase, read.rows, 0.95)
                job.samples = {**job.samples, "restructuring": record.pk if record else None}
                job.new = record.grassroots_count if record else 0
                job.message = (
                    f"Đã áp dụng phương án: chuyển {record.grassroots_count} CĐCS."
                    if record
                    else "Không có gì thay đổi: mọi CĐCS đã thuộc đơn vị mới từ ngày hiệu lực."
                )
                return _record(job, ImportJob.Status.DONE, [], None, read)
        except PlanRefused as refused:  # the tree changed since the check; nothing written
            job.notices += refused.checked.warnings
            job.message = ""
            problems = refused.checked.problems
            return _record(job, ImportJob.Status.INVALID, problems, refused.checked, read)
    except DatabaseError:
        logger.exception("plan job %s failed", job.pk)
        return _failed(
            job,
            "Gặp sự cố khi ghi cơ sở dữ liệu. Không có gì được ghi: hãy thử chạy lại sau ít phút.",
        )
    except Exception:
        logger.exception("plan job %s failed unexpectedly", job.pk)
        return _failed(
            job,
            "Gặp sự cố ngoài dự kiến. Không có gì được ghi: hãy bấm Chạy lại; nếu vẫn lỗi, hãy "
            "báo quản trị hệ thống.",
        )


def _record(job, status, problems, checked, read) -> ImportJob:
    job.status = status
    job.errors = _problems_list(problems)[:1000]
    job.error_count = len(problems)
    job.invalid = len({p.row for p in problems if p.row is not None})
    if checked is not None:
        job.new = checked.grassroots_count
        job.unchanged = checked.unchanged
        effective = read.plan.effective_on or timezone.localdate()
        job.samples = {
            "preview": plan_preview(checked, effective.year, effective),
            "effective_on": effective.isoformat(),
            "decision_number": read.plan.decision_number,
            "decision_date": (
                read.plan.decision_date.isoformat() if read.plan.decision_date else ""
            ),
        }
    job.finished_at = timezone.now()
    job.save()
    job.progress_clear()
    return job


def plan_units_for(user):
    """Units a plan of `user` may name: not ended, not a federation's direct row."""
    return (
        DistrictUnion.objects.for_user(user)
        .filter(ended_on__isnull=True)
        .exclude(kind=DistrictUnion.Kind.DIRECT)
        .select_related("federation")
        .order_by("federation__name", "name")
    )
