"""Text normalisation shared by forms, imports and search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Characters that show nothing (zero-width space and joiners, word joiner, byte-order mark,
# soft hyphen): copied from web pages or Word they hide inside names and numbers, and "Lê Thị"
# with one of them no longer equals "Lê Thị".
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def is_clean(value: str) -> bool:
    """Is `value` already what clean_text makes of it? (Most cells and names are: then the
    substitutions and the normalisation are skipped.) Every white space character but the plain
    space, and every invisible character, is unprintable for str.isprintable(); what is left to
    check is the spaces (none doubled, none at either end) and the NFC form."""
    return (
        value.isprintable()
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
        and (value.isascii() or unicodedata.is_normalized("NFC", value))
    )


def clean_text(value: object) -> str:
    """NFC-normalise, drop invisible characters, trim and collapse inner white space (what
    users type and Excel holds)."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if is_clean(text):
        return text
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


def fold(value: object) -> str:
    """Lower-case text without diacritics, for accent-insensitive search ("Đạt" -> "dat").

    ASCII text is only lower-cased; other text goes word by word through a cache: an import
    folds 100.000 names and addresses made of a few thousand distinct words (the same result as
    folding the whole text at once: the decomposition, the marks taken off and the lower case
    never reach across a space)."""
    text = clean_text(value)
    if text.isascii():
        return text.lower()
    cache = _FOLDED
    parts = []
    for word in text.split(" "):
        folded = cache.get(word)
        if folded is None:
            if len(cache) >= _FOLDED_MAX:
                cache.clear()
            folded = cache[word] = fold_word(word)
        parts.append(folded)
    return " ".join(parts)


_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 1 << 16


def fold_word(word: str) -> str:
    """One word (no space in it) folded: đ/Đ to d/D, the canonical decomposition (NFD) without
    its combining marks, lower case."""
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
