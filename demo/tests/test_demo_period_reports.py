"""Issue 15's "done means" on the demo: the books of past periods are closed; the ward officer and
an admin are refused a 2024 admission with who approved and whom to ask; thanhpho opens the
period and the late admission is shown as a correction; completeness shows the returned report
and the late unit."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.models import PeriodReport
from grassroots.models import DistrictUnion, GrassrootsUnion, PeriodLock, UserRole

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def admission(grassroots, cccd: str) -> dict:
    return {
        "full_name": "Nguyễn Thị Muộn",
        "gender": "female",
        "birth_date": "05/03/1990",
        "cccd": cccd,
        "grassroots": grassroots.pk,
        "joined_on": "16/09/2024",
    }


def test_every_unit_is_approved_up_to_2024_with_the_articles_figures(demo):
    tx = DistrictUnion.objects.get(code="TX")
    lock = PeriodLock.objects.get(unit=tx, year=2024, kind="nam")
    assert (lock.figures["new_members"], lock.figures["new_grassroots"]) == (4550, 27)
    assert lock.figures["new_grassroots_25plus"] == 15
    assert not PeriodReport.objects.filter(year__lte=2024).exclude(status="approved").exists()
    assert PeriodReport.objects.filter(status="returned").count() == 1


def test_a_2024_admission_is_refused_to_the_ward_officer_and_an_admin_then_let_in(demo):
    ward = UserRole.objects.get(user__username="phuongthanhxuan").district_union
    grassroots = GrassrootsUnion.objects.filter(  # in Thanh Xuân in 2024, in the ward today
        district_union=ward,
        affiliations__district_union__code="TX",
        founded_on__year__lt=2024,
        dissolved_on__isnull=True,
    ).first()
    for username, cccd in (("phuongthanhxuan", "001190888801"), ("admin", "001190888802")):
        page = client_for(username).post(
            reverse("members:member-create"), admission(grassroots, cccd)
        )
        text = page.content.decode()
        assert page.status_code == 200
        assert "Ngày 16/09/2024 thuộc kỳ báo cáo Năm 2024 của LĐLĐ quận Thanh Xuân" in text
        assert "Cán bộ LĐLĐ Thành phố duyệt ngày 05/01/2025" in text
        assert "đề nghị LĐLĐ thành phố Hà Nội" in text
    tx = DistrictUnion.objects.get(code="TX")
    report = PeriodReport.objects.get(unit=tx, year=2024, kind="nam")
    staff = client_for("thanhpho")
    expiry = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    url = f"/bao-cao-ky/don-vi/{tx.pk}/2024/nam/"
    staff.post(url + "mo-khoa/", {"reason": "Sót hồ sơ tháng 9", "expires_on": expiry})
    page = client_for("phuongthanhxuan").post(
        reverse("members:member-create"), admission(grassroots, "001190888801")
    )
    assert page.status_code == 302, re.findall(r"<strong>([^<]+)</strong>", page.content.decode())
    text = staff.get(url).content.decode()
    assert "Điều chỉnh sau duyệt" in text and "16/09/2024: Kết nạp" in text
    assert re.search(
        r"Kết nạp đoàn viên mới</th><td[^>]*>4\.550</td><td[^>]*>4\.551</td><td[^>]*>\+1", text
    )
    report.refresh_from_db()
    assert report.figures["new_members"] == 4550


def test_thanhpho_sees_completeness_the_returned_report_and_the_late_unit(demo):
    staff = client_for("thanhpho")
    page = staff.get("/bao-cao-ky/day-du/").content.decode()
    assert "Tình hình gửi báo cáo" in page and "Bị trả lại" in page and "Quá hạn, chưa gửi" in page
    home = staff.get("/").content.decode()
    assert "Đơn vị chậm gửi báo cáo kỳ" in home
