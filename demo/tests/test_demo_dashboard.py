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
    tx = table_rows(html, "progress-table")["Q. Thanh Xuân"]  # the wide table shows short names
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
