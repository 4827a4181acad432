"""The import pages: upload -> preview -> confirm -> done, background runs, history, access."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from imports.models import ImportJob
from members.models import AccessLog, Member
from reports.models import UnitDayStat

from .importfiles import MEMBER_HEADERS, TARGET_HEADERS, member_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, path, kind="members", name=None):
    data = path.read_bytes()
    return client.post(
        reverse("imports:import-start"),
        {"kind": kind, "file": SimpleUploadedFile(name or path.name, data)},
    )


def members_file(tmp_path, org, rows=None, name="dv.xlsx"):
    code = org.grassroots_a.code
    rows = rows or [
        member_row(name="Phạm Thị Hoa", cccd="001190000101", code=code, gender="Nữ"),
        member_row(name="Đỗ Văn Minh", cccd="001090000102", code=code),
    ]
    return write_xlsx(tmp_path / name, MEMBER_HEADERS, rows, text_columns=["Số CCCD"])


def test_upload_preview_confirm_done(login, users, org, tmp_path):
    client = login(users.admin)
    before = Member.objects.count()
    response = upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import-detail", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED
    assert (job.new, job.updated, job.unchanged, job.invalid) == (2, 0, 0, 0)
    assert Member.objects.count() == before  # a preview writes nothing

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "File hợp lệ" in html and 'id="btn-confirm"' in html
    assert "Phạm Thị Hoa" in html  # the first rows are shown

    response = client.post(reverse("imports:import-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Member.objects.count() == before + 2
    assert "Đã nhập xong" in client.get(response["Location"]).content.decode()
    log = AccessLog.objects.get(action=AccessLog.Action.IMPORT)
    assert log.user == users.admin and log.row_count == 2

    # A second confirm (double click, back button) imports nothing more.
    client.post(reverse("imports:import-confirm", args=[job.pk]))
    assert Member.objects.count() == before + 2


def test_the_dashboard_figures_move_after_an_import(login, users, org, tmp_path):
    """Done means: the admin uploads, confirms, and the figures behind the dashboard move."""
    client = login(users.admin)
    year = timezone.localdate().year
    day = date(year, 1, 2)
    rows = [
        member_row(
            name=f"Người {i}", cccd=f"00109000{i:04d}", code=org.grassroots_a.code, joined=day
        )
        for i in range(3)
    ]
    upload(client, members_file(tmp_path, org, rows))
    job = ImportJob.objects.get()
    stat_before = UnitDayStat.objects.filter(district_union=org.unit_a, day=day).first()
    assert stat_before is None or stat_before.admitted == 0
    client.post(reverse("imports:import-confirm", args=[job.pk]))
    stat = UnitDayStat.objects.get(district_union=org.unit_a, day=day)
    assert stat.admitted == 3


def test_invalid_file_shows_every_error_and_writes_nothing(login, users, org, tmp_path):
    client = login(users.admin)
    code = org.grassroots_a.code
    rows = [
        member_row(cccd="001090000201", code=code),
        member_row(cccd="01090000202", code=code),  # 11 digits
        member_row(cccd="001090000203", code=code, birth="31/02/1990"),
        member_row(cccd="001090000204", code="KHONGCO"),
    ]
    upload(client, members_file(tmp_path, org, rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.invalid == 3 and job.new == 1
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "chưa ghi dòng nào" in html
    assert "Excel đã bỏ mất số 0" in html
    assert "31/02/1990" in html and "KHONGCO" in html
    assert 'id="btn-confirm"' not in html

    report = client.get(reverse("imports:import-errors", args=[job.pk]))
    assert report["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    # The uploader's own file back (test_import_screens); its second sheet lists the errors.
    ws = load_workbook(io.BytesIO(b"".join(report.streaming_content)))["Danh sách lỗi"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["Dòng", "Cột", "Lỗi"]
    assert [r[:2] for r in rows[1:]] == [[3, "Số CCCD"], [4, "Ngày sinh"], [5, "Mã CĐCS"]]
    # The confirm button is refused on the server too.
    client.post(reverse("imports:import-confirm", args=[job.pk]))
    assert not Member.objects.filter(cccd="001090000201").exists()


def test_template_download_has_text_columns_example_and_guide(login, users):
    client = login(users.admin)
    response = client.get(reverse("imports:import-template", args=["members"]))
    assert response.status_code == 200
    assert "mau-nhap-doan-vien.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    data = workbook["Dữ liệu"]
    headers = [c.value for c in data[1]]
    assert headers == MEMBER_HEADERS
    example = {h: c for h, c in zip(headers, data[2], strict=True)}
    assert example["Số CCCD"].value == "001090012345"
    assert example["Số CCCD"].number_format == "@"
    assert data.column_dimensions["D"].number_format == "@"  # whole column, rows typed later
    assert example["Ngày sinh"].number_format == "DD/MM/YYYY"
    guide = [[c.value for c in row] for row in workbook["Hướng dẫn"].iter_rows()]
    assert guide[0] == ["Cột", "Bắt buộc", "Giải thích", "Ví dụ"]
    assert {row[0] for row in guide[1:12]} == set(MEMBER_HEADERS)


def test_downloaded_template_imports_as_it_is(login, users, org, tmp_path):
    """The example row of the template is itself a valid row (with an existing CĐCS code)."""
    client = login(users.admin)
    content = client.get(reverse("imports:import-template", args=["grassroots"])).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Dữ liệu"]
    sheet["C2"] = org.unit_a.code
    path = tmp_path / "mau.xlsx"
    workbook.save(path)
    upload(client, path, kind="grassroots")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED, job.errors


def test_large_file_runs_in_the_background_with_progress(
    login, users, org, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_SYNC_MAX_BYTES = 10  # every file counts as large
    client = login(users.admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, members_file(tmp_path, org))
    assert len(callbacks) == 1  # enqueued after the job row was committed
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED  # the immediate backend ran it
    assert job.task_id
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Member.objects.filter(cccd="001190000101").exists()


def test_progress_page_while_running_polls_and_works_without_javascript(login, users, org):
    client = login(users.admin)
    job = ImportJob.objects.create(
        kind="members",
        user=users.admin,
        original_name="lon.xlsx",
        size=10_000_000,
        status=ImportJob.Status.RUNNING,
        phase="commit",
        started_at=timezone.now() - timedelta(seconds=30),
    )
    job.progress_write("commit", 25_000, 0.25)
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert '<progress id="import-progress"' in html and 'value="25"' in html
    assert "25.000 dòng" in html
    assert "còn khoảng" in html
    assert 'hx-trigger="every 2s"' in html
    assert '<noscript><meta http-equiv="refresh"' in html
    assert "style=" not in html  # CSP: no inline styles

    part = client.get(
        reverse("imports:import-detail", args=[job.pk]) + "?part=progress", HTTP_HX_REQUEST="true"
    )
    assert part.status_code == 200 and "<html" not in part.content.decode()
    assert "HX-Refresh" not in part

    job.status = ImportJob.Status.DONE
    job.save()
    part = client.get(
        reverse("imports:import-detail", args=[job.pk]) + "?part=progress", HTTP_HX_REQUEST="true"
    )
    assert part["HX-Refresh"] == "true"


def test_interrupted_import_wrote_nothing_and_can_run_again(login, users, org, tmp_path):
    client = login(users.admin)
    upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    # The worker was killed while writing: the job still says running, its progress is old.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        phase="commit",
        started_at=timezone.now() - timedelta(minutes=20),
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    job.refresh_from_db()
    job.progress_write("commit", 1, 0.5)
    old = (timezone.now() - timedelta(minutes=10)).timestamp()
    os.utime(job.progress_path(), (old, old))
    data = job.progress_read()
    data["at"] = (timezone.now() - timedelta(minutes=10)).isoformat()
    with open(job.progress_path(), "w", encoding="utf-8") as handle:
        import json

        json.dump(data, handle)
    assert job.is_interrupted
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "Bị gián đoạn" in html and 'id="btn-rerun"' in html
    assert not Member.objects.filter(cccd="001190000101").exists()

    client.post(reverse("imports:import-rerun", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.attempts == 2
    assert Member.objects.filter(cccd="001190000101").exists()


def test_history_lists_imports_with_counts_and_status(login, users, org, tmp_path):
    client = login(users.admin)
    upload(client, members_file(tmp_path, org, name="dot-1.xlsx"))
    job = ImportJob.objects.get()
    client.post(reverse("imports:import-confirm", args=[job.pk]))
    bad = [member_row(cccd="1", code=org.grassroots_a.code)]
    upload(client, members_file(tmp_path, org, bad, name="dot-2.xlsx"))
    html = client.get(reverse("imports:import-history")).content.decode()
    assert "dot-1.xlsx" in html and "dot-2.xlsx" in html
    assert "Đã nhập xong" in html and "Có lỗi, chưa ghi gì" in html
    assert "admin" in html


def test_csv_upload_is_accepted_by_content(login, users, org, tmp_path):
    client = login(users.admin)
    path = write_csv(
        tmp_path / "dv.txt",
        MEMBER_HEADERS,
        [member_row(cccd="001090000301", code=org.grassroots_a.code)],
    )
    upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    assert job.file.name.endswith(".csv")  # stored by what it is, not by its name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 binary", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04 not really a zip", "hỏng"),
        # Windows-1258 is read (issue 12 item 8); bytes that are neither are refused.
        (b"H\x81\x8d t\x90n;S\x9d CCCD\n", "UTF-8"),
        (b"<html><body>table</body></html>", "HTML"),
        (b"\x00\x01\x02binary", "nhị phân"),
    ],
)
def test_upload_refuses_what_is_not_a_spreadsheet(login, users, content, message):
    client = login(users.admin)
    response = client.post(
        reverse("imports:import-start"),
        {"kind": "members", "file": SimpleUploadedFile("dv.xlsx", content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_over_the_size_limit_is_refused(login, users, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client = login(users.admin)
    response = client.post(
        reverse("imports:import-start"),
        {"kind": "members", "file": SimpleUploadedFile("dv.csv", b"a,b\n" * 400)},
    )
    assert "File quá lớn" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_declared_too_large_is_refused_before_reading(login, users, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client = login(users.admin)
    response = client.post(
        reverse("imports:import-start"),
        {"kind": "members", "file": SimpleUploadedFile("dv.csv", b"a,b\n" * 40_000)},
    )
    assert response.status_code == 413
    assert "File quá lớn" in response.content.decode()


def test_uploaded_file_name_is_not_trusted(login, users, org, tmp_path, media):
    client = login(users.admin)
    path = members_file(tmp_path, org)
    upload(client, path, name="../../etc/passwd\x07.xlsx")
    job = ImportJob.objects.get()
    assert job.original_name == "passwd.xlsx"
    assert job.file.name.startswith("imports/")
    assert os.path.realpath(job.file.path).startswith(os.path.realpath(media / "imports"))


# ----- access ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "kinds"),
    [
        ("admin", {"units", "grassroots", "members", "targets", "enterprises", "training"}),
        ("officer_a", {"grassroots", "members", "enterprises", "training"}),
        ("staff", {"targets"}),
    ],
)
def test_who_may_import_what(login, users, who, kinds):
    client = login(getattr(users, who))
    response = client.get(reverse("imports:import-start"))
    assert response.status_code == 200
    offered = {value for value, _ in response.context["form"].fields["kind"].choices}
    assert offered == kinds
    for kind in ("units", "grassroots", "members", "targets", "training"):
        status = client.get(reverse("imports:import-template", args=[kind])).status_code
        assert status == (200 if kind in kinds else 404)


def test_no_role_gets_404_everywhere(login, users):
    client = login(users.norole)
    job = ImportJob.objects.create(kind="members", user=users.admin, original_name="x.xlsx")
    for url in (
        reverse("imports:import-start"),
        reverse("imports:import-history"),
        reverse("imports:import-detail", args=[job.pk]),
        reverse("imports:import-errors", args=[job.pk]),
        reverse("imports:import-template", args=["members"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("imports:import-confirm", args=[job.pk])).status_code == 404


def test_kind_not_allowed_is_refused_on_post(login, users, org, tmp_path):
    client = login(users.officer_a)
    path = write_xlsx(tmp_path / "ct.xlsx", TARGET_HEADERS, [["TX", 2025, 1, 1, 1]])
    response = upload(client, path, kind="targets")
    assert response.status_code == 200
    assert "Bạn không được nhập loại dữ liệu này." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_jobs_are_scoped(login, users, org, tmp_path):
    """Officer A's import: A and admins see it; officer B, the other federation's staff (and
    federation staff for member imports) get 404; only A and admins may confirm it."""
    client = login(users.officer_a)
    upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    assert job.district_union == org.unit_a
    detail = reverse("imports:import-detail", args=[job.pk])
    matrix = {
        "officer_a": 200,
        "admin": 200,
        "officer_b": 404,
        "officer_c": 404,
        "staff": 404,
        "other_staff": 404,
    }
    for who, status in matrix.items():
        assert login(getattr(users, who)).get(detail).status_code == status, who
        errors = reverse("imports:import-errors", args=[job.pk])
        assert login(getattr(users, who)).get(errors).status_code == status, who
    confirm = reverse("imports:import-confirm", args=[job.pk])
    assert login(users.officer_b).post(confirm).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert login(users.officer_a).post(confirm).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_history_is_scoped(login, users, org, tmp_path):
    upload(login(users.officer_a), members_file(tmp_path, org, name="cua-a.xlsx"))
    assert (
        "cua-a.xlsx"
        in login(users.officer_a).get(reverse("imports:import-history")).content.decode()
    )
    assert (
        "cua-a.xlsx" in login(users.admin).get(reverse("imports:import-history")).content.decode()
    )
    for who in ("officer_b", "staff"):
        html = login(getattr(users, who)).get(reverse("imports:import-history")).content.decode()
        assert "cua-a.xlsx" not in html, who


def test_officer_rows_of_another_unit_are_errors(login, users, org, tmp_path):
    client = login(users.officer_a)
    rows = [
        member_row(cccd="001090000401", code=org.grassroots_a.code),
        member_row(cccd="001090000402", code=org.grassroots_b.code),
    ]
    upload(client, members_file(tmp_path, org, rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.row_errors[0].row == 3
    assert (
        f"Không có CĐCS mã '{org.grassroots_b.code}' trong đơn vị của bạn"
        in job.row_errors[0].message
    )
    client.post(reverse("imports:import-confirm", args=[job.pk]))
    assert not Member.objects.filter(cccd="001090000401").exists()


def test_menu_shows_import_entry_only_to_importers(login, users):
    assert (
        "Nhập dữ liệu"
        in login(users.officer_a).get(reverse("imports:import-start")).content.decode()
    )
    html = login(users.staff).get(reverse("imports:import-start")).content.decode()
    assert reverse("imports:import-start") in html
