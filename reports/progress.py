"""Progress arithmetic: what a unit achieved against its annual target. No database access.

Written the way officers write it (DOMAIN.md): `27/20 CĐCS, 135%`, `589/1.450 đoàn viên,
40,62%`; thousands separated by `.`, decimals by `,`; percentages over 100 are never capped;
`–` where no target is set (a target of 0 counts as "not set": there is nothing to divide by).

Colour bands account for elapsed time: a unit that has 30% of its annual target at the end of
April is on track, the same 30% at the end of the year is behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from typing import cast

DASH = "–"
_CENT = Decimal("0.01")


class Band(StrEnum):
    DONE = "done"
    ON_TRACK = "on-track"
    BEHIND = "behind"
    NO_TARGET = "no-target"

    @property
    def label(self) -> str:
        return _BAND_LABELS[self]

    @property
    def mark(self) -> str:
        """A text mark, so the band is readable without colour (and when printed)."""
        return _BAND_MARKS[self]


_BAND_LABELS = {
    Band.DONE: "Đã đạt chỉ tiêu năm",
    Band.ON_TRACK: "Đúng tiến độ",
    Band.BEHIND: "Chậm tiến độ",
    Band.NO_TARGET: "Chưa giao chỉ tiêu",
}
_BAND_MARKS = {Band.DONE: "✓", Band.ON_TRACK: "●", Band.BEHIND: "▼", Band.NO_TARGET: DASH}


def format_int(value: int) -> str:
    """4550 -> `4.550`; -1234 -> `-1.234`."""
    return f"{value:,}".replace(",", ".")


def format_decimal(value: Decimal) -> str:
    """Up to 2 decimals, trailing zeros dropped, Vietnamese separators: 40.74 -> `40,74`,
    70.00 -> `70`, 1350.5 -> `1.350,5`."""
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):.2f}".partition(".")
    fraction = fraction.rstrip("0")
    text = format_int(int(whole))
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def format_pct(value: Decimal | None) -> str:
    """`70%`, `135%`, `40,74%`; `–` when there is no percentage."""
    return DASH if value is None else f"{format_decimal(value)}%"


def percent(achieved: int, target: int | None) -> Decimal | None:
    """achieved / target in percent, rounded half up to 2 decimals; None without a target."""
    if not target:
        return None
    return (Decimal(achieved) * 100 / Decimal(target)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Progress:
    """One indicator of one unit in one period.

    `expected_share` is the part of the year the period has covered so far (0..1): the share of
    the annual target a unit progressing evenly would have reached (Q1 finished: about 0,25).
    """

    achieved: int
    target: int | None
    expected_share: Decimal = Decimal(1)

    @property
    def has_target(self) -> bool:
        return bool(self.target)

    @cached_property
    def percent(self) -> Decimal | None:
        return percent(self.achieved, self.target)

    @property
    def ratio(self) -> Decimal | None:
        """The percentage as a fraction (1,35 for 135%), for spreadsheets' percent format."""
        pct = self.percent
        return None if pct is None else pct / 100

    @property
    def expected(self) -> Decimal | None:
        """What even progress would have reached by now (target x elapsed share)."""
        if not self.target:  # has_target
            return None
        return Decimal(self.target) * self.expected_share

    @property
    def remaining(self) -> int | None:
        """How many are still missing to reach the annual target (0 once reached)."""
        if not self.target:  # has_target
            return None
        return max(self.target - self.achieved, 0)

    @property
    def band(self) -> Band:
        if not self.target:  # has_target
            return Band.NO_TARGET
        if self.achieved >= self.target:
            return Band.DONE
        if self.achieved >= cast(Decimal, self.expected):  # not None: there is a target
            return Band.ON_TRACK
        return Band.BEHIND

    @property
    def target_text(self) -> str:
        return format_int(self.target) if self.target else DASH  # has_target

    @property
    def percent_text(self) -> str:
        return format_pct(self.percent)

    def fraction_text(self, noun: str = "") -> str:
        """`27/20 CĐCS`; `27 CĐCS` without a target (the `/–` would read as a typo in text)."""
        head = format_int(self.achieved)
        if self.target:  # has_target
            head = f"{head}/{format_int(self.target)}"
        return f"{head} {noun}".strip()

    def text(self, noun: str = "") -> str:
        """`27/20 CĐCS, 135%` (with a target) or `27 CĐCS, –` (without)."""
        return f"{self.fraction_text(noun)}, {self.percent_text}"


def sum_targets(targets: list[int | None]) -> int | None:
    """Sum of unit targets; None when no unit has one (then there is nothing to compare with)."""
    given = [t for t in targets if t]
    return sum(given) if given else None
