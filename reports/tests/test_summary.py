"""The federation summary: headlines of the total, who is behind and who is ahead (time-aware)."""

from decimal import Decimal

import pytest

from reports.progress import Band
from reports.selectors import ProgressRow, Targets, UnitFigures
from reports.summary import progress_summary


def _row(code, new_members, target, share="0.5", grassroots=0, grassroots_target=None):
    return ProgressRow(
        code,
        f"Liên đoàn Lao động quận {code}",
        UnitFigures(new_members=new_members, new_grassroots=grassroots),
        Targets(
            {
                code: value
                for code, value in (("new_members", target), ("new_grassroots", grassroots_target))
                if value is not None
            }
        ),
        Decimal(share),
        unit_id=hash(code) % 1000 + 1,
    )


def test_headlines_are_the_totals_three_indicators_against_the_elapsed_share():
    total = _row("T", 589, 1450, share="0.75")
    summary = progress_summary(total, [])
    assert [h.key for h in summary.headlines] == [
        "new_members",
        "new_grassroots",
        "new_grassroots_25plus",
    ]
    members = summary.headlines[0]
    assert members.progress.text("đoàn viên") == "589/1.450 đoàn viên, 40,62%"
    assert members.bar == Decimal("40.62") and members.expected_pct == Decimal("75.00")
    assert members.progress.band is Band.BEHIND
    assert summary.share_text == "75%"
    assert summary.headlines[1].bar == 0  # no target: an empty bar, `–`


def test_over_100_percent_fills_the_bar_but_the_figure_is_not_capped():
    summary = progress_summary(_row("T", 30, 20), [])
    assert summary.headlines[0].bar == 100
    assert summary.headlines[0].progress.percent_text == "150%"


def test_behind_and_ahead_use_the_units_own_elapsed_share():
    rows = [
        _row("SLOW", 10, 100),  # 10% at half-year: -40 points
        _row("LATE", 30, 100),  # 30%: -20 points
        _row("EVEN", 50, 100),  # on track, lead 0
        _row("FAST", 90, 100),  # +40
        # 30% of its target, but it joined late: only 20% of the year is its own so far.
        _row("NEW", 30, 100, share="0.2"),
        _row("NONE", 99, None),  # no target: in neither list
        # Ahead on members but behind on CĐCS: behind, ranked by its worst indicator.
        _row("MIX", 90, 100, grassroots=0, grassroots_target=4),
    ]
    summary = progress_summary(_row("T", 0, None), rows)
    assert [s.row.code for s in summary.behind] == ["MIX", "SLOW", "LATE"]
    assert summary.behind[0].title == "Thành lập CĐCS mới"
    assert summary.behind[0].text == "thành lập 0/4 CĐCS, 0%"
    assert summary.behind[1].text == "kết nạp 10/100 đoàn viên, 10%"
    assert summary.behind[1].gap_text == "-40 điểm %"
    assert [s.row.code for s in summary.ahead] == ["FAST", "NEW", "EVEN"]
    assert summary.ahead[0].gap_text == "+40 điểm %"


def test_lists_are_short():
    rows = [_row(f"U{n}", n, 100) for n in range(20)]
    summary = progress_summary(_row("T", 0, None), rows)
    assert len(summary.behind) == 5
    assert summary.behind[0].row.code == "U0"


@pytest.mark.django_db
def test_federation_page_leads_with_the_summary(counted, login):
    html = login(counted.staff).get("/?year=2024").content.decode()
    summary = html.index('id="summary-title"')
    assert summary < html.index("progress-table")
    # The federation's own target (20) for members: 7/20, 35%; the year is over, so behind.
    assert "7/20 đoàn viên" in html and "35%" in html
    assert "Thời gian đã qua: <strong>100%</strong>" in html
    # A: 5/10 members at year end is behind; B has no target, in neither list.
    behind = html[html.index("summary-behind") :]
    assert f'data-unit="{counted.a.code}"' in behind.split("</ol>")[0]
    assert "kết nạp 5/10 đoàn viên, 50% (đúng tiến độ: 100%; -50 điểm %)" in behind
