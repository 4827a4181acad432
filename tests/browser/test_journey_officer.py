"""Journey (a): a district officer founds a CĐCS, admits members one after another
("Lưu và kết nạp tiếp"), then finds one of them by typing the name without accents."""

import pytest
from django.utils import timezone

from grassroots.models import GrassrootsUnion, UserRole
from members.models import Member
from tests.factories import DistrictUnionFactory, FederationFactory, make_user

TODAY = timezone.localdate().strftime("%d/%m/%Y")


@pytest.fixture
def officer(transactional_db):
    federation = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    unit = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=federation)
    # Another unit's officer exists too: nothing of theirs may show up.
    DistrictUnionFactory(code="CG", name="LĐLĐ quận Cầu Giấy", federation=federation)
    make_user("canbo_tx", UserRole.Role.DISTRICT_OFFICER, unit)
    return unit


def _admit(page, *, name, gender, cccd, grassroots, then):
    page.fill("#id_full_name", name)
    page.check(f"input[name=gender][value={gender}]")
    page.fill("#id_birth_date", "05/03/1990")
    page.fill("#id_cccd", cccd)
    page.select_option("#id_grassroots", value=str(grassroots.pk))
    page.fill("#id_joined_on", TODAY)
    page.click(then)
    page.wait_for_load_state("load")


def test_officer_founds_a_grassroots_union_and_admits_members(page, officer):
    page.login("canbo_tx")

    # Found the CĐCS from the register's list page.
    page.open("/cdcs/")
    page.click("#btn-grassroots-create")
    page.fill("#id_name", "Công đoàn Công ty TNHH Hoà Bình")
    page.fill("#id_code", "TX-HB01")
    page.fill("#id_tax_code", "0101234567")
    page.select_option("#id_sector", label="Doanh nghiệp ngoài nhà nước")
    page.fill("#id_workers", "40")
    page.fill("#id_founded_on", TODAY)
    page.click("#btn-save")
    page.wait_for_load_state("load")
    assert "Công đoàn Công ty TNHH Hoà Bình" in page.text()
    grassroots = GrassrootsUnion.objects.get(code="TX-HB01")
    assert grassroots.district_union == officer
    assert page.url.endswith(f"/cdcs/{grassroots.pk}/")

    # Admit two members: the first with "save and admit another", the second with "save".
    page.open("/doan-vien/")
    page.click("#btn-member-create")
    _admit(
        page,
        name="Nguyễn Thị Hoà",
        gender="female",
        cccd="001190000101",
        grassroots=grassroots,
        then="#btn-save-next",
    )
    assert "/doan-vien/ket-nap/" in page.url  # a blank form for the next one
    assert "Nguyễn Thị Hoà" in page.inner_text("#previous-member")
    assert page.input_value("#id_full_name") == ""
    _admit(
        page,
        name="Trần Văn Đức",
        gender="male",
        cccd="001090000102",
        grassroots=grassroots,
        then="#btn-save",
    )
    assert "Trần Văn Đức" in page.text()
    assert set(Member.objects.values_list("full_name", flat=True)) == {
        "Nguyễn Thị Hoà",
        "Trần Văn Đức",
    }

    # Find her again by typing without accents (and in lower case).
    page.open("/doan-vien/")
    page.fill("#member-filter input[name=q]", "nguyen thi hoa")
    page.click("#btn-search")
    page.wait_for_load_state("load")
    table = page.inner_text("#member-table")
    assert "Nguyễn Thị Hoà" in table
    assert "Trần Văn Đức" not in table
    page.click("#member-table >> text=Nguyễn Thị Hoà")
    page.wait_for_load_state("load")
    assert "001190000101" in page.text() or "0011******01" in page.text()
    assert page.csp_violations() == []
