"""Text normalisation shared by forms, imports and search."""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Characters that show nothing (zero-width space and joiners, word joiner, byte-order mark,
# soft hyphen): copied from web pages or Word they hide inside names and numbers, and "Lê Thị"
# with one of them no longer equals "Lê Thị".
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def clean_text(value: object) -> str:
    """NFC-normalise, drop invisible characters, trim and collapse inner white space (what
    users type and Excel holds)."""
    if value is None:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", str(value)))
    return _SPACES.sub(" ", text).strip()


def fold(value: object) -> str:
    """Lower-case text without diacritics, for accent-insensitive search ("Đạt" -> "dat").

    Word by word through a cache: an import folds 100.000 names and addresses made of a few
    thousand distinct words (the same result as folding the whole text at once)."""
    return " ".join(map(_fold_word, clean_text(value).split(" ")))


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    text = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


_ASCII_NUMBER = re.compile(r"[0-9]{1,18}")


def parse_id(value: object) -> int | None:
    """A number typed or linked in a URL (an id, a year) -> int, or None when it is not one.

    ASCII digits only: str.isdigit() accepts '²' and '١٢' (which int() then refuses or reads as
    another number), and more than 18 digits would overflow a database integer.
    """
    text = str(value or "").strip()
    return int(text) if _ASCII_NUMBER.fullmatch(text) else None
