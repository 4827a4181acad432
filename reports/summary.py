"""The summary at the top of a federation dashboard: the three indicators of the total as large
figures, and the units furthest behind and furthest ahead. No database access: it reads the
rows the dashboard already holds (`reports.selectors.FederationDashboard`).

A unit's standing is time-aware, like the colour bands (`reports.progress.Progress.band`): its
gap on an indicator is its percentage minus the percentage even progress would have reached
over its own days (`row.share`). A unit is behind when any indicator is behind, and it is
ranked by its worst gap; it is ahead when no indicator is behind, ranked by its smallest lead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .progress import Band, Progress, format_decimal
from .selectors import ProgressRow

INDICATORS = (
    ("new_members", "Kết nạp đoàn viên mới", "đoàn viên"),
    ("new_grassroots", "Thành lập CĐCS mới", "CĐCS"),
    ("new_grassroots_25plus", "CĐCS mới từ 25 lao động trở lên", "CĐCS"),
)
# How a list line says what the unit did: "kết nạp 589/1.450 đoàn viên".
_PHRASES = {
    "new_members": "kết nạp {} đoàn viên",
    "new_grassroots": "thành lập {} CĐCS",
    "new_grassroots_25plus": "thành lập {} CĐCS từ 25 lao động trở lên",
}
LIST_LENGTH = 5


@dataclass(frozen=True)
class Headline:
    """One indicator of the total: `589/1.450 đoàn viên, 40,62%` and its bar (0..100)."""

    key: str
    title: str
    noun: str
    progress: Progress

    @property
    def bar(self) -> Decimal:
        """The bar's filled part in percent of its width, capped at the full bar."""
        pct = self.progress.percent
        return Decimal(0) if pct is None else min(pct, Decimal(100))

    @property
    def expected_pct(self) -> Decimal:
        """Where even progress would be now, in percent of the bar (the marker line)."""
        return min(self.progress.expected_share * 100, Decimal(100))


@dataclass(frozen=True)
class Standing:
    """A unit in the behind/ahead lists, with the indicator that decides its place."""

    row: ProgressRow
    key: str
    title: str
    progress: Progress
    gap: Decimal  # percentage points against even progress (negative: behind)

    @property
    def text(self) -> str:
        """`kết nạp 589/1.450 đoàn viên, 40,62%`."""
        done = _PHRASES[self.key].format(self.progress.fraction_text())
        return f"{done}, {self.progress.percent_text}"

    @property
    def gap_text(self) -> str:
        sign = "+" if self.gap > 0 else ""
        return f"{sign}{format_decimal(self.gap)} điểm %"

    @property
    def expected_text(self) -> str:
        return f"{format_decimal(self.progress.expected_share * 100)}%"


@dataclass(frozen=True)
class Summary:
    share: Decimal
    headlines: list[Headline]
    behind: list[Standing]
    ahead: list[Standing]

    @property
    def share_text(self) -> str:
        return f"{format_decimal(min(self.share, Decimal(1)) * 100)}%"


def _gap(progress: Progress) -> Decimal:
    """Percentage points against even progress (called only with a target, so a percent)."""
    pct = progress.percent if progress.percent is not None else Decimal(0)
    return pct - progress.expected_share * 100


def _standings(row: ProgressRow) -> list[Standing]:
    result = []
    for key, title, _noun in INDICATORS:
        progress = getattr(row, key)
        if progress.has_target:
            result.append(Standing(row, key, title, progress, _gap(progress)))
    return result


def progress_summary(
    total: ProgressRow, rows: Iterable[ProgressRow], length: int = LIST_LENGTH
) -> Summary:
    """Headlines of `total`; the `length` units furthest behind and furthest ahead of `rows`."""
    headlines = [Headline(key, title, noun, getattr(total, key)) for key, title, noun in INDICATORS]
    behind: list[Standing] = []
    ahead: list[Standing] = []
    for row in rows:
        standings = _standings(row)
        if not standings:
            continue  # no target at all: nothing to be behind or ahead of
        if any(s.progress.band is Band.BEHIND for s in standings):
            behind.append(min(standings, key=lambda s: s.gap))
        else:
            ahead.append(min(standings, key=lambda s: s.gap))
    behind.sort(key=lambda s: s.gap)
    ahead.sort(key=lambda s: s.gap, reverse=True)
    return Summary(total.share, headlines, behind[:length], ahead[:length])
