"""Declared indicators beyond the first three: targets, figures, pages, exports, query counts."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from grassroots.indicators import Counting, Indicator, declared, indicator_codes
from grassroots.models import UserRole
from reports.exports import progress_line
from reports.models import ReportedFigure
from reports.periods import Period
from reports.selectors import federation_dashboard, national_dashboard
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    TargetFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

TRAINED = Indicator("trainees_reported", "Cán bộ CĐCS được tập huấn", "cán bộ", Counting.REPORTED)
# Seven reported indicators: with the first three, ten.
SEVEN = [
    TRAINED,
    *(
        Indicator(f"reported_{n}", f"Chỉ số báo cáo {n}", "lượt", Counting.REPORTED)
        for n in range(2, 8)
    ),
]
# A target for a further indicator only (none for the first three).
ONLY = dict.fromkeys(("new_members", "new_grassroots", "new_grassroots_25plus"))


@pytest.fixture
def trained():
    with declared(TRAINED):
        yield TRAINED


def test_the_first_three_are_declared_in_their_historical_order():
    assert indicator_codes() == ("new_members", "new_grassroots", "new_grassroots_25plus")
    with declared(*SEVEN):
        assert len(indicator_codes()) == 10
        assert indicator_codes()[3] == "trainees_reported"
    assert len(indicator_codes()) == 3  # declared only for the block


def test_a_reported_indicator_counts_the_months_of_the_period(counted, trained):
    TargetFactory(district_union=counted.b, year=2024, **ONLY, figures={"trainees_reported": 100})
    for month, value in ((date(2023, 12, 1), 50), (date(2024, 3, 1), 40), (date(2024, 9, 1), 51)):
        ReportedFigure.objects.create(
            district_union=counted.b, indicator="trainees_reported", month=month, value=value
        )
    rows = {
        r.code: r
        for r in federation_dashboard(
            counted.federation, Period(2024, "nam"), date(2026, 1, 1)
        ).rows
    }
    progress = rows["B"].progress("trainees_reported")
    assert (progress.achieved, progress.target, progress.percent_text) == (91, 100, "91%")
    # The first three are what they were.
    assert rows["B"].new_members.fraction_text("đoàn viên") == "2 đoàn viên"
    assert progress_line(rows["B"]).endswith("cán bộ CĐCS được tập huấn 91/100 cán bộ (91%)")
    half = {
        r.code: r
        for r in federation_dashboard(
            counted.federation, Period(2024, "6-thang"), date(2026, 1, 1)
        ).rows
    }
    assert half["B"].progress("trainees_reported").achieved == 40


def test_federation_page_shows_a_further_indicator_after_the_historical_columns(
    counted, trained, login
):
    TargetFactory(district_union=counted.b, year=2024, **ONLY, figures={"trainees_reported": 1058})
    ReportedFigure.objects.create(
        district_union=counted.b, indicator="trainees_reported", month=date(2024, 5, 1), value=963
    )
    html = login(counted.staff).get("/?year=2024").content.decode()
    assert "Cán bộ CĐCS được tập huấn" in html
    assert ">963<" in html and "1.058" in html and "91,02%" in html
    sorted_page = login(counted.staff).get("/?year=2024&sort=-pct_trainees_reported")
    assert "Không có cột" not in sorted_page.content.decode()


def test_progress_report_csv_keeps_its_columns_and_adds_the_further_ones_after(counted, trained):
    TargetFactory(district_union=counted.b, year=2024, **ONLY, figures={"trainees_reported": 10})
    ReportedFigure.objects.create(
        district_union=counted.b, indicator="trainees_reported", month=date(2024, 5, 1), value=9
    )
    out = StringIO()
    call_command("progress_report", "--year", "2024", "--unit", "B", "--format", "csv", stdout=out)
    header, line = out.getvalue().splitlines()
    assert header == (
        "unit_code,unit_name,new_members,target_new_members,pct_new_members,new_grassroots,"
        "target_new_grassroots,pct_new_grassroots,new_grassroots_25plus,"
        "target_new_grassroots_25plus,pct_new_grassroots_25plus,members_total,grassroots_total,"
        "trainees_reported,target_trainees_reported,pct_trainees_reported"
    )
    assert line == "B,LĐLĐ quận Bình Minh,2,,,0,,,0,,,2,1,9,10,90.00"


def test_national_dashboard_sums_a_further_indicator_per_federation(counted, trained):
    for unit, value in ((counted.a, 3), (counted.b, 4), (counted.c, 5)):
        ReportedFigure.objects.create(
            district_union=unit, indicator="trainees_reported", month=date(2024, 2, 1), value=value
        )
    dashboard = national_dashboard(
        [counted.federation, counted.other_federation], Period(2024, "nam"), date(2026, 1, 1)
    )
    by_code = {r.code: r.figures.of("trainees_reported") for r in dashboard.rows}
    assert by_code == {"HN": 7, "HP": 5}
    assert dashboard.total.figures.of("trainees_reported") == 12


# --- query counts: constant in units and in indicators ------------------------------------


def _federation(units: int):
    federation = FederationFactory()
    TargetFactory(federation=federation, year=2024)
    for n in range(units):
        unit = DistrictUnionFactory(federation=federation)
        TargetFactory(district_union=unit, year=2024, figures={i.code: 10 + n for i in SEVEN})
        g = GrassrootsFactory(district_union=unit, founded_on=date(2024, 2, 1))
        MemberFactory(grassroots=g, joined_on=date(2024, 3, 1 + n % 28))
        for i in SEVEN:
            ReportedFigure.objects.create(
                district_union=unit, indicator=i.code, month=date(2024, 4, 1), value=n + 1
            )
    return federation


@pytest.mark.parametrize("units", [1, 25])
def test_federation_dashboard_queries_at_3_4_and_10_indicators(units, django_assert_num_queries):
    federation = _federation(units)
    period, today = Period(2024, "nam"), date(2026, 1, 1)
    # 1. the units, 2. every target of every indicator, 3-4. the day rows (first three).
    with django_assert_num_queries(4):
        federation_dashboard(federation, period, today)
    # + 5. the reported figures of every reported indicator, grouped per unit and month.
    with declared(TRAINED), django_assert_num_queries(5):
        federation_dashboard(federation, period, today)
    with declared(*SEVEN), django_assert_num_queries(5):
        dashboard = federation_dashboard(federation, period, today)
    assert len(dashboard.rows) == units
    assert dashboard.units_total.figures.of("reported_7") == units * (units + 1) // 2
    assert dashboard.rows[0].progress("reported_7").target is not None


def test_federation_page_queries_at_3_and_10_indicators(client, django_assert_num_queries):
    counts = {}
    for units in (1, 25):
        federation = _federation(units)
        staff = make_user(f"staff{units}", UserRole.Role.FEDERATION_STAFF, federation)
        client.force_login(staff)
        client.get("/?year=2024")
        # (12 and the federation's campaigns for the period choices)
        with django_assert_num_queries(13):
            client.get("/?year=2024")
        # The page's 13 and the reported figures (1), for seven further indicators.
        with declared(*SEVEN), django_assert_num_queries(14) as captured:
            response = client.get("/?year=2024")
        assert "Chỉ số báo cáo 7" in response.content.decode()
        counts[units] = len(captured.captured_queries)
    assert counts[1] == counts[25]
