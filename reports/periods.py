"""Reporting periods: a year, a half, a quarter, a month or a campaign month, optionally cut at an
"as of" date (year to date on any day). Parsed from GET parameters or command options.

Parameters (all optional): `year` (2000..2100, default: the as-of year or this year),
`period` (one of PERIOD_CHOICES, default the whole year), `as_of` (dd/mm/yyyy: figures up to and
including that day), `co-cau` (`hien-nay`: the figures on today's tree, see
`CURRENT_TREE_LABEL`; absent: as it was at the time). A bad value raises `PeriodError` with a message an officer understands.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from grassroots.rules import MAX_YEAR, MIN_YEAR
from unionportal.text import parse_id

YEAR_MIN, YEAR_MAX = MIN_YEAR, MAX_YEAR  # the targets' years (grassroots.rules)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# key -> (label, first month, last month). The campaign months are May and July.
PERIODS: dict[str, tuple[str, int, int]] = {
    "nam": ("Cả năm", 1, 12),
    "6-thang": ("6 tháng đầu năm", 1, 6),
    "9-thang": ("9 tháng đầu năm", 1, 9),
    **{f"quy-{q}": (f"Quý {ROMAN[q]}", 3 * q - 2, 3 * q) for q in range(1, 5)},
    "thang-cong-nhan": ("Tháng Công nhân (tháng 5)", 5, 5),
    "thang-cao-diem": ("Tháng cao điểm (tháng 7)", 7, 7),
    **{f"thang-{m}": (f"Tháng {m}", m, m) for m in range(1, 13)},
}
PERIOD_CHOICES = [(key, label) for key, (label, _, _) in PERIODS.items()]
# The periods units report on and the level above approves (báo cáo tháng, quý, 6 tháng,
# 9 tháng, năm; approvals/): the campaign months are not report periods.
REPORT_KINDS: list[str] = [
    *(f"thang-{m}" for m in range(1, 13)),
    *(f"quy-{q}" for q in range(1, 5)),
    "6-thang",
    "9-thang",
    "nam",
]
DEFAULT_PERIOD = "nam"

# The two views of the same counts. "As it was" (the default) counts each event for the unit
# the CĐCS belonged to on its day; "on today's tree" counts it for the unit the CĐCS belongs to
# today, so that a unit founded in 2025 can compare with 2024.
TREE_PARAM, CURRENT_TREE_VALUE = "co-cau", "hien-nay"
AS_IT_WAS_LABEL = "theo cơ cấu tại thời điểm"
CURRENT_TREE_LABEL = "theo cơ cấu hiện nay"


# A federation's own campaign window (grassroots.Campaign): `period=dot-<id>`.
CAMPAIGN_PREFIX = "dot-"


@dataclass(frozen=True)
class CampaignWindow:
    """A campaign as the dashboards read it: its window and name (no database access)."""

    pk: int
    name: str
    start: date
    end: date
    federation_id: int

    @property
    def key(self) -> str:
        return f"{CAMPAIGN_PREFIX}{self.pk}"

    @property
    def choice_label(self) -> str:
        return f"{self.name} ({self.start:%d/%m}–{self.end:%d/%m/%Y})"

    def a_year_earlier(self) -> CampaignWindow:
        def back(day: date) -> date:
            return day.replace(
                year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1])
            )

        return CampaignWindow(
            self.pk, self.name, back(self.start), back(self.end), self.federation_id
        )


class PeriodError(ValueError):
    """A reporting-period parameter that cannot be used; str(error) is the message to show."""


@functools.lru_cache(maxsize=1024)
def month_end(year: int, month: int) -> date:
    """The last day of the month (cached: periods ask for it thousands of times a page)."""
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str) -> date:
    """dd/mm/yyyy (also yyyy-mm-dd from date pickers) -> date, or PeriodError."""
    value = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(value, fmt).date()  # noqa: DTZ007 (only the date is kept)
        except ValueError:
            continue
        if not YEAR_MIN <= day.year <= YEAR_MAX:
            # 01/01/0001 or 31/12/9999: the period's arithmetic would leave the calendar.
            raise PeriodError(
                f"Ngày số liệu «{value}» nằm ngoài các năm có số liệu ({YEAR_MIN}-{YEAR_MAX})."
            )
        return day
    raise PeriodError(
        f"Ngày số liệu «{value}» không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 04/04/2021."
    )


def parse_year(text: str) -> int:
    value = text.strip()
    year = parse_id(value)
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise PeriodError(
            f"Năm «{value}» không hợp lệ: nhập năm có 4 chữ số, từ {YEAR_MIN} đến {YEAR_MAX}."
        )
    return year


@dataclass(frozen=True)
class Period:
    year: int
    kind: str
    as_of: date | None = None
    current_tree: bool = False  # "theo cơ cấu hiện nay" (see CURRENT_TREE_LABEL)
    # A campaign window (kind "dot-<id>"): its own days, measured against its own targets.
    campaign: CampaignWindow | None = None

    @property
    def campaign_id(self) -> int | None:
        return self.campaign.pk if self.campaign else None

    @property
    def natural_start(self) -> date:
        if self.campaign:
            return self.campaign.start
        return date(self.year, PERIODS[self.kind][1], 1)

    @property
    def natural_end(self) -> date:
        if self.campaign:
            return self.campaign.end
        return month_end(self.year, PERIODS[self.kind][2])

    @property
    def start(self) -> date:
        return self.natural_start

    @property
    def end(self) -> date:
        """Last day counted: the period's end, or the as-of day if that comes first."""
        if self.as_of and self.as_of < self.natural_end:
            return self.as_of
        return self.natural_end

    @property
    def is_cut(self) -> bool:
        return self.end != self.natural_end

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def target_start(self) -> date:
        """First day the period's target is for: 01/01 (the annual target) or the campaign's."""
        return self.campaign.start if self.campaign else self.year_start

    @property
    def target_end(self) -> date:
        return self.campaign.end if self.campaign else self.year_end

    @property
    def year_to_date_end(self) -> date:
        """End of the year-long views (quarter table, monthly chart): the as-of day or 31/12."""
        return self.as_of or self.year_end

    @property
    def label(self) -> str:
        """`Năm 2024`, `Quý I/2024`, `Tháng Công nhân (tháng 5) 2024`, `... đến ngày 04/04/2021`."""
        if self.campaign:
            window = self.campaign
            text = f"{window.name} (từ {window.start:%d/%m/%Y} đến {window.end:%d/%m/%Y})"
            if self.is_cut:
                text += f", lũy kế đến ngày {self.end:%d/%m/%Y}"
            if self.current_tree:
                text += f" ({CURRENT_TREE_LABEL})"
            return text
        name = PERIODS[self.kind][0]
        if self.kind == "nam":
            text = f"Năm {self.year}"
        elif self.kind.startswith(("quy-", "thang-")) and self.kind[-1].isdigit():
            text = f"{name}/{self.year}"
        elif name.endswith("năm"):  # "6 tháng đầu năm 2024"
            text = f"{name} {self.year}"
        else:
            text = f"{name} năm {self.year}"
        if self.is_cut:
            text += f", lũy kế từ {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"
        if self.current_tree:
            text += f" ({CURRENT_TREE_LABEL})"
        return text

    def data_date(self, today: date) -> date:
        """The date the figures are "as of" for readers: the last counted day, not the future."""
        return min(self.end, today)

    def elapsed_share(self, today: date) -> Decimal:
        """Part of the year covered by the period so far: elapsed period days / days in year
        (a campaign: elapsed campaign days / the campaign's days).

        The yardstick for the colour bands: the target pro rata over elapsed time.
        """
        last = self.data_date(today)
        if last < self.start:
            return Decimal(0)
        days_in_year = (self.target_end - self.target_start).days + 1
        return Decimal((last - self.start).days + 1) / Decimal(days_in_year)

    def params(self) -> dict[str, str]:
        """GET parameters that reproduce this period (for links and exports)."""
        result = {"year": str(self.year), "period": self.kind}
        if self.as_of:
            result["as_of"] = self.as_of.strftime("%d/%m/%Y")
        if self.current_tree:
            result[TREE_PARAM] = CURRENT_TREE_VALUE
        return result

    @property
    def tree_label(self) -> str:
        return CURRENT_TREE_LABEL if self.current_tree else AS_IT_WAS_LABEL

    def same_period_last_year(self) -> Period:
        """ "Cùng kỳ năm trước": the same period (and as-of day) one year earlier."""
        as_of = self.as_of
        if as_of is not None:
            day = min(as_of.day, calendar.monthrange(as_of.year - 1, as_of.month)[1])
            as_of = as_of.replace(year=as_of.year - 1, day=day)
        campaign = self.campaign.a_year_earlier() if self.campaign else None
        return Period(self.year - 1, self.kind, as_of, self.current_tree, campaign)


