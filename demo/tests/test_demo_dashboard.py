"""The issue's "done means" on the demo data: what thanhpho, thanhxuan and caugiay see."""

import re
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from grassroots.models import DistrictUnion
from reports.tests.conftest import table_rows

pytestmark = pytest.mark.slow


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.django_db
def test_thanhpho_sees_thanh_xuan_2024_clicks_through_and_downloads(demo):
    client = client_for("thanhpho")
    html = client.get("/?year=2024").content.decode()
    tx = table_rows(html, "progress-table")["Q. Thanh Xuân"]  # short name; full on hover
    assert 'title="LĐLĐ quận Thanh Xuân"' in html
    assert tx[0:2] == ["4.550", "6.500"] and "70%" in tx[2]
    assert tx[3:5] == ["27", "20"] and "135%" in tx[5]
    assert tx[6:8] == ["15", "15"] and "100%" in tx[8]
    assert "thành lập được 27/20 CĐCS, đạt 135% chỉ tiêu" in html

    # Click the 27: the 27 CĐCS founded.
    link = re.search(r'<a href="(/tien-do/chi-tiet/cdcs-moi/[^"]+)">27</a>', html).group(1)
    drill = client.get(link.replace("&amp;", "&"))
    assert drill.context["count"] == 27 and drill.context["where"] == "LĐLĐ quận Thanh Xuân"

    # The same table as .xlsx.
    sheet = openpyxl.load_workbook(BytesIO(client.get("/?year=2024&export=xlsx").content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "LĐLĐ quận Thanh Xuân")
    assert row[2:11] == (4550, 6500, 0.7, 27, 20, 1.35, 15, 15, 1)


@pytest.mark.django_db
def test_thanhxuan_sees_only_thanh_xuan(demo):
    client = client_for("thanhxuan")
    html = client.get("/?year=2024").content.decode()
    rows = table_rows(html, "progress-table")
    assert list(rows) == ["Đơn vị", "Đạt", "LĐLĐ quận Thanh Xuân"]  # two header rows, one unit
    assert "LĐLĐ quận Cầu Giấy" not in html
    cau_giay = DistrictUnion.objects.get(code="CG")
    assert client.get(f"/tien-do/don-vi/{cau_giay.pk}/").status_code == 404


@pytest.mark.django_db
def test_cau_giay_as_of_04_04_2021(demo):
    html = client_for("caugiay").get("/?year=2021&as_of=04/04/2021").content.decode()
    cg = table_rows(html, "progress-table")["LĐLĐ quận Cầu Giấy"]
    assert cg[0:2] == ["589", "1.450"] and "40,62%" in cg[2]
    assert cg[3:5] == ["11", "27"] and "40,74%" in cg[5]
    text = StringIO()
    call_command(
        "progress_report", "--year", "2021", "--as-of", "04/04/2021", "--unit", "CG", stdout=text
    )
    assert text.getvalue().startswith(
        "LĐLĐ quận Cầu Giấy: 589/1.450 đoàn viên (40,62%); 11/27 CĐCS (40,74%);"
    )


@pytest.mark.django_db
def test_phuongthanhxuan_compares_2025_with_2024_on_todays_tree(demo):
    from datetime import date

    from django.utils import timezone

    from grassroots.models import Affiliation, GrassrootsUnion, UserRole
    from members.models import Placement

    client = client_for("phuongthanhxuan")
    ward = UserRole.objects.get(user__username="phuongthanhxuan").district_union
    today = timezone.localdate()
    mine = Affiliation.objects.on(today).filter(district_union=ward).values("grassroots_id")
    # From the registers: admissions of 2024 in the CĐCS the ward holds today.
    admitted_2024 = Placement.objects.filter(
        grassroots_id__in=mine,
        start_kind__in=Placement.ADMISSION_KINDS,
        start_on__range=(date(2024, 1, 1), date(2024, 12, 31)),
    ).count()
    founded_2024 = GrassrootsUnion.objects.filter(pk__in=mine, founded_on__year=2024).count()
    assert admitted_2024 > 0

    # As it was (the default): the ward did not exist in 2024.
    response = client.get("/?year=2024")
    assert response.context["row"].figures.new_members == 0
    assert 'id="tree-as-it-was"' in response.content.decode()
    # On today's tree: its CĐCS's 2024.
    response = client.get("/?year=2024&co-cau=hien-nay")
    row = response.context["row"]
    assert (row.figures.new_members, row.figures.new_grassroots) == (admitted_2024, founded_2024)
    assert "theo cơ cấu hiện nay" in response.content.decode()
    # 2025 next to "cùng kỳ năm trước".
    response = client.get("/?year=2025&co-cau=hien-nay")
    html = response.content.decode()
    assert response.context["row"].last_year.new_members == admitted_2024
    assert "So sánh với cùng kỳ năm trước (Năm 2024 (theo cơ cấu hiện nay))" in html


@pytest.mark.django_db
def test_thanhpho_2024_total_is_the_same_on_todays_tree(demo):
    client = client_for("thanhpho")
    as_it_was = client.get("/?year=2024").context["dashboard"]
    today = client.get("/?year=2024&co-cau=hien-nay").context["dashboard"]
    # Thanh Xuân's 2024 as it was is untouched by the second view.
    tx = next(row for row in as_it_was.rows if row.code == "TX")
    assert (tx.figures.new_members, tx.figures.new_grassroots) == (4550, 27)
    assert today.units_total.figures == as_it_was.units_total.figures
    assert "TX" not in {row.code for row in today.rows}  # ended: not on today's tree


@pytest.mark.django_db
def test_thanhpho_sees_2025_across_the_reform_with_a_total_that_adds_up(demo):
    """Done means: the ended units marked "kết thúc 30/06/2025", the directly managed row, the
    ward unions marked "từ 01/10/2025", and a total equal to the rows with nothing counted
    twice (flows of every row; stocks of the rows still there at the year's end)."""
    client = client_for("thanhpho")
    response = client.get("/?year=2025")
    html = response.content.decode()
    dashboard = response.context["dashboard"]
    rows = {row.code: row for row in dashboard.rows}
    assert rows["TX"].note == "kết thúc 30/06/2025" and "kết thúc 30/06/2025" in html
    direct = [row for row in dashboard.rows if row.is_direct]
    assert len(direct) == 1 and direct[0].figures.new_members > 0
    assert direct[0].name in html
    wards = [row for row in dashboard.rows if row.note == "từ 01/10/2025"]
    assert wards and "từ 01/10/2025" in html
    total = dashboard.units_total.figures
    assert total.new_members == sum(row.figures.new_members for row in dashboard.rows)
    assert total.new_grassroots == sum(row.figures.new_grassroots for row in dashboard.rows)
    # Stocks at the year's end: only the rows still there then (the ward unions, the units
    # that did not end); the ended units' last members moved on and are counted once.
    assert total.members_total == sum(
        row.figures.members_total for row in dashboard.rows if row.last_day is None
    )
    assert total.members_total < sum(row.figures.members_total for row in dashboard.rows)


@pytest.mark.django_db
def test_toanquoc_sees_both_federations_in_both_views(demo):
    client = client_for("toanquoc")
    for query in ("year=2024", "year=2025&co-cau=hien-nay"):
        response = client.get(f"/tien-do/toan-quoc/?{query}")
        assert response.status_code == 200
        names = {row.name for row in response.context["dashboard"].rows}
        assert {"LĐLĐ thành phố Hà Nội", "LĐLĐ tỉnh Quảng Ninh"} <= names, names
    assert "Chưa có LĐLĐ trên cổng (32)" in response.content.decode()
