"""The dashboards' campaign period (`period=dot-<id>`): the figures of the campaign's own days
against the campaign's own targets, time-aware over the campaign's days; drill-down lists,
exports and sentences of the window; "chưa giao" for a unit without a campaign target."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from grassroots.models import Campaign, CampaignTarget, UserRole
from reports.drilldown import DrillKind, drill_queryset
from reports.periods import CampaignWindow, Period
from reports.progress import Band
from reports.selectors import district_dashboard, federation_dashboard
from reports.tests.conftest import table_rows
from reports.tests.test_access_and_queries import _federation
from tests.factories import DistrictUnionFactory, MemberFactory, TargetFactory, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def _peak(counted) -> Campaign:
    """15/06-15/07/2024: A admits the members of 30/06 and 01/07/2024 and founds jun30 (10
    workers) and jul1 (50 workers); B admits nobody."""
    campaign = Campaign.objects.create(
        federation=counted.federation,
        name="Tháng cao điểm phát triển đoàn viên 2024",
        start_on=date(2024, 6, 15),
        end_on=date(2024, 7, 15),
    )
    for unit, federation, code, value in (
        (counted.a, None, "new_members", 4),
        (counted.a, None, "new_grassroots", 1),
        (None, counted.federation, "new_members", 8),
    ):
        CampaignTarget.objects.create(
            campaign=campaign,
            district_union=unit,
            federation=federation,
            indicator=code,
            value=value,
        )
    return campaign


def _period(campaign: Campaign, as_of=None) -> Period:
    window = CampaignWindow(
        campaign.pk, campaign.name, campaign.start_on, campaign.end_on, campaign.federation_id
    )
    return Period(2024, f"dot-{campaign.pk}", as_of, campaign=window)


def test_a_campaign_is_measured_over_its_days_against_its_own_targets(counted):
    dashboard = federation_dashboard(counted.federation, _period(_peak(counted)), TODAY)
    a = next(r for r in dashboard.rows if r.code == "A")
    b = next(r for r in dashboard.rows if r.code == "B")
    assert (a.figures.new_members, a.figures.new_grassroots, a.figures.new_grassroots_25plus) == (
        2,
        2,
        1,
    )
    # 2/4 (the campaign's target, not the year's 10) and 2/1.
    assert a.new_members.target == 4 and a.new_members.percent_text == "50%"
    assert a.new_grassroots.percent_text == "200%" and a.new_grassroots.band is Band.DONE
    # No campaign target: "chưa giao", not 0% (A has one for the year, not for this).
    assert a.new_grassroots_25plus.band is Band.NO_TARGET
    assert b.new_members.band is Band.NO_TARGET and b.new_members.percent_text == "–"
    assert dashboard.federation_total.new_members.target == 8
    assert dashboard.federation_total.new_members.percent_text == "25%"
    assert a.share == 1  # the campaign is over


def test_the_colour_bands_follow_the_campaigns_elapsed_days(counted):
    campaign = _peak(counted)
    # On 30/06/2024: 16 of the campaign's 31 days, whatever the year's 366.
    on = date(2024, 6, 30)
    dashboard = federation_dashboard(counted.federation, _period(campaign, as_of=on), on)
    a = next(r for r in dashboard.rows if r.code == "A")
    assert a.share == Decimal(16) / Decimal(31)
    assert a.figures.new_members == 1  # 30/06 only: the figures up to that day
    # 1/4 = 25% against an expected 4 × 16/31 ≈ 2,06: behind.
    assert a.new_members.band is Band.BEHIND


def test_the_drill_down_lists_the_window_only(counted):
    period = _period(_peak(counted))
    rows = drill_queryset(DrillKind.NEW_MEMBERS, [counted.a.pk], period, today=TODAY)
    assert rows.count() == 2  # the admissions of 30/06 and 01/07/2024
    year = drill_queryset(DrillKind.NEW_MEMBERS, [counted.a.pk], Period(2024, "nam"), today=TODAY)
    assert year.count() == 5


def test_the_pages_offer_the_campaign_and_show_it(counted, login):
    campaign = _peak(counted)
    client = login(counted.staff)
    year = client.get("/?year=2024").content.decode()
    assert f'<option value="dot-{campaign.pk}">' in year  # a period choice
    page = client.get(f"/?period=dot-{campaign.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    label = "Tháng cao điểm phát triển đoàn viên 2024 (từ 15/06/2024 đến 15/07/2024)"
    assert label in html
    assert f'<option value="dot-{campaign.pk}" selected>' in html
    rows = table_rows(html, "progress-table")
    assert rows[counted.a.short_label][:2] == ["2", "4"]  # achieved, the campaign's target
    assert "Chưa giao chỉ tiêu" in html
    # The unit page and its export: the same window and target.
    unit = client.get(f"/tien-do/don-vi/{counted.a.pk}/?period=dot-{campaign.pk}")
    assert unit.status_code == 200 and label in unit.content.decode()
    xlsx = client.get(f"/?period=dot-{campaign.pk}&export=xlsx")
    assert xlsx.status_code == 200
    assert f"-dot-{campaign.pk}.xlsx" in xlsx["Content-Disposition"]
    sheet = openpyxl.load_workbook(BytesIO(xlsx.content)).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any(label in c for c in cells)
    text = client.get(f"/?period=dot-{campaign.pk}&export=txt").content.decode()
    assert "tháng cao điểm phát triển đoàn viên 2024 (từ 15/06/2024 đến 15/07/2024)" in text
    assert "kết nạp được 2/8 đoàn viên" in text  # against the federation's campaign target
    # An officer of the federation sees it too; the other federation's staff do not.
    assert login(counted.officer_a).get(f"/?period=dot-{campaign.pk}").status_code == 200
    assert login(counted.other_staff).get(f"/?period=dot-{campaign.pk}").status_code == 404


def test_an_as_of_day_before_the_campaign_is_a_clear_error(counted, login):
    campaign = _peak(counted)
    page = login(counted.staff).get(f"/?period=dot-{campaign.pk}&as_of=01/06/2024")
    assert page.status_code == 400
    assert "ở trước kỳ «Tháng cao điểm phát triển đoàn viên 2024»" in page.content.decode()


def test_the_unit_page_keeps_the_years_targets_for_its_year_long_tables(counted):
    campaign = _peak(counted)
    dashboard = district_dashboard(counted.a, _period(campaign), TODAY)
    assert dashboard.row.targets.new_members == 4  # the campaign's
    assert dashboard.months[0].target == 10  # the year's, for the month chart
    assert dashboard.quarters[0].cumulative.targets.new_members == 10


# --- query counts -----------------------------------------------------------------------


def _with_campaign(federation) -> Campaign:
    campaign = Campaign.objects.create(
        federation=federation,
        name="Tháng Công nhân 2024",
        start_on=date(2024, 5, 1),
        end_on=date(2024, 5, 31),
    )
    CampaignTarget.objects.bulk_create(
        CampaignTarget(campaign=campaign, district_union=u, indicator="new_members", value=3)
        for u in federation.district_unions.all()
    )
    return campaign


@pytest.mark.parametrize("units", [1, 25])
def test_campaign_selector_queries(units, django_assert_num_queries):
    federation = _federation(units)
    period = _period(_with_campaign(federation))
    # 1. the units, 2. the campaign's targets (units' and the federation's own),
    # 3-4. the day rows on 30/04/2024 and 31/05/2024: as for any period.
    with django_assert_num_queries(4):
        dashboard = federation_dashboard(federation, period, date(2026, 1, 1))
    assert len(dashboard.rows) == units
    assert all(row.targets.new_members == 3 for row in dashboard.rows)


def test_campaign_page_queries_do_not_grow_with_units(client, django_assert_num_queries):
    counts = {}
    for units in (1, 25):
        federation = _federation(units)
        campaign = _with_campaign(federation)
        client.force_login(make_user(f"staff{units}", UserRole.Role.FEDERATION_STAFF, federation))
        url = f"/?period=dot-{campaign.pk}"
        client.get(url)
        # session, user, role, federations; the federation's campaigns (the period choices,
        # which also name the chosen one); the 4 of the selector; the closed books of the
        # period; the session save (3): the annual page's 13.
        with django_assert_num_queries(13) as captured:
            response = client.get(url)
        assert len(response.context["lines"]) == units
        counts[units] = len(captured.captured_queries)
    assert counts[1] == counts[25]


def test_campaign_unit_dashboard_queries(django_assert_num_queries):
    unit = DistrictUnionFactory()
    TargetFactory(district_union=unit, year=2024)
    MemberFactory(grassroots__district_union=unit, joined_on=date(2024, 5, 5))
    period = _period(_with_campaign(unit.federation))
    # The annual 8 and the year's targets for the quarter table and the month chart.
    with django_assert_num_queries(9):
        dashboard = district_dashboard(unit, period, date(2026, 1, 1))
    assert dashboard.row.figures.new_members == 1 and dashboard.row.targets.new_members == 3


def test_the_report_form_and_the_workbook_name_the_campaigns_target(counted, login):
    campaign = _peak(counted)
    client = login(counted.staff)
    docx = client.get(f"/?period=dot-{campaign.pk}&export=docx")
    assert docx.status_code == 200
    from docx import Document

    document = Document(BytesIO(docx.content))
    all_text = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Chỉ tiêu của đợt" in all_text
    assert "Chỉ tiêu năm" not in all_text
    sheet = openpyxl.load_workbook(
        BytesIO(client.get(f"/?period=dot-{campaign.pk}&export=xlsx").content)
    ).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("chỉ tiêu của đợt thi đua" in c for c in cells)
