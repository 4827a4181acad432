"""Progress arithmetic and the way numbers are written, without a database."""

from decimal import Decimal

import pytest

from reports.progress import (
    Band,
    Progress,
    format_decimal,
    format_int,
    format_pct,
    percent,
    sum_targets,
)


@pytest.mark.parametrize(
    ("achieved", "target", "text"),
    [
        (27, 20, "135%"),  # over 100: never capped
        (4550, 6500, "70%"),  # trailing zeros dropped
        (11, 27, "40,74%"),
        (589, 1450, "40,62%"),
        (599, 850, "70,47%"),
        (1, 8, "12,5%"),
        (2, 3, "66,67%"),  # rounded half up
        (1, 200, "0,5%"),
        (0, 20, "0%"),
        (150, 10, "1.500%"),  # thousands separator in big percentages
        (5, None, "–"),
        (5, 0, "–"),  # a zero target is no target: nothing to divide by
    ],
)
def test_percent_is_written_the_way_officers_write_it(achieved, target, text):
    assert format_pct(percent(achieved, target)) == text


def test_numbers_use_dots_for_thousands():
    assert format_int(4550) == "4.550"
    assert format_int(1_000_000) == "1.000.000"
    assert format_int(999) == "999"
    assert format_int(-1234) == "-1.234"
    assert format_decimal(Decimal("1350.50")) == "1.350,5"


def test_percent_rounds_half_up_to_two_decimals():
    assert percent(1, 3) == Decimal("33.33")
    assert percent(1, 6) == Decimal("16.67")
    assert percent(1, 8) == Decimal("12.50")


def test_text_fraction_and_percentage():
    assert Progress(27, 20).text("CĐCS") == "27/20 CĐCS, 135%"
    assert Progress(589, 1450).text("đoàn viên") == "589/1.450 đoàn viên, 40,62%"
    assert Progress(4550, None).text("đoàn viên") == "4.550 đoàn viên, –"
    assert Progress(4550, None).target_text == "–"
    assert Progress(4550, 6500).target_text == "6.500"


def test_ratio_is_the_fraction_for_spreadsheets():
    assert Progress(27, 20).ratio == Decimal("1.35")
    assert Progress(11, 27).ratio == Decimal("0.4074")
    assert Progress(3, None).ratio is None


def test_remaining_never_negative():
    assert Progress(15, 20).remaining == 5
    assert Progress(27, 20).remaining == 0
    assert Progress(27, None).remaining is None


@pytest.mark.parametrize(
    ("achieved", "target", "share", "band"),
    [
        (20, 20, Decimal("0.25"), Band.DONE),  # reached the annual target early
        (27, 20, Decimal(1), Band.DONE),
        (5, 20, Decimal("0.25"), Band.ON_TRACK),  # a quarter of the year, a quarter of target
        (4, 20, Decimal("0.25"), Band.BEHIND),
        (19, 20, Decimal(1), Band.BEHIND),  # the year is over and the target missed
        (0, 20, Decimal(0), Band.ON_TRACK),  # nothing was due yet
        (3, None, Decimal("0.5"), Band.NO_TARGET),
    ],
)
def test_bands_account_for_elapsed_time(achieved, target, share, band):
    assert Progress(achieved, target, share).band is band


def test_every_band_has_a_text_mark_and_label():
    marks = {band.mark for band in Band}
    assert len(marks) == len(Band)  # told apart without colour
    assert Band.BEHIND.label == "Chậm tiến độ"
    assert Band.ON_TRACK.label == "Đúng tiến độ"


def test_sum_of_targets_ignores_units_without_one():
    assert sum_targets([10, None, 5]) == 15
    assert sum_targets([None, None]) is None
    assert sum_targets([]) is None
