"""Every number on the dashboards against the hand-counted federation of conftest.py."""

from datetime import date
from decimal import Decimal

import pytest

from reports.periods import Period
from reports.progress import Band
from reports.selectors import district_dashboard, federation_dashboard
from reports.tests.conftest import table_rows

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def row_of(dashboard, code):
    return next(row for row in dashboard.rows if row.code == code)


def figures(row):
    f = row.figures
    return (
        f.new_members,
        f.left_members,
        f.new_grassroots,
        f.new_grassroots_25plus,
        f.members_total,
        f.grassroots_total,
    )


def test_federation_dashboard_year_2024(counted):
    dashboard = federation_dashboard(counted.federation, Period(2024, "nam"), TODAY)
    a, b = row_of(dashboard, "A"), row_of(dashboard, "B")
    #                  new  left  CĐCS  25+  members  CĐCS stock
    assert figures(a) == (5, 1, 4, 3, 5, 6)
    assert figures(b) == (2, 0, 0, 0, 2, 1)
    assert a.figures.net_members == 4
    assert [r.code for r in dashboard.rows] == ["A", "B"]  # the other federation's C is not here
    # Against A's targets 10 / 3 / 2; B has none.
    assert (a.new_members.percent_text, a.new_grassroots.percent_text) == ("50%", "133,33%")
    assert a.new_grassroots_25plus.percent_text == "150%"
    assert a.new_members.band is Band.BEHIND and a.new_grassroots.band is Band.DONE
    assert b.new_members.percent_text == "–" and b.new_members.band is Band.NO_TARGET
    # Totals: the units' sum against the sum of unit targets, and against the federation's own.
    total = dashboard.units_total
    assert figures(total) == (7, 1, 4, 3, 7, 7)
    assert total.new_members.target == 10 and total.new_members.percent_text == "70%"
    own = dashboard.federation_total
    assert own.new_members.target == 20 and own.new_members.percent_text == "35%"
    assert own.new_grassroots.percent_text == "–"  # a 0 target is no target


def test_year_boundary_31_12_vs_01_01(counted):
    year_2023 = row_of(federation_dashboard(counted.federation, Period(2023, "nam"), TODAY), "A")
    year_2025 = row_of(federation_dashboard(counted.federation, Period(2025, "nam"), TODAY), "A")
    # 2023: g_old, g_eve founded; the member of 31/12/2023.
    assert figures(year_2023) == (1, 0, 2, 2, 1, 2)
    # 2025: g_next founded and the member of 01/01/2025; g_moved left A on 01/02/2025.
    assert figures(year_2025) == (1, 0, 1, 1, 5, 6)


def test_half_year_boundary_30_06_vs_01_07(counted):
    h1 = row_of(federation_dashboard(counted.federation, Period(2024, "6-thang"), TODAY), "A")
    q3 = row_of(federation_dashboard(counted.federation, Period(2024, "quy-3"), TODAY), "A")
    july = row_of(
        federation_dashboard(counted.federation, Period(2024, "thang-cao-diem"), TODAY), "A"
    )
    # H1: admissions 01/01 and 30/06; g_jan1 (25+) and g_jun30 founded; stock at 30/06.
    assert figures(h1) == (2, 0, 2, 1, 3, 4)
    # Q3: admission 01/07; leaver 01/08; g_jul1 founded; the transfer of 01/09 is no admission.
    assert figures(q3) == (1, 1, 1, 1, 3, 5)
    assert figures(july) == (1, 0, 1, 1, 4, 5)


def test_a_cdcs_moved_after_the_period_stays_in_the_period_unit(counted):
    dashboard = federation_dashboard(counted.federation, Period(2024, "quy-4"), TODAY)
    # g_moved was founded (31/12/2024) and admitted a member while in A: A keeps both
    # (with g_old's member of the same day, 2 admissions).
    assert figures(row_of(dashboard, "A")) == (2, 0, 1, 1, 5, 6)
    assert figures(row_of(dashboard, "B")) == (1, 0, 0, 0, 2, 1)
    # In 2025 the CĐCS and its members are B's from 01/02; its new member counts for B.
    b_2025 = row_of(federation_dashboard(counted.federation, Period(2025, "nam"), TODAY), "B")
    assert figures(b_2025) == (1, 0, 0, 0, 4, 2)


