"""`manage.py restructure FILE`: refused whole with every error, the fixed file applies,
re-running it changes nothing, --dry-run writes nothing."""

from datetime import date
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from grassroots.models import Affiliation, DistrictUnion, GrassrootsUnion, Restructuring

HEADER = "Mã CĐCS,Mã đơn vị cấp trên mới,Ngày hiệu lực,Số quyết định\n"


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("restructure", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_plan_with_errors_is_refused_whole_then_the_fixed_file_applies(org, tmp_path):
    a, b = org.grassroots_a.code, org.grassroots_b.code
    bad = tmp_path / "phuong-an.csv"
    bad.write_text(
        HEADER
        + f"{a},CG,01/07/2025,125/QĐ-LĐLĐ\n"
        + "KHONGCO,CG,01/07/2025,125/QĐ-LĐLĐ\n"
        + f"{b},HN,31/02/2025,125/QĐ-LĐLĐ\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        run(bad)
    assert refused.value.returncode == 1
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("restructure", str(bad), stdout=StringIO(), stderr=err)
    # Every error at once: the cell's own (row 4) and the plan's (row 3's unknown CĐCS).
    assert err.getvalue().splitlines() == [
        "row 3, Mã CĐCS: Không có CĐCS mã 'KHONGCO'.",
        "row 4, Ngày hiệu lực: Ngày hiệu lực '31/02/2025' không tồn tại "
        "(tháng 2/2025 không có ngày 31).",
    ]
    bad.write_text(
        HEADER + f"{a},CG,01/07/2025,125/QĐ-LĐLĐ\nKHONGCO,CG,01/07/2025,\n", encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("restructure", str(bad), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == ["row 3, Mã CĐCS: Không có CĐCS mã 'KHONGCO'."]
    assert not Restructuring.objects.exists()
    assert GrassrootsUnion.objects.get(code=a).district_union == org.unit_a

    # Fixed: A's CĐCS to Cầu Giấy, B's directly under the federation (its code HN).
    good = tmp_path / "phuong-an-sua.csv"
    good.write_text(HEADER + f"{a},CG,01/07/2025,125/QĐ-LĐLĐ\n{b},HN,01/07/2025,125/QĐ-LĐLĐ\n")
    out, _ = run(good, "--dry-run")
    assert "Kiểm tra xong (không ghi): 2 dòng: 2 CĐCS chuyển, 0 không đổi" in out
    assert not Restructuring.objects.exists()
    out, _ = run(good)
    assert "Đã áp dụng phương án" in out
    record = Restructuring.objects.get()
    assert (record.decision_number, record.effective_on) == ("125/QĐ-LĐLĐ", date(2025, 7, 1))
    assert GrassrootsUnion.objects.get(code=a).district_union == org.unit_b
    direct = GrassrootsUnion.objects.get(code=b).district_union
    assert direct.kind == DistrictUnion.Kind.DIRECT and direct.federation == org.federation
    affiliations = Affiliation.objects.count()
    out, _ = run(good)
    assert "Không có gì thay đổi: 2 dòng: 0 CĐCS chuyển, 2 không đổi" in out
    assert Affiliation.objects.count() == affiliations and Restructuring.objects.count() == 1


@pytest.mark.django_db
def test_xlsx_plan_and_scope_of_user(org, users, tmp_path):
    path = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã CĐCS", "Mã đơn vị cấp trên mới", "Ngày hiệu lực"])
    sheet.append([org.grassroots_c.code, "LC", date(2025, 7, 1)])
    sheet.append([org.grassroots_a.code, "CG", date(2025, 7, 1)])
    book.save(path)
    err = StringIO()
    # Hà Nội's staff cannot touch Hải Phòng's CĐCS (it is not there for them).
    with pytest.raises(CommandError):
        call_command("restructure", str(path), "--user", "staff", stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"row 2, Mã CĐCS: Không có CĐCS mã '{org.grassroots_c.code}'."
    ]
    assert GrassrootsUnion.objects.get(code=org.grassroots_a.code).district_union == org.unit_a
    out = StringIO()
    sheet.delete_rows(2)
    book.save(path)
    call_command("restructure", str(path), "--user", "staff", stdout=out, stderr=StringIO())
    assert GrassrootsUnion.objects.get(code=org.grassroots_a.code).district_union == org.unit_b
    assert Restructuring.objects.get().created_by == users.staff
