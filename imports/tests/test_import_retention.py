"""Finding 14 of issue 14: an import's samples and errors (names, birth dates, CCCDs) follow
the files' retention; the samples never hold a full CCCD."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from imports.engine import run_import
from imports.models import ImportJob

HEADER = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Số điện thoại,Mã CĐCS,Ngày kết nạp\n"


def test_samples_mask_the_cccd(org, users, tmp_path):
    path = tmp_path / "dv.csv"
    path.write_text(
        "\ufeff" + HEADER + f"Phạm Thị Dò,Nữ,01/01/1990,001199000009,,{org.grassroots_a.code},"
        "01/02/2024\n",
        encoding="utf-8",
    )
    outcome = run_import("members", path, user=users.officer_a)
    assert outcome.ok
    assert "001199000009" not in str(outcome.samples)
    assert "0011******09" in str(outcome.samples)


def test_cleanup_purges_details_after_the_retention(org, users, login, settings):
    old = ImportJob.objects.create(
        kind="members",
        user=users.officer_a,
        district_union=org.unit_a,
        original_name="cu.csv",
        status=ImportJob.Status.INVALID,
        errors=[[2, "Ngày sinh", "Phạm Thị Dò: ngày sinh 01/01/2015 chưa đủ 15 tuổi"]],
        error_count=1,
        samples={"headers": ["Họ và tên"], "new": [[3, "Phạm Thị Dò"]]},
    )
    recent = ImportJob.objects.create(
        kind="members",
        user=users.officer_a,
        district_union=org.unit_a,
        original_name="moi.csv",
        status=ImportJob.Status.CHECKED,
        samples={"headers": ["Họ và tên"], "new": [[3, "Lê Văn Mới"]]},
    )
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS + 1)
    )
    call_command("imports_cleanup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.samples == {} and old.errors == [] and old.error_count == 1
    assert recent.samples["new"][0][1] == "Lê Văn Mới"
    page = login(users.officer_a).get(reverse("imports:import-detail", args=[old.pk]))
    html = page.content.decode()
    assert "Phạm Thị Dò" not in html
    assert "đã được xoá sau thời hạn lưu" in html
