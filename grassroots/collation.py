"""Vietnamese alphabetical order for names, the same on PostgreSQL and SQLite.

PostgreSQL sorts with the ICU collation `vi-x-icu` (STACK.md trap 10: the C collation puts
"Ánh" and "Đào" after "Zung"). SQLite has no ICU, so every SQLite connection gets a collation
of the same name implemented by `vi_sort_key` below, which follows CLDR's Vietnamese tailoring:

- letters in the Vietnamese alphabet order a ă â b c d đ e ê ... o ô ơ ... u ư ... (primary);
- tones are a secondary difference, ordered: none, huyền, hỏi, ngã, sắc, nặng;
- case is a tertiary difference (lower case first);
- a space sorts before any letter, so "An Bình" comes before "Anh".

Querysets order with `vi_order("full_name")`, which compiles to `"full_name" COLLATE "vi-x-icu"`
on both databases.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db.backends.signals import connection_created
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Collate

COLLATION = "vi-x-icu"

# Primary order. Letters not in the Vietnamese alphabet (f, j, w, z) keep their Latin place.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_WEIGHT = {letter: 100 + index for index, letter in enumerate(_ALPHABET)}
# Combining marks that make a separate letter of the Vietnamese alphabet.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Tone marks, secondary weights in CLDR's Vietnamese order (huyền < hỏi < ngã < sắc < nặng).
_TONE_WEIGHT = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _primary(base: str) -> int:
    if base in _LETTER_WEIGHT:
        return _LETTER_WEIGHT[base]
    if base.isspace():
        return 1
    if base.isdigit():
        return 10 + int(base) if base in "0123456789" else 20
    if base.isalpha():
        return 200 + ord(base)  # other scripts after the Latin letters
    return 2  # punctuation: after space, before digits (like ICU's non-ignorable default)


@lru_cache(maxsize=65536)
def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Sort key of `text` in Vietnamese alphabetical order (see the module docstring)."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for char in unicodedata.normalize("NFC", text or ""):
        lower = char.lower()
        decomposed = unicodedata.normalize("NFD", lower)
        base, marks = decomposed[0], decomposed[1:]
        letter = "đ" if lower == "đ" else base
        tone = 0
        for mark in marks:
            if (letter, mark) in _LETTER_MARKS:
                letter = _LETTER_MARKS[(letter, mark)]
            elif mark in _TONE_WEIGHT:
                tone = _TONE_WEIGHT[mark]
            else:
                tone = max(tone, 6)  # any other accent: after the Vietnamese tones
        primary.append(_primary(letter))
        secondary.append(tone)
        tertiary.append(0 if char == lower else 1)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def vi_compare(left: str, right: str) -> int:
    """-1, 0 or 1: the comparison function SQLite calls for `COLLATE "vi-x-icu"`."""
    a, b = vi_sort_key(left or ""), vi_sort_key(right or "")
    return (a > b) - (a < b)


def vi_sorted(names):
    """`names` sorted in Vietnamese alphabetical order (for lists built in Python)."""
    return sorted(names, key=vi_sort_key)


def vi_order(field: str, *, descending: bool = False, indexed: bool = True):
    """An `order_by` term sorting `field` in Vietnamese alphabetical order.

    `indexed=False` sorts by an expression that no index matches (`COALESCE(field, '')`, the
    same order): for searches. Otherwise, PostgreSQL may walk the name index in order and
    filter row by row until a page is full, which for "nguyen dat" read 335.000 rows (640 ms at
    1.000.000 members) where fetching the 5.000 matches by trigram and sorting them took 35 ms.
    """
    target = F(field) if indexed else Coalesce(F(field), Value(""))
    expression = Collate(target, COLLATION)
    return expression.desc() if descending else expression.asc()


def _register_sqlite_collation(sender, connection, **kwargs) -> None:
    """Give each new SQLite connection the `vi-x-icu` collation PostgreSQL has built in."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, vi_compare)


# Connected at import: grassroots.querysets imports this module while the models load, before
# any connection is opened.
connection_created.connect(_register_sqlite_collation, dispatch_uid="unionportal_vi_collation")
