"""The headroom arithmetic ("dư địa"): pure, no database, unit-tested alone.

Definitions (shown on the page too):
- without a union: no active CĐCS with the enterprise's tax code, and not closed down
  ("ngừng hoạt động / giải thể"); "từ chối" still counts (it can be approached again);
- conversions of year Y: enterprises whose CĐCS was founded in Y (and is still active);
- conversion rate of a stage S: of the enterprises that ever reached S, the share that went
  on to reach the next step (ban vận động -> CĐCS for the last one);
- coverage: workers in enterprises with a CĐCS / workers of every enterprise in the register
  that has not closed down;
- the gap: the year's CĐCS target minus the CĐCS founded this year (counting rule 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import PIPELINE, Stage

ORDER = [
    Stage.NOT_CONTACTED,
    Stage.CONTACTED,
    Stage.COMMITTEE,
    Stage.FOUNDED,
    Stage.REFUSED,
    Stage.CLOSED,
]


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, 2 decimals, never capped; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    stage: str
    label: str
    reached: int  # enterprises that ever reached the stage
    moved_on: int  # of them, those that reached the next step

    @property
    def pct(self) -> Decimal | None:
        return percent(self.moved_on, self.reached)


@dataclass(frozen=True)
class Headroom:
    """One unit's (or a sum's) headroom figures."""

    unit_id: int | None
    name: str
    without_union: int = 0
    without_union_25: int = 0
    workers_without: int = 0
    committee_25: int = 0  # of the 25+ without a union, those with a ban vận động
    by_stage: dict[str, int] = field(default_factory=dict)
    conversions: int = 0
    reached: tuple[int, ...] = (0, 0, 0, 0)  # enterprises with reached >= 0, 1, 2, 3
    workers_register: int = 0  # every enterprise not closed down
    workers_with_union: int = 0
    target: int | None = None  # the year's CĐCS target (None: none set)
    founded: int = 0  # CĐCS founded this year (rule 2)

    def __add__(self, other: Headroom) -> Headroom:
        stages = {s.value: self.by_stage.get(s, 0) + other.by_stage.get(s, 0) for s in ORDER}
        target = None
        if self.target is not None or other.target is not None:
            target = (self.target or 0) + (other.target or 0)
        return Headroom(
            unit_id=None,
            name=self.name,
            without_union=self.without_union + other.without_union,
            without_union_25=self.without_union_25 + other.without_union_25,
            workers_without=self.workers_without + other.workers_without,
            committee_25=self.committee_25 + other.committee_25,
            by_stage=stages,
            conversions=self.conversions + other.conversions,
            reached=tuple(a + b for a, b in zip(self.reached, other.reached, strict=True)),
            workers_register=self.workers_register + other.workers_register,
            workers_with_union=self.workers_with_union + other.workers_with_union,
            target=target,
            founded=self.founded + other.founded,
        )

    def stage_count(self, stage: str) -> int:
        return self.by_stage.get(stage, 0)

    @property
    def stages(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.by_stage.get(s, 0)) for s in ORDER]

    @property
    def rates(self) -> list[Rate]:
        return [
            Rate(stage.value, stage.label, self.reached[i], self.reached[i + 1])
            for i, stage in enumerate(PIPELINE[:-1])
        ]

    @property
    def coverage(self) -> Decimal | None:
        return percent(self.workers_with_union, self.workers_register)

    @property
    def gap(self) -> int | None:
        """CĐCS still to found to meet the target (0 once met; None without a target)."""
        if self.target is None:
            return None
        return max(0, self.target - self.founded)

    @property
    def headroom_text(self) -> str:
        """'có 35 doanh nghiệp từ 25 lao động chưa có CĐCS, 6 đã có ban vận động'."""
        return (
            f"có {_n(self.without_union_25)} doanh nghiệp từ 25 lao động chưa có CĐCS, "
            f"{_n(self.committee_25)} đã có ban vận động"
        )

    @property
    def sentence(self) -> str:
        """'còn 8 CĐCS để đạt chỉ tiêu; có 35 doanh nghiệp từ 25 lao động chưa có CĐCS, 6 đã
        có ban vận động' (numbers in Vietnamese format)."""
        headroom = self.headroom_text
        if self.target is None:
            return f"chưa giao chỉ tiêu thành lập CĐCS; {headroom}"
        if self.gap == 0:
            return (
                f"đã đạt chỉ tiêu thành lập CĐCS ({_n(self.founded)}/{_n(self.target)}); {headroom}"
            )
        return f"còn {_n(self.gap or 0)} CĐCS để đạt chỉ tiêu; {headroom}"  # a target: a gap

    @property
    def short_of_headroom(self) -> bool:
        """The gap is larger than the 25+ enterprises left: the target cannot be met from them."""
        return self.gap is not None and self.gap > self.without_union_25


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")