def period_parse(
    params: Mapping[str, str],
    today: date,
    campaign: Callable[[int], CampaignWindow] | None = None,
) -> Period:
    """Build a Period from GET-like `params`; raise PeriodError with a Vietnamese message.

    `period=dot-<id>` is a campaign window, read through `campaign(id)` (the view's lookup,
    which answers 404 for a campaign the user may not see); its year is the campaign's."""
    year_text = (params.get("year") or "").strip()
    kind = (params.get("period") or "").strip() or DEFAULT_PERIOD
    as_of_text = (params.get("as_of") or "").strip()
    window: CampaignWindow | None = None
    if kind.startswith(CAMPAIGN_PREFIX) and campaign is not None:
        pk = parse_id(kind.removeprefix(CAMPAIGN_PREFIX))
        if pk is None:
            raise PeriodError(f"Đợt thi đua «{kind[:40]}» không có.")
        window = campaign(pk)
        year_text = str(window.start.year)
    elif kind not in PERIODS:
        raise PeriodError(
            f"Kỳ báo cáo «{kind}» không có. Chọn một trong: "
            + ", ".join(label for _, label in PERIOD_CHOICES[:8])
            + ", hoặc một tháng."
        )
    as_of = parse_date(as_of_text) if as_of_text else None
    default_year = as_of.year if as_of else today.year
    year = parse_year(year_text) if year_text else default_year
    if as_of and as_of.year != year:
        raise PeriodError(
            f"Ngày số liệu {as_of:%d/%m/%Y} không thuộc năm {year}: chọn một ngày trong năm"
            f" {year} hoặc đổi năm."
        )
    tree = (params.get(TREE_PARAM) or "").strip()
    if tree not in ("", CURRENT_TREE_VALUE):
        raise PeriodError(
            f"Cách xem «{tree}» không có: bỏ tham số «{TREE_PARAM}» để xem {AS_IT_WAS_LABEL},"
            f" hoặc đặt «{TREE_PARAM}={CURRENT_TREE_VALUE}» để xem {CURRENT_TREE_LABEL}."
        )
    period = Period(year=year, kind=kind, as_of=as_of, current_tree=bool(tree), campaign=window)
    if as_of and as_of < period.natural_start:
        name = window.name if window else PERIODS[kind][0]
        raise PeriodError(
            f"Ngày số liệu {as_of:%d/%m/%Y} ở trước kỳ «{name}» (bắt đầu từ ngày"
            f" {period.natural_start:%d/%m/%Y})."
        )
    return period


def quarter_ranges(year: int) -> list[tuple[int, date, date]]:
    return [(q, date(year, 3 * q - 2, 1), month_end(year, 3 * q)) for q in range(1, 5)]
