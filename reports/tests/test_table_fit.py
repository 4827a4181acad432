"""The federation table fits the screen: short names, and no rows for units outside the period."""

from datetime import date

import pytest

from reports.periods import Period
from reports.selectors import federation_dashboard
from reports.tests.conftest import table_rows
from tests.factories import DistrictUnionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def test_no_row_of_zeros_for_a_unit_that_did_not_exist_in_the_period(counted, login):
    DistrictUnionFactory(
        code="LATER",
        name="LĐLĐ quận Sau Này",
        federation=counted.federation,
        founded_on=date(2025, 3, 1),
    )
    DistrictUnionFactory(
        code="GONE",
        name="LĐLĐ quận Đã Giải Thể",
        federation=counted.federation,
        founded_on=date(2010, 1, 1),
        ended_on=date(2023, 6, 30),
    )
    codes = [
        r.code for r in federation_dashboard(counted.federation, Period(2024, "nam"), TODAY).rows
    ]
    assert "LATER" not in codes and "GONE" not in codes
    assert "LATER" in [
        r.code for r in federation_dashboard(counted.federation, Period(2025, "nam"), TODAY).rows
    ]
    html = login(counted.staff).get("/?year=2024").content.decode()
    assert "Sau Này" not in html and "Đã Giải Thể" not in html


def test_a_stored_short_name_is_shown_and_the_export_keeps_the_full_name(counted, login):
    counted.a.short_name = "An Khánh"
    counted.a.save()
    client = login(counted.staff)
    html = client.get("/?year=2024").content.decode()
    assert "An Khánh" in table_rows(html, "progress-table")
    assert 'title="LĐLĐ quận An Khánh">An Khánh</a>' in html
    # The header row and the unit column stick (the table scrolls in its own box).
    assert 'class="table-responsive progress-scroll"' in html
    assert '<th scope="row" class="unit-cell">' in html


def test_the_unit_dashboard_pages_its_cdcs_table(counted, login):
    from tests.factories import GrassrootsFactory

    for n in range(25):
        GrassrootsFactory(district_union=counted.b, founded_on=date(2020, 1, 1), name=f"CĐCS {n}")
    client = login(counted.staff)
    url = f"/tien-do/don-vi/{counted.b.pk}/?year=2024&period=nam"
    html = client.get(url).content.decode()
    assert "Công đoàn cơ sở trực thuộc trong kỳ (26)" in html  # g_b and the 25 new ones
    assert len(table_rows(html, "progress-grassroots")) == 1 + 25  # header + one page
    assert 'name="cdcs_page"' in html and "Đến trang" in html
    assert 'href="?year=2024&amp;period=nam&amp;cdcs_page=2#cdcs"' in html
    second = client.get(f"{url}&cdcs_page=2").content.decode()
    assert len(table_rows(second, "progress-grassroots")) == 1 + 1
    # The jump form keeps the period.
    assert '<input type="hidden" name="year" value="2024">' in second