def test_year_to_date_as_of(counted):
    dashboard = federation_dashboard(
        counted.federation, Period(2024, "nam", as_of=date(2024, 6, 30)), TODAY
    )
    a = row_of(dashboard, "A")
    assert figures(a) == (2, 0, 2, 1, 3, 4)
    # 182 of 366 days are over: 2/10 members (20%) is behind, 2/3 CĐCS (66,67%) on track.
    assert dashboard.units_total.share == Decimal(182) / Decimal(366)
    assert a.new_members.band is Band.BEHIND
    assert a.new_grassroots.band is Band.ON_TRACK


def test_sorting_by_any_column(counted):
    by = {
        sort: [
            r.code
            for r in federation_dashboard(counted.federation, Period(2024, "nam"), TODAY, sort).rows
        ]
        for sort in (
            "unit_name",
            "-unit_name",
            "-new_members",
            "new_members",
            "-pct_new_members",
            "pct_new_members",
            "-members_total",
            "grassroots_total",
        )
    }
    assert by["unit_name"] == ["A", "B"] and by["-unit_name"] == ["B", "A"]
    assert by["-new_members"] == ["A", "B"] and by["new_members"] == ["B", "A"]
    # A unit without a target (no percentage) is last whichever the direction.
    assert by["-pct_new_members"] == ["A", "B"] and by["pct_new_members"] == ["A", "B"]
    assert by["-members_total"] == ["A", "B"] and by["grassroots_total"] == ["B", "A"]


def test_district_dashboard_quarters_months_and_cdcs(counted):
    dashboard = district_dashboard(counted.a, Period(2024, "nam"), TODAY)
    assert figures(dashboard.row) == (5, 1, 4, 3, 5, 6)
    quarters = [
        (
            q.figures.new_members,
            q.figures.left_members,
            q.figures.new_grassroots,
            q.figures.new_grassroots_25plus,
            q.figures.members_total,
            q.figures.grassroots_total,
        )
        for q in dashboard.quarters
    ]
    assert quarters == [
        (1, 0, 1, 1, 2, 3),  # Q1: 01/01 admitted; g_jan1 founded
        (1, 0, 1, 0, 3, 4),  # Q2: 30/06 admitted; g_jun30
        (1, 1, 1, 1, 3, 5),  # Q3: 01/07 admitted, 01/08 left; g_jul1
        (2, 0, 1, 1, 5, 6),  # Q4: 31/12 x2; g_moved
    ]
    assert [q.cumulative.new_members.achieved for q in dashboard.quarters] == [1, 2, 3, 5]
    assert dashboard.quarters[1].cumulative.new_members.percent_text == "20%"
    months = {m.month: (m.admitted, m.cumulative) for m in dashboard.months}
    assert months[1] == (1, 1) and months[6] == (1, 2) and months[7] == (1, 3)
    assert months[12] == (2, 5) and len(months) == 12
    assert dashboard.months[-1].expected == 10  # the whole target by 31/12
    lines = {line.grassroots.name: line for line in dashboard.grassroots}
    assert set(lines) == {
        f"Công đoàn {k}" for k in ("old", "eve", "jan1", "jun30", "jul1", "moved")
    }
    assert lines["Công đoàn old"].admitted == 4 and lines["Công đoàn old"].members_at_end == 3
    assert lines["Công đoàn jan1"].members_at_end == 1  # the member transferred in
    assert lines["Công đoàn moved"].founded_here and lines["Công đoàn moved"].counts_25plus
    # The columns add up to the unit's figures.
    assert sum(line.admitted for line in lines.values()) == 5
    assert sum(line.members_at_end or 0 for line in lines.values()) == 5
    assert sum(line.founded_here for line in lines.values()) == 4
    assert sum(line.counts_25plus for line in lines.values()) == 3


def test_district_dashboard_shows_a_cdcs_that_moved_away_during_the_period(counted):
    dashboard = district_dashboard(counted.a, Period(2025, "nam"), TODAY)
    moved = next(line for line in dashboard.grassroots if line.grassroots == counted.g["moved"])
    assert moved.left_unit_on == date(2025, 2, 1)
    assert moved.members_at_end is None and not moved.in_unit_at_end
    assert moved.admitted == 0  # its 01/03/2025 member is B's


