"""Journey (b): federation staff open the dashboard, drill down from a number to the list
behind it, go back and download the table as .xlsx (its contents checked with openpyxl)."""

from datetime import date
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from grassroots.models import UserRole
from members.models import AccessLog
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    TargetFactory,
    make_user,
)

YEAR = timezone.localdate().year
NEW_IN_TX = ["Nguyễn Văn An", "Lê Thị Bích", "Phạm Quốc Cường"]


@pytest.fixture
def federation(transactional_db):
    hn = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    tx = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=hn)
    cg = DistrictUnionFactory(code="CG", name="LĐLĐ quận Cầu Giấy", federation=hn)
    TargetFactory(district_union=tx, year=YEAR, new_members=10, new_grassroots=2)
    TargetFactory(district_union=cg, year=YEAR, new_members=20, new_grassroots=4)
    g_tx = GrassrootsFactory(
        district_union=tx, name="Công đoàn Công ty Cổ phần Sông Hồng", founded_on=date(YEAR, 1, 1)
    )
    g_cg = GrassrootsFactory(
        district_union=cg, name="Công đoàn Trường Tiểu học Dịch Vọng", founded_on=date(YEAR, 1, 1)
    )
    for day, name in enumerate(NEW_IN_TX, start=1):
        MemberFactory(grassroots=g_tx, full_name=name, joined_on=date(YEAR, 1, day))
    MemberFactory(grassroots=g_cg, full_name="Đỗ Thị Dung", joined_on=date(YEAR, 1, 1))
    make_user("vanphong", UserRole.Role.FEDERATION_STAFF, hn)
    return {"hn": hn, "tx": tx, "cg": cg}


def _row_of(sheet, text: str) -> list:
    for row in sheet.iter_rows(values_only=True):
        if any(isinstance(cell, str) and text in cell for cell in row):
            return list(row)
    return []


def test_federation_staff_drill_down_and_download(page, federation):
    tx = federation["tx"]
    page.login("vanphong")
    text = page.text()
    assert "LĐLĐ thành phố Hà Nội" in text
    assert "LĐLĐ quận Thanh Xuân" in text and "LĐLĐ quận Cầu Giấy" in text

    # Click the number of new members of Thanh Xuân: the list of those three people.
    link = page.locator(f'a[href*="/tien-do/chi-tiet/doan-vien-moi/"][href*="unit={tx.pk}"]').first
    assert link.inner_text().strip() == "3"
    link.click()
    page.wait_for_load_state("load")
    assert page.inner_text(".drill-count").strip() == "3"
    table = page.inner_text(".drill-table")
    for name in NEW_IN_TX:
        assert name in table
    assert "Đỗ Thị Dung" not in table  # Cầu Giấy's member is not behind Thanh Xuân's number

    # Back to the federation's dashboard, download the Excel table.
    page.go_back()
    page.wait_for_load_state("load")
    with page.expect_download() as info:
        page.click("text=Tải bảng Excel (.xlsx)")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(BytesIO(Path(download.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    tx_row = _row_of(sheet, "LĐLĐ quận Thanh Xuân")
    cg_row = _row_of(sheet, "LĐLĐ quận Cầu Giấy")
    assert tx_row and cg_row, "units missing from the workbook"
    # Numbers stay numbers (not text) so that Excel can add them up.
    assert 3 in tx_row and 10 in tx_row
    assert 1 in cg_row and 20 in cg_row
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 1
    assert page.csp_violations() == []
