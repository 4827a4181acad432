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
    units = PeriodReport.objects.filter(unit__isnull=False)  # the units' own reports
    assert not units.filter(year__lte=2024).exclude(status="approved").exists()
    assert units.filter(status="returned").count() == 1


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


def test_federation_reports_to_the_national_level(demo):
    federations = PeriodReport.objects.filter(federation__isnull=False)
    qn_2024 = federations.filter(federation__code="QN", year__lte=2024)
    assert qn_2024.exists() and not qn_2024.exclude(status="approved").exists()
    assert federations.filter(federation__code="HN", year=2023, status="approved").exists()
    hn_2024 = federations.filter(federation__code="HN", year=2024)
    assert hn_2024.exists() and not hn_2024.exclude(status="submitted").exists()
    assert federations.filter(year__gte=2025, status="submitted").exists()
    assert list(federations.filter(status="returned").values_list("federation__code", "year")) == [
        ("QN", 2025)
    ]
    national = client_for("toanquoc")
    home = national.get(reverse("progress-national")).content.decode()
    assert reverse("approvals:national-completeness") in home
    page = national.get(reverse("approvals:national-completeness") + "?year=2024").content
    text = page.decode()
    assert "Đã duyệt" in text and "Báo cáo chờ Tổng Liên đoàn duyệt" in text
    # toanquoc approves Hà Nội's year 2024: thanhpho can no longer open Thanh Xuân's 2024.
    hn = federations.get(federation__code="HN", year=2024, kind="nam").federation
    url = f"/bao-cao-ky/lien-doan/{hn.pk}/2024/nam/"
    page = national.post(url + "duyet/", {"decision": "approve"}, follow=True).content.decode()
    assert "Đã duyệt báo cáo Năm 2024 của LĐLĐ thành phố Hà Nội" in page
    tx = DistrictUnion.objects.get(code="TX")
    expiry = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    page = client_for("thanhpho").post(
        f"/bao-cao-ky/don-vi/{tx.pk}/2024/nam/mo-khoa/",
        {"reason": "Sót hồ sơ", "expires_on": expiry},
        follow=True,
    )
    assert "chỉ Tổng Liên đoàn Lao động Việt Nam mở khóa được" in page.content.decode()
    home = client_for("thanhpho").get("/").content.decode()
    assert "Báo cáo của LĐLĐ lên Tổng Liên đoàn" in home
