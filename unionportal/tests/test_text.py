"""Text normalisation shared by forms, imports and search (unionportal/text.py)."""

import unicodedata

import pytest

from unionportal.text import clean_text, fold


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("  Nguyễn   Văn\tAn ", "Nguyễn Văn An"),
        ("Nguyễn\xa0Văn An", "Nguyễn Văn An"),  # non-breaking space from a web page
        (unicodedata.normalize("NFD", "Đặng Thị Hồng"), "Đặng Thị Hồng"),  # NFD -> NFC
        ("Lê\u200b Thị\u00ad Lan\ufeff", "Lê Thị Lan"),  # zero-width space, soft hyphen, BOM
        ("\u2060Trần\u200dBình", "TrầnBình"),  # what shows is what is kept
        (None, ""),
    ],
)
def test_clean_text_keeps_what_a_person_sees(typed, clean):
    assert clean_text(typed) == clean


def test_fold_ignores_accents_case_and_invisible_characters():
    assert fold("Nguyễn Văn Đạt") == fold("nguyen\u200b van dat") == "nguyen van dat"
