"""The CĐCS address (địa chỉ trụ sở): entered, imported, exported; and the ward union proposed
from it with the 2025 divisions of `vietnam-provinces`."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from grassroots.access import SYSTEM
from grassroots.addresses import address_ward, federation_province, proposal_for
from grassroots.models import DistrictUnion, GrassrootsUnion
from imports.engine import run_import
from imports.models import ImportJob
from imports.tests.importfiles import GRASSROOTS_HEADERS, write_xlsx
from tests.downloads import body
from tests.factories import DistrictUnionFactory, GrassrootsFactory

WARD = DistrictUnion.Kind.COMMUNE


def test_address_ward_reads_the_ward_part():
    assert address_ward("Số 1 Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội") == (
        "phuong thanh xuan",
        False,
    )
    assert address_ward("12 Hoàng Quốc Việt, P. Nghĩa Đô, TP Hà Nội") == ("phuong nghia do", False)
    assert address_ward("Thôn 3, xã  Sóc Sơn, Hà Nội") == ("xa soc son", False)
    assert address_ward("Số 5 ngõ 1, Phường Khương Trung, Quận Thanh Xuân, Hà Nội") == (
        "phuong khuong trung",
        True,
    )
    assert address_ward("Khu công nghiệp Thăng Long") == ("", False)


@pytest.mark.django_db
def test_federation_province_from_its_name(org):
    assert federation_province(org.federation) == 1
    assert federation_province(org.other_federation) == 31


@pytest.mark.django_db
def test_proposal_from_addresses(org, users):
    tx = DistrictUnionFactory(
        code="PTX", name="Công đoàn phường Thanh Xuân", kind=WARD, federation=org.federation
    )
    DistrictUnionFactory(
        code="PND", name="Công đoàn Phường Nghĩa Đô", kind=WARD, federation=org.federation
    )
    rows = {
        "G1": "Số 1 Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội",
        "G2": "12 Hoàng Quốc Việt, p. nghĩa đô, Hà Nội",
        "G3": "Số 5 ngõ 1, Phường Khương Trung, Quận Thanh Xuân, Hà Nội",  # no longer a ward
        "G4": "Số 9 Lê Trọng Tấn, Phường Khương Đình, Hà Nội",  # a ward with no union yet
        "G5": "",
    }
    for code, address in rows.items():
        GrassrootsFactory(
            district_union=org.unit_a, code=code, address=address, founded_on=date(2020, 1, 1)
        )
    proposal = proposal_for(users.staff, org.unit_a, date(2025, 10, 1))
    assert [(p.grassroots_code, p.unit_code, p.ward) for p in proposal.proposed] == [
        ("G1", "PTX", "Phường Thanh Xuân"),
        ("G2", "PND", "Phường Nghĩa Đô"),
    ]
    reasons = {p.grassroots_code: p.reason for p in proposal.unproposed}
    assert "Địa chỉ cũ (theo quận/huyện)" in reasons["G3"]
    assert "Chưa có công đoàn Phường Khương Đình" in reasons["G4"]
    assert reasons["G5"] == "Chưa có địa chỉ trụ sở."
    assert org.grassroots_a.code in reasons  # the fixture's CĐCS has no address
    assert tx.pk  # Hải Phòng's staff see none of Hà Nội's
    assert proposal_for(users.other_staff, None, date(2025, 10, 1)).proposed == []


@pytest.mark.django_db
def test_proposal_page_downloads_the_plan_and_checks_it(org, users, login):
    DistrictUnionFactory(
        code="PTX", name="Công đoàn phường Thanh Xuân", kind=WARD, federation=org.federation
    )
    GrassrootsUnion.objects.filter(pk=org.grassroots_a.pk).update(
        address="Số 1 Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội"
    )
    client = login(users.staff)
    url = reverse("plans:plan-proposal")
    page = client.get(url, {"source_unit": org.unit_a.pk, "effective_on": "01/10/2025"})
    body = page.content.decode()
    assert "Đề xuất <strong>1</strong> CĐCS" in body and "Công đoàn phường Thanh Xuân" in body
    data = {"source_unit": org.unit_a.pk, "effective_on": "01/10/2025"}
    download = client.post(url, {**data, "action": "download"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert [c.value for c in sheet[2]][:3] == [org.grassroots_a.code, "PTX", "01/10/2025"]
    check = client.post(url, {**data, "action": "check"})
    job = ImportJob.objects.get(kind=ImportJob.Kind.PLAN)
    assert check.url == reverse("plans:plan-detail", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED and job.new == 1
    # Reviewed, not applied.
    assert GrassrootsUnion.objects.get(pk=org.grassroots_a.pk).district_union == org.unit_a


@pytest.mark.django_db
def test_address_entered_on_the_form_and_shown(org, users, login):
    client = login(users.officer_a)
    g = org.grassroots_a
    response = client.post(
        reverse("grassroots:grassroots-update", args=[g.pk]),
        {
            "name": g.name,
            "code": g.code,
            "tax_code": g.tax_code,
            "sector": g.sector,
            "workers": g.workers,
            "founded_on": g.founded_on.strftime("%d/%m/%Y"),
            "address": "Số 1 Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    g.refresh_from_db()
    assert g.address == "Số 1 Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội"
    detail = client.get(reverse("grassroots:grassroots-detail", args=[g.pk])).content.decode()
    assert "Phường Thanh Xuân, Thành phố Hà Nội" in detail


@pytest.mark.django_db
def test_address_imported_and_exported(org, users, login, tmp_path):
    headers = [*GRASSROOTS_HEADERS, "Địa chỉ trụ sở"]
    row = ["CS-AD1", "Công đoàn Công ty Địa Chỉ", "TX", "", "Doanh nghiệp ngoài nhà nước", 30]
    path = write_xlsx(
        tmp_path / "cs.xlsx", headers, [[*row, date(2024, 1, 5), "Số 2, Phường Thanh Xuân"]]
    )
    outcome = run_import("grassroots", path, user=SYSTEM, commit=True, source_name="cs")
    assert outcome.error_count == 0, outcome.errors
    assert GrassrootsUnion.objects.get(code="CS-AD1").address == "Số 2, Phường Thanh Xuân"
    # A new address updates; a blank one keeps it.
    path = write_xlsx(
        tmp_path / "cs2.xlsx", headers, [[*row, date(2024, 1, 5), "Số 3, Phường Khương Đình"]]
    )
    outcome = run_import("grassroots", path, user=SYSTEM, commit=True, source_name="cs")
    assert outcome.counts.updated == 1
    path = write_xlsx(tmp_path / "cs3.xlsx", headers, [[*row, date(2024, 1, 5), ""]])
    outcome = run_import("grassroots", path, user=SYSTEM, commit=True, source_name="cs")
    assert outcome.counts.unchanged == 1
    assert GrassrootsUnion.objects.get(code="CS-AD1").address == "Số 3, Phường Khương Đình"
    response = login(users.admin).get(reverse("grassroots:grassroots-export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    headers_out = [c.value for c in sheet[1]]
    column = headers_out.index("Địa chỉ trụ sở")
    values = {r[0].value: r[column].value for r in sheet.iter_rows(min_row=2)}
    assert values["CS-AD1"] == "Số 3, Phường Khương Đình"
