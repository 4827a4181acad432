"""Reporting periods parsed from what a user types or clicks."""

from datetime import date
from decimal import Decimal

import pytest

from reports.periods import PERIOD_CHOICES, Period, PeriodError, period_parse

TODAY = date(2026, 11, 25)


def parse(**params):
    return period_parse(params, TODAY)


@pytest.mark.parametrize(
    ("params", "start", "end", "label"),
    [
        ({"year": "2024"}, date(2024, 1, 1), date(2024, 12, 31), "Năm 2024"),
        (
            {"year": "2024", "period": "6-thang"},
            date(2024, 1, 1),
            date(2024, 6, 30),
            "6 tháng đầu năm 2024",
        ),
        ({"year": "2024", "period": "quy-1"}, date(2024, 1, 1), date(2024, 3, 31), "Quý I/2024"),
        ({"year": "2024", "period": "quy-3"}, date(2024, 7, 1), date(2024, 9, 30), "Quý III/2024"),
        ({"year": "2024", "period": "quy-4"}, date(2024, 10, 1), date(2024, 12, 31), "Quý IV/2024"),
        (
            {"year": "2024", "period": "thang-2"},
            date(2024, 2, 1),
            date(2024, 2, 29),
            "Tháng 2/2024",
        ),
        (
            {"year": "2024", "period": "thang-cong-nhan"},
            date(2024, 5, 1),
            date(2024, 5, 31),
            "Tháng Công nhân (tháng 5) năm 2024",
        ),
        (
            {"year": "2024", "period": "thang-cao-diem"},
            date(2024, 7, 1),
            date(2024, 7, 31),
            "Tháng cao điểm (tháng 7) năm 2024",
        ),
    ],
)
def test_periods(params, start, end, label):
    period = parse(**params)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_year_to_date_as_of_any_day():
    period = parse(year="2021", as_of="04/04/2021")
    assert (period.start, period.end) == (date(2021, 1, 1), date(2021, 4, 4))
    assert period.label == "Năm 2021, lũy kế từ 01/01/2021 đến ngày 04/04/2021"
    # The year may be left out: it is the as-of day's.
    assert parse(as_of="04/04/2021") == period
    # A date picker's ISO date works too.
    assert parse(as_of="2021-04-04") == period


def test_as_of_after_the_period_keeps_the_whole_period():
    period = parse(year="2024", period="quy-1", as_of="04/04/2024")
    assert period.end == date(2024, 3, 31)
    assert not period.is_cut
    # ... and the year-long views (quarters, months) stop at the as-of day.
    assert period.year_to_date_end == date(2024, 4, 4)


def test_defaults_are_this_year_whole():
    period = parse()
    assert (period.year, period.kind, period.as_of) == (2026, "nam", None)
    assert parse(year="", period="", as_of="") == period


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "Năm «abc» không hợp lệ"),
        ({"year": "1999"}, "từ 2000 đến 2100"),
        ({"year": "2024", "period": "quy-5"}, "Kỳ báo cáo «quy-5» không có"),
        ({"year": "2024", "as_of": "31/02/2024"}, "Ngày số liệu «31/02/2024» không hợp lệ"),
        ({"year": "2024", "as_of": "hôm qua"}, "ví dụ 04/04/2021"),
        ({"year": "2024", "as_of": "04/04/2021"}, "không thuộc năm 2024"),
        ({"year": "2024", "period": "quy-3", "as_of": "01/04/2024"}, "ở trước kỳ «Quý III»"),
    ],
)
def test_bad_parameters_get_a_clear_message(params, message):
    with pytest.raises(PeriodError) as error:
        parse(**params)
    assert message in str(error.value)


def test_elapsed_share_of_the_year():
    assert Period(2024, "nam").elapsed_share(TODAY) == 1
    assert Period(2024, "quy-1").elapsed_share(TODAY) == Decimal(91) / Decimal(366)
    # The current year counts up to today only.
    assert Period(2026, "nam").elapsed_share(TODAY) == Decimal(329) / Decimal(365)
    # A period that has not started has no expectation yet.
    assert Period(2026, "thang-12").elapsed_share(TODAY) == 0
    assert Period(2027, "nam").elapsed_share(TODAY) == 0


def test_every_choice_parses_and_reproduces_itself():
    for key, _ in PERIOD_CHOICES:
        period = parse(year="2024", period=key)
        assert period_parse(period.params(), TODAY) == period
