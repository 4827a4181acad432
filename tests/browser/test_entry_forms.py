"""Issue 13, the entry forms in a real browser: a CĐCS picked by typing its code or name (htmx,
and the same page without JavaScript), and a date picked on a calendar that still shows and
sends dd/mm/yyyy."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.models import UserRole
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    make_user,
)

from .conftest import DESKTOP, PHONE, Page


@pytest.fixture
def unit_with_schools(transactional_db):
    federation = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    unit = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=federation)
    other = DistrictUnionFactory(code="CG", name="LĐLĐ quận Cầu Giấy", federation=federation)
    schools = [
        GrassrootsFactory(
            district_union=unit,
            name=f"Công đoàn Trường Tiểu học số {i}",
            code=f"TH{i:02d}",
            founded_on=date(2019, 1, 1),
        )
        for i in range(1, 8)
    ]
    GrassrootsFactory(
        district_union=other,
        name="Công đoàn Trường Tiểu học Cầu Giấy",
        code="CGTH",
        founded_on=date(2019, 1, 1),
    )
    make_user("canbo_tx", UserRole.Role.DISTRICT_OFFICER, unit)
    member = MemberFactory(
        grassroots=schools[0], full_name="Lê Thị Mai", joined_on=date(2020, 1, 1)
    )
    return schools, member


def _options(page) -> list[str]:
    return page.eval_on_selector_all(
        "#id_to_grassroots option", "els => els.map(e => e.textContent.trim())"
    )


def test_transfer_picks_the_cdcs_by_typing_with_htmx(page, unit_with_schools):
    schools, member = unit_with_schools
    page.login("canbo_tx")
    page.open(f"/doan-vien/{member.pk}/chuyen/")
    assert len(_options(page)) == 1 + 6  # the other schools of the unit, not its own
    page.fill("#id_cdcs_q", "th05 tieu hoc")  # without accents, name and code
    expect(page.locator("#id_to_grassroots option")).to_have_count(2)
    assert _options(page) == ["– Chọn CĐCS –", "Công đoàn Trường Tiểu học số 5 (TH05)"]
    assert page.input_value("#id_to_grassroots") == str(schools[4].pk)  # the one match chosen
    assert "1 CĐCS khớp" in page.inner_text("#cdcs-search-note")
    # another unit's school never comes back
    page.fill("#id_cdcs_q", "cau giay")
    expect(page.locator("#id_to_grassroots option")).to_have_count(1)
    assert "Không có CĐCS nào khớp" in page.inner_text("#cdcs-search-note")
    page.fill("#id_cdcs_q", "TH05")
    expect(page.locator("#id_to_grassroots option")).to_have_count(2)
    # Enter in the date box saves (it does not search again)
    page.focus("#id_on")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/doan-vien/{member.pk}/")
    member.refresh_from_db()
    assert member.grassroots == schools[4]
    assert member.placements.get(end_on__isnull=True).start_on == timezone.localdate()
    assert not page.csp_violations()


def test_transfer_search_works_without_javascript(browser, live_server, unit_with_schools):
    schools, member = unit_with_schools
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", java_script_enabled=False)
    page = Page(context.new_page(), live_server.url)
    try:
        page.login("canbo_tx")
        page.open(f"/doan-vien/{member.pk}/chuyen/")
        page.fill("#id_on", "05/03/2024")
        page.fill("#id_cdcs_q", "th03")
        page.click("[data-cdcs-search-button]")
        page.wait_for_load_state("load")
        assert _options(page) == ["– Chọn CĐCS –", "Công đoàn Trường Tiểu học số 3 (TH03)"]
        assert page.input_value("#id_on") == "05/03/2024"  # the typed date is kept
        member.refresh_from_db()
        assert member.grassroots == schools[0]  # nothing saved by a search
        page.click("#btn-save")
        page.wait_for_load_state("load")
        member.refresh_from_db()
        assert member.grassroots == schools[2]
        assert member.placements.get(end_on__isnull=True).start_on == date(2024, 3, 5)
    finally:
        context.close()


def test_leave_date_is_today_and_can_be_picked_on_a_calendar(
    browser, live_server, unit_with_schools
):
    _, member = unit_with_schools
    context = browser.new_context(
        viewport=PHONE,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        is_mobile=True,
        has_touch=True,
    )
    page = Page(context.new_page(), live_server.url)
    try:
        page.login("canbo_tx")
        page.open(f"/doan-vien/{member.pk}/ra-khoi/")
        today = timezone.localdate()
        assert page.input_value("#id_on") == today.strftime("%d/%m/%Y")
        calendar = page.locator("#id_on + label.vn-date-pick input[type=date]")
        assert calendar.input_value() == today.isoformat()
        assert calendar.get_attribute("name") is None  # only the text box is sent
        calendar.fill("2024-03-05")  # what the phone's picker sets
        assert page.input_value("#id_on") == "05/03/2024"
        page.fill("#id_on", "07/04/2024")  # typing still works, and moves the calendar
        assert calendar.input_value() == "2024-04-07"
        page.select_option("#id_reason", index=1)
        page.click("#btn-save")
        page.wait_for_load_state("load")
        member.refresh_from_db()
        assert member.left_on == date(2024, 4, 7)
        assert page.horizontal_overflow() <= 0
    finally:
        context.close()
