"""Issue 5, "Done means", step by step through the pages: an admin downloads the member
template, fills it, uploads a file with a few bad rows, sees exactly those rows explained,
fixes them, uploads again, confirms, sees the dashboard move; the same file again changes
nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from imports.models import ImportJob
from members.models import Member
from reports.selectors import figures_by_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content: bytes, name: str) -> ImportJob:
    response = client.post(
        reverse("imports:import-start"),
        {"kind": "members", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_done_means(login, users, org):
    client = login(users.admin)
    year = timezone.localdate().year
    day = date(year, 1, 6)
    before = figures_by_unit([org.unit_a.pk], date(year, 1, 1), date(year, 12, 31))[org.unit_a.pk]

    # 1. The template, filled in "Excel": the example row replaced by ten members, three bad.
    template = client.get(reverse("imports:import-template", args=["members"])).content
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Dữ liệu"]
    sheet.delete_rows(2)
    for i in range(10):
        sheet.append(
            [
                f"Đoàn viên {i}",
                "Nữ" if i % 2 else "Nam",
                date(1995, 1, 1),
                f"0119500000{i:02d}",
                f"09123456{i:02d}",
                org.grassroots_a.code,
                day,
                "",
                "Công nhân",
                None,
                "",
            ]
        )
    sheet["D4"] = 11950000002  # typed as a number: Excel dropped the zero
    sheet["G6"] = "31/02/" + str(year)
    sheet["F9"] = "CS-KHONG-CO"

    def save() -> bytes:
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    # 2. Upload: exactly those rows explained, nothing written.
    job = upload(client, save(), "doan-vien.xlsx")
    assert job.status == ImportJob.Status.INVALID
    assert [(e.row, e.column) for e in job.row_errors] == [
        (4, "Số CCCD"),
        (6, "Ngày kết nạp"),
        (9, "Mã CĐCS"),
    ]
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "Excel đã bỏ mất số 0" in html and "không tồn tại" in html and "CS-KHONG-CO" in html
    assert not Member.objects.filter(full_name__startswith="Đoàn viên").exists()

    # 3. Fixed and uploaded again: valid; confirm writes all ten.
    sheet["D4"] = "011950000002"
    sheet["G6"] = day
    sheet["F9"] = org.grassroots_a.code
    fixed = save()
    job = upload(client, fixed, "doan-vien-da-sua.xlsx")
    assert job.status == ImportJob.Status.CHECKED and job.new == 10
    client.post(reverse("imports:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Member.objects.filter(full_name__startswith="Đoàn viên").count() == 10

    # 4. The dashboard figures moved by ten admissions.
    after = figures_by_unit([org.unit_a.pk], date(year, 1, 1), date(year, 12, 31))[org.unit_a.pk]
    assert after.new_members == before.new_members + 10
    assert after.members_total == before.members_total + 10
    page = client.get(reverse("progress-unit", args=[org.unit_a.pk]))
    assert page.status_code == 200

    # 5. The same file again: nothing to change, nothing to confirm.
    again = upload(client, fixed, "doan-vien-da-sua.xlsx")
    assert (again.status, again.new, again.updated, again.unchanged) == ("checked", 0, 0, 10)
    html = client.get(reverse("imports:import-detail", args=[again.pk])).content.decode()
    assert "Không có gì thay đổi" in html and "disabled" in html
