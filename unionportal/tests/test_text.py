"""Text normalisation shared by forms, imports and search (unionportal/text.py)."""

import random
import re
import sys
import unicodedata

import pytest

from unionportal.text import INVISIBLE, clean_text, fold


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


# ----- the fast paths equal the functions they replaced -------------------------------------
# clean_text and fold as they were before their fast paths (issue 17 speed): the reference.
def _clean_text_before(value: object) -> str:
    if value is None:
        return ""
    text = re.sub(f"[{INVISIBLE}]", "", unicodedata.normalize("NFC", str(value)))
    return re.sub(r"\s+", " ", text).strip()


def _fold_before(value: object) -> str:
    def word(w: str) -> str:
        text = unicodedata.normalize("NFD", w.replace("đ", "d").replace("Đ", "D"))
        return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()

    return " ".join(map(word, _clean_text_before(value).split(" ")))


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _vietnamese_letters() -> list[str]:
    letters = []
    for base in VIETNAMESE:
        for tone in ["", *TONES]:
            letter = unicodedata.normalize("NFC", base + tone)
            letters += [letter, letter.upper()]
    return letters


def test_every_character_cleans_and_folds_as_before():
    """Each code point at both ends, doubled, beside a space and inside a word: the same text
    as the old functions (white space of every kind, invisible characters, combining marks
    alone, the Turkish İ, the Greek final sigma, Hangul, ligatures)."""
    for point in range(sys.maxunicode + 1):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        text = f"{char}a {char}{char}"
        assert clean_text(text) == _clean_text_before(text), hex(point)
        text = f"Đạ{char}t {char}Σ"
        assert fold(text) == _fold_before(text), hex(point)


def test_vietnamese_text_folds_as_before():
    """Every Vietnamese letter with every tone, upper and lower case, precomposed (NFC) and
    decomposed (NFD), đ/Đ, marks typed after a space, legacy-font text a converter did not
    touch (TCVN3 'Hoµng ThÕ Dòng', VNI 'Hoaøng Theá Duõng'), and 20.000 random names."""
    letters = _vietnamese_letters()
    samples = ["".join(letters), " ".join(letters), unicodedata.normalize("NFD", "".join(letters))]
    samples += [
        "Đặng Thị Hồng Nhung",
        "ĐƯỜNG NGUYỄN TRÃI",
        "Công ty TNHH MTV Đầu tư \u0301 Xây dựng",
        "Hoµng ThÕ Dòng",
        "Hoaøng Theá Duõng",
        "Trần\u200bBình\u00ad Lê\ufeff",
        "  Nguyễn\xa0Văn\tAn \n",
        "Số 12\\3 phố Huế",
        "ΟΔΟΣ ΣΟΦΙΑΣ İstanbul ﬁnance 한국 東京",
        "",
        None,
        1234,
    ]
    rng = random.Random(17)
    alphabet = letters + list(" .-,/0123456789\u0301\u0323\u034f\xa0\u200b") + ["Σ", "İ"]
    for _ in range(20_000):
        samples.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))))
    for text in samples:
        assert fold(text) == _fold_before(text), repr(text)
        assert clean_text(text) == _clean_text_before(text), repr(text)
    assert fold("Đặng Thị Hồng") == "dang thi hong"
    assert fold("ĐƯỜNG NGUYỄN TRÃI") == "duong nguyen trai"
