"""The wording of the official report: the place, the date line, "so với cùng kỳ"."""

from datetime import date

from grassroots.models import Federation
from reports.periods import Period
from reports.report_form import change_text, dated_line, last_year_period, place_of


def test_place_is_the_province_or_city():
    assert place_of(Federation(name="LĐLĐ thành phố Hà Nội")) == "Hà Nội"
    assert place_of(Federation(name="Liên đoàn Lao động tỉnh Quảng Ninh")) == "Quảng Ninh"
    assert place_of(Federation(name="Công đoàn Ngành Y tế")) == "Công đoàn Ngành Y tế"


def test_date_line_as_documents_write_it():
    assert dated_line("Hà Nội", date(2025, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2025"


def test_change_against_the_same_period_last_year():
    assert change_text(112, 100) == "tăng 12%"
    assert change_text(97, 100) == "giảm 3%"
    assert change_text(50, 50) == "bằng cùng kỳ"
    assert change_text(5, 0) == "–"
    assert change_text(4550, 4100) == "tăng 10,98%"


def test_same_period_last_year_keeps_the_kind_and_the_cut():
    assert last_year_period(Period(2025, "quy-1")) == Period(2024, "quy-1")
    cut = last_year_period(Period(2024, "nam", date(2024, 2, 29)))
    assert cut == Period(2023, "nam", date(2023, 2, 28))
