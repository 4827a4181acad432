"""The official report (báo cáo) on the demo: thanhpho prints Thanh Xuân's 2024 report as PDF and
gets it as .docx; its first table row reads 4.550 / 6.500 / 70%."""

import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pypdf import PdfReader

from grassroots.models import DistrictUnion
from members.models import AccessLog

pytestmark = pytest.mark.slow


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Lines as the reader breaks them are joined: a long name may wrap in its column.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.django_db
def test_thanhpho_prints_thanh_xuan_2024_report(demo):
    tx = DistrictUnion.objects.get(code="TX")
    client = client_for("thanhpho")
    page = client.get(f"/tien-do/don-vi/{tx.pk}/?year=2024").content.decode()
    assert "export=pdf" in page and "export=docx" in page

    response = client.get(f"/tien-do/don-vi/{tx.pk}/?year=2024&period=nam&export=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-TX-2024-nam.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "LĐLĐ THÀNH PHỐ HÀ NỘI" in text and "LĐLĐ QUẬN THANH XUÂN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert (
        "Số:" in text and "/BC-TX" in text and re.search(r"Hà Nội, ngày \d\d tháng \d\d năm", text)
    )
    assert "BÁO CÁO" in text and "thành lập công đoàn cơ sở năm 2024" in text
    # The first row of the table: new members achieved / target / percentage.
    first = re.search(r"1 Kết nạp đoàn viên mới người ([\d.]+) ([\d.]+) (\S+%)", text)
    assert first and first.groups() == ("4.550", "6.500", "70%"), text
    assert re.search(r"Thành lập công đoàn cơ sở mới CĐCS 27 20 135%", text), text
    # It says which figures it shows: the year 2024 is approved (demo/period_reports.py).
    assert "Số liệu đã duyệt: Cán bộ LĐLĐ Thành phố duyệt ngày 05/01/2025" in text
    assert "TM. BAN THƯỜNG VỤ" in text and "CHỦ TỊCH" in text and "Nơi nhận" in text
    assert AccessLog.objects.filter(
        action=AccessLog.Action.EXPORT, what__startswith="Báo cáo"
    ).exists()

    docx = client.get(f"/tien-do/don-vi/{tx.pk}/?year=2024&export=docx")
    assert docx.status_code == 200
    body = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    for expected in ("LĐLĐ QUẬN THANH XUÂN", "4.550", "6.500", "70%", "CHỦ TỊCH", "Nơi nhận:"):
        assert expected in body


@pytest.mark.django_db
def test_the_federation_report_has_a_row_per_unit_and_compares_with_last_year(demo):
    client = client_for("thanhpho")
    response = client.get("/?year=2024&export=pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM" in text and "LĐLĐ THÀNH PHỐ HÀ NỘI" in text
    assert "Kết quả theo đơn vị" in text and "LĐLĐ quận Thanh Xuân 4.550 6.500 70%" in text
    assert "Cộng các đơn vị" in text
    assert "Cùng kỳ năm trước" in text


@pytest.mark.django_db
def test_an_officer_gets_no_report_of_another_unit(demo):
    cau_giay = DistrictUnion.objects.get(code="CG")
    response = client_for("thanhxuan").get(f"/tien-do/don-vi/{cau_giay.pk}/?year=2024&export=pdf")
    assert response.status_code == 404
