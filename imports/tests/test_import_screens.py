"""Issue 13, the import page: "Tải lên file đã sửa" comes back to the same kind, and the
writing phase says "Đang ghi…" from the moment it is confirmed (not "waiting for the worker")."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from imports.models import ImportJob

from .importfiles import member_row
from .test_import_pages import members_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_upload_the_fixed_file_keeps_the_kind(login, users, org, tmp_path):
    client = login(users.admin)
    rows = [member_row(cccd="01090000202", code=org.grassroots_a.code)]  # 11 digits
    upload(client, members_file(tmp_path, org, rows))
    job = ImportJob.objects.get()
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    link = re.search(r'href="([^"]+)" id="btn-upload-fixed"', html)
    assert link, "no link to upload the fixed file"
    start = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    checked = re.findall(r'<input[^>]*name="kind" value="(\w+)"[^>]*checked', start)
    assert checked == ["members"]
    # a kind the user may not import is not preselected (nor is any, then)
    officer = login(users.officer_a).get(reverse("imports:import-start") + "?loai=targets")
    assert not re.findall(r'name="kind" value="\w+"[^>]*checked', officer.content.decode())


@pytest.mark.parametrize("started", [False, True])
def test_the_writing_phase_says_dang_ghi_from_the_confirmation(login, users, started):
    """Queued for the worker or started without progress yet: "Đang ghi…" and a progress bar
    without a value (the browser shows it moving), never the "waiting" wording."""
    from django.utils import timezone

    job = ImportJob.objects.create(
        kind="members",
        user=users.admin,
        original_name="lon.xlsx",
        size=10_000_000,
        status=ImportJob.Status.RUNNING if started else ImportJob.Status.QUEUED,
        phase="commit",
        started_at=timezone.now() if started else None,
    )
    html = login(users.admin).get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert 'id="import-phase">Đang ghi…</label>' in html
    assert re.search(r'<progress id="import-progress" class="import-progress" max="100">', html)
    assert "Đang chờ máy xử lý nền bắt đầu" not in html
    # the check phase names itself too
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, phase="check")
    html = login(users.admin).get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert 'id="import-phase">Đang kiểm tra file…</label>' in html


def test_the_error_report_is_the_users_own_file_with_an_error_column(login, users, org, tmp_path):
    """Their columns (an extra one of theirs too) and rows, at the same row numbers under a
    title row, one column more naming the errors, the bad cells filled red; the list of errors
    on a second sheet. Once the file is deleted, the list only."""
    from openpyxl import load_workbook

    from imports.downloads import BAD_CELL_FILL, ERROR_COLUMN
    from members.models import AccessLog

    from .importfiles import MEMBER_HEADERS, write_xlsx

    code = org.grassroots_a.code
    headers = [*MEMBER_HEADERS, "Ghi chú riêng"]
    rows = [
        [*member_row(cccd="001090000201", code=code), "giữ nguyên"],
        [*member_row(cccd="01090000202", code=code), "thiếu số 0"],  # 11 digits
        [*member_row(cccd="001090000204", code="KHONGCO"), ""],
    ]
    path = write_xlsx(tmp_path / "dv-thang-3.xlsx", headers, rows, text_columns=["Số CCCD"])
    client = login(users.officer_a)
    upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "Tải file của bạn kèm cột lỗi" in html

    report = client.get(reverse("imports:import-errors", args=[job.pk]))
    assert "dv-thang-3-kem-loi.xlsx" in report["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    data, listing = book.worksheets
    values = [[c.value for c in row] for row in data.iter_rows()]
    assert values[0] == [*headers, ERROR_COLUMN]
    assert values[1][-2:] == ["giữ nguyên", None]  # a good row: their cells, no error
    assert values[2][MEMBER_HEADERS.index("Số CCCD")] == "01090000202"
    assert values[2][-2] == "thiếu số 0"
    assert values[2][-1].startswith("Số CCCD: ")
    assert values[3][-1].startswith("Mã CĐCS: ") and "KHONGCO" in values[3][-1]
    cccd_cell = data.cell(row=3, column=MEMBER_HEADERS.index("Số CCCD") + 1)
    assert cccd_cell.fill.fgColor.rgb.endswith(BAD_CELL_FILL)
    name_cell = data.cell(row=3, column=MEMBER_HEADERS.index("Họ và tên") + 1)
    assert not (name_cell.fill.fgColor.rgb or "").endswith(BAD_CELL_FILL)
    listed_rows = [[c.value for c in row] for row in listing.iter_rows()]
    assert listed_rows[0] == ["Dòng", "Cột", "Lỗi"]
    assert [r[:2] for r in listed_rows[1:]] == [[3, "Số CCCD"], [4, "Mã CĐCS"]]
    assert AccessLog.objects.filter(
        user=users.officer_a, action=AccessLog.Action.EXPORT, what__contains="dv-thang-3"
    ).exists()

    # Once the file is deleted (retention), the list of errors is what remains.
    job.file_discard()
    listed = client.get(reverse("imports:import-errors", args=[job.pk]))
    first = next(load_workbook(io.BytesIO(listed.content)).active.iter_rows())
    assert [c.value for c in first] == ["Dòng", "Cột", "Lỗi"]
