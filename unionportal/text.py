"""Text normalisation shared by forms, imports and search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """NFC-normalise, trim and collapse inner white space (what users type and Excel holds)."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: object) -> str:
    """Lower-case text without diacritics, for accent-insensitive search ("Đạt" -> "dat")."""
    text = unicodedata.normalize("NFD", clean_text(value).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
