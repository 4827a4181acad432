"""Short unit names for wide tables: "LĐLĐ quận Thanh Xuân" -> "Q. Thanh Xuân".

A rule on the name, the way officers abbreviate in their own tables; a unit may store its own
(`DistrictUnion.short_name`), which wins. The full name stays on hover and in every export.
"""

from __future__ import annotations

import re

# (full words at the start of the name, what they become), longest first. Matched without
# regard to case: names are typed both "LĐLĐ Quận ..." and "LĐLĐ quận ...".
_PREFIXES = [
    ("Liên đoàn Lao động thành phố", "TP."),
    ("Liên đoàn Lao động thị xã", "TX."),
    ("Liên đoàn Lao động quận", "Q."),
    ("Liên đoàn Lao động huyện", "H."),
    ("LĐLĐ thành phố", "TP."),
    ("LĐLĐ thị xã", "TX."),
    ("LĐLĐ quận", "Q."),
    ("LĐLĐ huyện", "H."),
    ("LĐLĐ TP.", "TP."),
    ("LĐLĐ TX.", "TX."),
    ("Công đoàn phường", "CĐ P."),
    ("Công đoàn xã", "CĐ X."),
    ("Công đoàn đặc khu", "CĐ ĐK."),
    ("Công đoàn", "CĐ"),
]
# Inner phrases worth shortening anywhere in the name.
_PHRASES = [
    ("Khu công nghiệp và chế xuất", "KCN-CX"),
    ("Khu công nghiệp", "KCN"),
    ("Khu kinh tế", "KKT"),
    ("Liên đoàn Lao động", "LĐLĐ"),
    ("LĐLĐ thành phố", "LĐLĐ TP."),
]


def short_name_for(name: str) -> str:
    """The rule: a known prefix becomes its abbreviation, long inner phrases their initials.

    >>> short_name_for("LĐLĐ quận Thanh Xuân")
    'Q. Thanh Xuân'
    >>> short_name_for("Công đoàn ngành Giáo dục Hà Nội")
    'CĐ ngành Giáo dục Hà Nội'
    """
    text = " ".join(name.split())
    for prefix, short in _PREFIXES:
        if text.casefold().startswith(prefix.casefold() + " "):
            text = f"{short} {text[len(prefix) + 1 :]}"
            break
    for phrase, short in _PHRASES:
        text = re.sub(re.escape(phrase), short, text, flags=re.IGNORECASE)
    return text