def test_district_dashboard_as_of_stops_quarters_and_months(counted):
    dashboard = district_dashboard(counted.a, Period(2024, "nam", as_of=date(2024, 7, 1)), TODAY)
    assert [q.period is not None for q in dashboard.quarters] == [True, True, True, False]
    assert dashboard.quarters[2].figures.new_members == 1  # 01/07 counted, nothing after
    assert [m.month for m in dashboard.months] == [1, 2, 3, 4, 5, 6, 7]


# --- the pages ----------------------------------------------------------------------------


def test_federation_page_shows_every_number(counted, login):
    html = login(counted.staff).get("/?year=2024").content.decode()
    rows = table_rows(html, "progress-table")
    # Short names in the table ("LĐLĐ quận An Khánh" -> "Q. An Khánh"), the full one on hover.
    a = rows["Q. An Khánh"]
    assert 'title="LĐLĐ quận An Khánh">Q. An Khánh</a>' in html
    # Đạt, chỉ tiêu, tỷ lệ x 3; ra khỏi; ròng; đoàn viên; CĐCS.
    assert a[0:2] == ["5", "10"] and "50%" in a[2] and "Chậm tiến độ" in a[2]
    assert a[3:5] == ["4", "3"] and "133,33%" in a[5] and "Đã đạt" in a[5]
    assert a[6:8] == ["3", "2"] and "150%" in a[8]
    assert a[9:] == ["1", "4", "5", "6"]
    # Without the visually hidden band label "(Chưa giao chỉ tiêu)".
    b = [cell.split(" (")[0] for cell in rows["Q. Bình Minh"]]
    assert b == ["2", "–", "–", "0", "–", "–", "0", "–", "–", "0", "2", "2", "1"]
    total = rows["Cộng các đơn vị"]
    assert total[0:2] == ["7", "10"] and "70%" in total[2]
    own = rows["LĐLĐ thành phố Hà Nội (chỉ tiêu của LĐLĐ)"]
    assert own[0:2] == ["7", "20"] and "35%" in own[2]
    assert "LĐLĐ quận Cát Hải" not in html
    assert "Số liệu đến ngày <strong>31/12/2024</strong>" in html
    assert 'href="/tien-do/chi-tiet/doan-vien-moi/?year=2024&amp;period=nam&amp;unit=' in html


def test_federation_page_thousands_and_percent_format(counted, login):
    from grassroots.models import TargetValue

    TargetValue.objects.filter(target__district_union=counted.a, indicator="new_members").update(
        value=6500
    )
    html = login(counted.staff).get("/?year=2024").content.decode()
    a = table_rows(html, "progress-table")["Q. An Khánh"]
    assert a[1] == "6.500" and "0,08%" in a[2]


def test_district_page_shows_every_number(counted, login):
    html = login(counted.officer_a).get("/?year=2024").content.decode()
    # The unit's own page: its full name (one row, no need to shorten).
    assert table_rows(html, "progress-table")["LĐLĐ quận An Khánh"][0:2] == ["5", "10"]
    quarters = table_rows(html, "progress-quarters")
    assert quarters["Quý IV"][0:2] == ["2", "5/10"] and "50%" in quarters["Quý IV"][2]
    assert quarters["Quý II"][-2:] == ["3", "4"]
    months = table_rows(html, "progress-months")
    assert months["Tháng 12"] == ["2", "5", "10", "50%"]
    cdcs = table_rows(html, "progress-grassroots")
    old = next(cells for code, cells in cdcs.items() if cells and cells[0] == "Công đoàn old")
    assert old[3:5] == ["3", "4"]
    # The chart is server-rendered SVG with the same numbers in the table beside it.
    assert "<svg" in html and "<polyline" in html and 'style="' not in html


def test_current_year_bands_use_elapsed_time(counted, login, monkeypatch):
    import reports.views

    monkeypatch.setattr(reports.views, "_today", lambda: date(2024, 3, 31))
    html = login(counted.staff).get("/?year=2024&as_of=31/03/2024").content.decode()
    a = table_rows(html, "progress-table")["Q. An Khánh"]
    # 91 of 366 days (24,86%): 1/10 members is behind, 1/3 CĐCS (33,33%) on track.
    assert "Chậm tiến độ" in a[2] and "Đúng tiến độ" in a[5]
    assert "24,86%" in html


def test_no_inline_styles_or_scripts(counted, login):
    for url in ("/?year=2024", f"/tien-do/don-vi/{counted.a.pk}/?year=2024"):
        html = login(counted.staff).get(url).content.decode()
        assert 'style="' not in html
        assert "<script>" not in html and "<style" not in html
