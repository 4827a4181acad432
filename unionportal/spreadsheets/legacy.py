"""Vietnamese typed in the legacy fonts TCVN3 (ABC: .VnTime, .VnArial...) and VNI-Windows
(VNI-Times...), found and turned into Unicode.

Before Unicode, Vietnamese offices typed with a keyboard driver that sent single bytes drawn by
a special font. A spreadsheet program stores those bytes as the Latin-1 characters they are
(Windows-1252 and Latin-1 agree from 0xA0 up), so "Hoàng Thế Dũng" typed in .VnTime is stored
as "Hoµng ThÕ Dòng" and in VNI-Times as "Hoaøng Theá Duõng". Nothing but the font makes them
readable, and a portal that stored them would store garbage.

- TCVN3 (TCVN 5712:1993, VN3) is one byte a letter: 0xA1-0xFE hold the 74 letters with
  diacritics (lower case with every tone; the capitals Ă Â Ê Ô Ơ Ư Đ without tone; capitals with
  a tone come from the ".VnTimeH" fonts, whose lower-case codes are drawn as capitals). Its ư is
  0xAD, the soft hyphen: text cleaning (which drops U+00AD) must never run before this module.
- VNI-Windows writes a base letter followed by a mark byte ("a" + "ø" = à), and a few letters
  as one byte (ô = ơ, ö = ư, ñ = đ, ì í æ ó ò = ì í ỉ ĩ ị, î = ỵ).

Capitals with a tone: TCVN3 has codes only for lower-case toned letters, so capitals are typed
in the ".VnTimeH" fonts (".VnArialH", ".VnCourier NewH"...: ".Vn" and a final "H"), which draw
every letter as a capital. The readers wrap the text of a cell in such a font as `Capitals`, and
the converter turns it into upper-case Unicode ("hoµng" in .VnTimeH is "HOÀNG"). VNI-Windows
has capitals of its own: no such fonts.

`detect(samples, fonts)` decides once per file from the font names of its styles and the text of
its first rows; `Converter` then converts only text cells that can be legacy text (every
character at most U+00FF), so Unicode cells (a header row typed later) stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TypeGuard

TCVN3 = "TCVN3"
VNI = "VNI"
NAMES = {TCVN3: "TCVN3", VNI: "VNI-Windows"}

# TCVN3 byte (as the Latin-1 character a spreadsheet keeps) -> letter.
_TCVN3_PAIRS = (
    "¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ ¨ă ©â ªê «ô ¬ơ \xadư ®đ "
    "µà ¶ả ·ã ¸á ¹ạ »ằ ¼ẳ ½ẵ ¾ắ Æặ Çầ Èẩ Éẫ Êấ Ëậ "
    "Ìè Îẻ Ïẽ Ðé Ñẹ Òề Óể Ôễ Õế Öệ ×ì Øỉ Üĩ Ýí Þị "
    "ßò áỏ âõ ãó äọ åồ æổ çỗ èố éộ êờ ëở ìỡ íớ îợ "
    "ïù ñủ òũ óú ôụ õừ öử ÷ữ øứ ùự úỳ ûỷ üỹ ýý þỵ"
)
TCVN3_TABLE = {ord(pair[0]): pair[1] for pair in _TCVN3_PAIRS.split(" ")}


# VNI: marks after a base letter. Tones: ù acute, ø grave, û hook, õ tilde, ï dot.
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
# After a, e, o: circumflex (â) with a tone (á à å ã ä). After a only: breve (ê) with a tone.
_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# One-byte VNI letters (lower case; the capitals are their upper case).
_VNI_SINGLE = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "ì": "ì",
    "í": "í",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(base: str, mark: str, combined: str) -> None:
        for b, m, c in ((base, mark, combined), (base.upper(), mark.upper(), combined.upper())):
            table[b + m] = c
            table[b + (m.lower() if m.isupper() else m.upper())] = c  # "Aø" as well as "AØ"

    for base in "aeouy":
        for mark, tone in _TONES.items():
            add(base, mark, unicodedata.normalize("NFC", base + tone))
    for base, horned in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _TONES.items():
            add(base, mark, unicodedata.normalize("NFC", horned + tone))
    for base in "aeo":
        for mark, tone in _CIRCUMFLEX.items():
            add(base, mark, unicodedata.normalize("NFC", base + "\u0302" + tone))
    for mark, tone in _BREVE.items():
        add("a", mark, unicodedata.normalize("NFC", "a\u0306" + tone))
    for single, letter in _VNI_SINGLE.items():
        table.setdefault(single, letter)
        table.setdefault(single.upper(), letter.upper())
    return table


VNI_TABLE = _vni_table()
# Longest first: a two-character sequence before its single base ("ôø" before "ô").
_VNI_SEQUENCE = re.compile(
    "|".join(re.escape(key) for key in sorted(VNI_TABLE, key=len, reverse=True))
)

# Every letter of Vietnamese (lower case), and the vowels' nuclei a syllable may have.
_VIET_LOWER = set(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
_VOWELS = set("aăâeêioôơuưy")
_NUCLEI_TEXT = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui "
    "uô uơ uy ưa ưi ươ ưu yê iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu uêu"
)
_NUCLEI = set(_NUCLEI_TEXT.split(" "))
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LETTERS = re.compile(r"[^\W\d_]+")
_LEGACY_FONT = {TCVN3: re.compile(r"^\.vn|^abc", re.I), VNI: re.compile(r"^vni[- ]", re.I)}


def tcvn3_to_unicode(value: str) -> str:
    return value.translate(TCVN3_TABLE)


def vni_to_unicode(value: str) -> str:
    return _VNI_SEQUENCE.sub(lambda m: VNI_TABLE[m.group(0)], value)


CONVERT = {TCVN3: tcvn3_to_unicode, VNI: vni_to_unicode}


def _word_ok(word: str) -> bool:
    """Could this run of letters be a Vietnamese syllable (or a plain ASCII word)?"""
    if word.isascii():
        return True
    lower = word.lower()
    if any(ch not in _VIET_LOWER for ch in lower):
        return False
    decomposed = unicodedata.normalize("NFD", lower)
    if sum(ch in _TONE_MARKS for ch in decomposed) > 1:
        return False
    toneless = unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    )
    nucleus = ""
    for ch in toneless + " ":
        if ch in _VOWELS:
            nucleus += ch
        elif nucleus:
            if nucleus not in _NUCLEI and not (
                # gi- and qu- take a vowel of their own: "giư", "quy", "quyê"
                nucleus[0] in "iu" and nucleus[1:] in _NUCLEI
            ):
                return False
            nucleus = ""
    return True


def looks_vietnamese(value: str) -> bool:
    """Is every word of `value` a possible Vietnamese syllable or an ASCII word, with no
    character beyond ASCII but Vietnamese letters (a legacy "¬" or "µ" is none)?"""
    if not value.isascii() and any(
        ch.lower() not in _VIET_LOWER for ch in value if ch > "\x7f" and ch != "\xa0"
    ):
        return False
    return all(_word_ok(word) for word in _LETTERS.findall(value))


class Capitals(str):
    """The text of a cell whose font is one of TCVN3's all-capitals fonts (".VnTimeH"): what
    the program shows is its letters in upper case."""

    __slots__ = ()


_CAPITALS_FONT = re.compile(r"^\.vn.*H$", re.I)


def capitals_font(name: str) -> bool:
    """Is `name` one of TCVN3's all-capitals fonts (".VnTimeH", ".VnArialH")? The final H is
    a capital: ".VnTime" and ".VnTimeh" are not (nor VNI's fonts, which have capitals)."""
    return bool(_CAPITALS_FONT.match(name)) and name.endswith("H")


def plain(value: object) -> object:
    """A `Capitals` cell as the plain text it holds (the file is not TCVN3 after all)."""
    return str(value) if type(value) is Capitals else value


def candidate(value: object) -> TypeGuard[str]:
    """Text that may be legacy: not ASCII, no character past U+00FF."""
    return isinstance(value, str) and not value.isascii() and max(value) <= "\xff"


def font_encoding(fonts: Iterable[str]) -> str | None:
    """The legacy encoding the font names point to (TCVN3 for .VnTime, VNI for VNI-Times)."""
    found = {enc for name in fonts for enc, pattern in _LEGACY_FONT.items() if pattern.search(name)}
    return found.pop() if len(found) == 1 else None


def detect(samples: Iterable[object], fonts: Iterable[str] = ()) -> str | None:
    """TCVN3, VNI or None (Unicode) for a file whose first cells are `samples`.

    A text is evidence for an encoding when it is no Vietnamese as it stands and becomes
    Vietnamese converted (and not with the other encoding). The file is legacy when the
    evidence for one encoding clearly outweighs the other: at least two texts (one when the
    styles name a font of that encoding)."""
    votes = {TCVN3: 0, VNI: 0}
    for value in samples:
        if not candidate(value):
            continue
        if looks_vietnamese(value):
            continue  # plain Vietnamese in Unicode (or ambiguous)
        tcvn = tcvn3_to_unicode(value)
        vni = vni_to_unicode(value)
        tcvn_ok = tcvn != value and looks_vietnamese(tcvn)
        vni_ok = vni != value and looks_vietnamese(vni)
        if tcvn_ok and not vni_ok:
            votes[TCVN3] += 1
        elif vni_ok and not tcvn_ok:
            votes[VNI] += 1
    hinted = font_encoding(fonts)
    best = max(votes, key=lambda enc: (votes[enc], enc == hinted))
    other = VNI if best == TCVN3 else TCVN3
    needed = 1 if best == hinted else 2
    if votes[best] >= needed and votes[best] > 2 * votes[other]:
        return best
    return None


class Converter:
    """Converts the text cells of rows from `encoding` to Unicode, counting the cells changed."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.convert = CONVERT[encoding]
        self.cells = 0

    def value(self, value: object) -> object:
        if type(value) is Capitals:
            if self.encoding != TCVN3:
                return str(value)
            converted = (self.convert(value) if candidate(value) else str(value)).upper()
            if converted != value:
                self.cells += 1
            return converted
        if not candidate(value):
            return value
        converted = self.convert(value)
        if converted == value or (
            looks_vietnamese(value) and not looks_vietnamese(converted)
        ):  # a Unicode cell among legacy ones ("Tú" typed later)
            return value
        self.cells += 1
        return converted

    def rows(self, rows: Iterable[tuple[int, list]]) -> Iterator[tuple[int, list]]:
        value = self.value
        for number, values in rows:
            yield number, [value(v) for v in values]

    def notice(self) -> str:
        return f"File dùng phông {NAMES[self.encoding]}: đã chuyển {self.cells} ô sang Unicode."


__all__ = [
    "TCVN3",
    "VNI",
    "Capitals",
    "Converter",
    "capitals_font",
    "detect",
    "font_encoding",
    "looks_vietnamese",
    "plain",
]
