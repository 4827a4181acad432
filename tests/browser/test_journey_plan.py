"""Journey: Hà Nội's federation staff upload a restructuring plan with mistakes, see every one
(nothing written), upload the fixed plan, review the preview, apply it, then undo it from the
history of applied plans."""

from datetime import date
from pathlib import Path

import pytest

from grassroots.models import GrassrootsUnion, Restructuring, UserRole
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    make_user,
)

HEADER = "Mã CĐCS,Mã đơn vị cấp trên mới,Ngày hiệu lực,Số quyết định,Ngày quyết định\n"


@pytest.fixture
def hanoi(transactional_db):
    hn = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    tx = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=hn)
    DistrictUnionFactory(
        code="PTX", name="Công đoàn phường Thanh Xuân", kind="commune", federation=hn
    )
    for code in ("CS-TX-01", "CS-TX-02"):
        g = GrassrootsFactory(district_union=tx, code=code, founded_on=date(2020, 1, 1))
        MemberFactory(grassroots=g, joined_on=date(2021, 3, 1))
    make_user("thanhpho", UserRole.Role.FEDERATION_STAFF, hn)


def _upload(page, path: Path):
    page.open("/phuong-an-sap-xep/")
    page.set_input_files("#id_file", str(path))
    page.click("#btn-upload")
    page.wait_for_load_state("load")


def test_staff_apply_a_fixed_plan_then_undo_it(page, hanoi, tmp_path):
    page.login("thanhpho")
    page.click("text=Phương án sắp xếp")
    page.wait_for_load_state("load")
    assert "/phuong-an-sap-xep/" in page.url

    bad = tmp_path / "phuong-an.csv"
    bad.write_text(
        HEADER
        + "CS-TX-01,PTX,01/10/2025,125/QĐ-LĐLĐ,15/09/2025\n"
        + "CS-TX-99,PTX,01/10/2025,125/QĐ-LĐLĐ,15/09/2025\n"
        + "CS-TX-02,PXX,01/10/2025,125/QĐ-LĐLĐ,15/09/2025\n",
        encoding="utf-8",
    )
    _upload(page, bad)
    assert "chưa ghi gì" in page.inner_text("#plan-invalid")
    rows = page.locator("#plan-errors tbody tr")
    assert rows.count() == 2
    text = page.inner_text("#plan-errors")
    assert "CS-TX-99" in text and "PXX" in text
    assert not Restructuring.objects.exists()

    good = tmp_path / "phuong-an-sua.csv"
    good.write_text(
        HEADER
        + "CS-TX-01,PTX,01/10/2025,125/QĐ-LĐLĐ,15/09/2025\n"
        + "CS-TX-02,PTX,01/10/2025,125/QĐ-LĐLĐ,15/09/2025\n",
        encoding="utf-8",
    )
    _upload(page, good)
    assert "2 CĐCS chuyển" in page.inner_text("#plan-ready")
    preview = page.inner_text("#plan-preview")
    assert "Công đoàn phường Thanh Xuân" in preview and "LĐLĐ quận Thanh Xuân" in preview
    page.click("#btn-confirm")
    page.wait_for_load_state("load")
    assert "Đã áp dụng phương án: chuyển 2 CĐCS." in page.inner_text("#plan-done")
    assert set(GrassrootsUnion.objects.values_list("district_union__code", flat=True)) == {"PTX"}

    page.click("#link-undo")
    page.wait_for_load_state("load")
    page.click("#btn-undo")
    page.wait_for_load_state("load")
    assert "Đã hoàn tác phương án 125/QĐ-LĐLĐ" in page.text()
    assert "Đã hoàn tác" in page.inner_text("#plan-records")
    assert set(GrassrootsUnion.objects.values_list("district_union__code", flat=True)) == {"TX"}
    assert page.csp_violations() == []
