"""Importing annual targets (chỉ tiêu), keyed by (unit code, year).

The unit is an upper-level union or a federation (its own target). Scope: admins any unit;
federation staff the units of their federation and the federation itself (as on the targets
page); other rows are errors. Decision: district officers do not import targets (they only read
them), like the targets page. All three figures are required (as the targets page: all three or
none; "none" is not something a file row can mean). The other declared indicators
(grassroots.indicators) have optional columns: left out or blank, the target stays as it is. The rows are checked with the targets
page's rules (grassroots.rules: year bounds, figures) and written through the page's own
service, `grassroots.targets.targets_save`, one call per federation and year.

Campaign targets (đợt thi đua) come in the same file: the optional last column "Đợt thi đua"
names one of the unit's federation's declared campaigns (case and spacing do not matter); the
year must be the campaign's; every indicator is optional there (blank keeps the target as it
is) but a row must give one. They are written through
`grassroots.campaigns.campaign_targets_save`, one call per campaign, under the period locks of
the campaign's last day. A row with the column blank is an annual row, as before.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError

from grassroots.campaigns import campaign_targets_save
from grassroots.indicators import CORE_CODES, indicator_codes
from grassroots.models import AnnualTarget, Campaign, CampaignTarget, DistrictUnion, Federation
from grassroots.resources import target_columns
from grassroots.rules import (
    clean_target_value,
    target_label,
    unit_campaign_problem,
    unit_year_problem,
    year_problem,
)
from grassroots.targets import targets_save
from unionportal.spreadsheets.cells import CellError, code, label_key, whole_number

from ..base import Processor


class _Declared:
    """The columns of the indicators declared now (read on the class as on an instance)."""

    def __init__(self, read):
        self.read = read

    def __get__(self, instance, owner):
        return self.read()


class TargetImport(Processor):
    kind = "targets"
    title = "Chỉ tiêu năm"
    chunk_size = 5000
    columns = _Declared(lambda: target_columns().imported())
    sample_columns = _Declared(lambda: ["unit_code", "year", *indicator_codes(), "campaign"])

    @classmethod
    def allowed(cls, scope) -> bool:
        return scope.is_admin or scope.is_federation

    def prepare(self) -> None:
        federations = Federation.objects.where_targets_set_by(self.user)
        unions = DistrictUnion.objects.where_targets_set_by(self.user)
        self.federations = {f.code.upper(): f for f in federations}
        self.federation_by_id = {f.pk: f for f in Federation.objects.all()}
        self.unions = {u.code.upper(): u for u in unions}
        self.scope_hint = " trong LĐLĐ của bạn" if self.scope.is_federation else ""
        self.campaigns = {
            (c.federation_id, label_key(c.name)): c for c in Campaign.objects.editable_by(self.user)
        }

    def check_chunk(self, rows):
        parsed: list[tuple[int, str, Federation | DistrictUnion, int, dict]] = []
        campaign_rows: list[tuple[int, str, Federation | DistrictUnion, Campaign, dict]] = []
        for number, values in rows:
            get = self.getter(values)
            ok = True
            unit_code = code(get("unit_code"))
            unit: Federation | DistrictUnion | None = None
            if not unit_code:
                self.error(number, "unit_code", "Cần nhập mã đơn vị.")
                ok = False
            elif unit_code in self.federations and unit_code in self.unions:
                self.error(
                    number, "unit_code", f"Mã {unit_code} dùng cho cả LĐLĐ và công đoàn cấp trên."
                )
                ok = False
            elif unit_code in self.unions:
                unit = self.unions[unit_code]
            elif unit_code in self.federations:
                unit = self.federations[unit_code]
            else:
                self.error(
                    number, "unit_code", f"Không có đơn vị mã '{unit_code}'{self.scope_hint}."
                )
                ok = False
            year = None
            try:
                year = whole_number(get("year"), "Năm")
                if year is None:
                    self.error(number, "year", "Cần nhập năm.")
                    ok = False
                elif problem := year_problem(year):
                    self.error(number, "year", problem)
                    ok = False
            except CellError as problem:
                self.error(number, "year", problem.message)
                ok = False
            campaign: Campaign | None = None
            campaign_name = " ".join(str(get("campaign") or "").split())
            if campaign_name and unit is not None:
                owner_id = unit.pk if isinstance(unit, Federation) else unit.federation_id
                campaign = self.campaigns.get((owner_id, label_key(campaign_name)))
                if campaign is None:
                    self.error(
                        number,
                        "campaign",
                        f"LĐLĐ của đơn vị {unit_code} không có đợt thi đua «{campaign_name[:80]}»"
                        " (khai báo đợt ở trang Chỉ tiêu trước khi nhập).",
                    )
                    ok = False
                elif year is not None and year != campaign.year:
                    self.error(
                        number,
                        "year",
                        f"Đợt thi đua «{campaign.name}» thuộc năm {campaign.year}, không phải"
                        f" năm {year}.",
                    )
                    ok = False
            figures: dict[str, int] = {}
            for key in indicator_codes():
                try:
                    value = clean_target_value(key, get(key))
                except ValidationError as problem:
                    self.error(number, key, problem.messages[0])
                    ok = False
                    continue
                if value is None:
                    if key in CORE_CODES and not campaign_name:
                        label = target_label(key)
                        self.error(number, key, f"Cần nhập {label[0].lower()}{label[1:]}.")
                        ok = False
                    continue  # another indicator left blank: its target stays as it is
                figures[key] = value
            if campaign_name and campaign is None:
                continue  # an unknown campaign (or unit): reported, and no annual row either
            if campaign is not None and not figures and ok:
                self.error(
                    number, "campaign", f"Cần nhập ít nhất một chỉ tiêu của {campaign.name}."
                )
                ok = False
            if campaign is not None and isinstance(unit, DistrictUnion):
                outside = unit_campaign_problem(
                    f"Đơn vị {unit_code}",
                    campaign.name,
                    campaign.start_on,
                    campaign.end_on,
                    unit.founded_on,
                    unit.ended_on,
                )
                if outside:
                    self.error(number, "unit_code", outside)
                    ok = False
            if campaign is not None:
                if (
                    unit is not None
                    and ok
                    and self.first_row(
                        number,
                        (_unit_key(unit), "campaign", campaign.pk),
                        "unit_code",
                        f"Chỉ tiêu {campaign.name} của đơn vị {unit_code}",
                    )
                ):
                    assert unit is not None
                    campaign_rows.append((number, unit_code, unit, campaign, figures))
                continue
            if isinstance(unit, DistrictUnion) and year is not None:
                outside = unit_year_problem(
                    f"Đơn vị {unit_code}", year, unit.founded_on, unit.ended_on
                )
                if outside:
                    self.error(number, "unit_code", outside)
                    ok = False
            if (
                unit is not None
                and year is not None
                and not self.first_row(
                    number,
                    (_unit_key(unit), year),
                    "unit_code",
                    f"Chỉ tiêu năm {year} của đơn vị {unit_code}",
                )
            ):
                continue
            if ok:
                assert unit is not None and year is not None  # ok: both were read
                parsed.append((number, unit_code, unit, year, figures))
        plan: list[tuple[Federation | DistrictUnion, int, dict, Campaign | None]] = []
        locked: list[tuple[int, str, int, date]] = []
        if campaign_rows:
            self._plan_campaigns(campaign_rows, plan, locked)
        if not parsed:
            self.lock_errors(unit_events=locked)
            return plan
        years = {year for *_, year, _ in parsed}
        existing: dict[tuple[tuple[str, int | None], int], AnnualTarget] = {}
        for target in AnnualTarget.objects.filter(year__in=years).prefetch_related("values"):
            owner = (
                ("district_union_id", target.district_union_id)
                if target.district_union_id
                else ("federation_id", target.federation_id)
            )
            existing[(owner, target.year)] = target
        # Closed books: a unit's target is read by its reports of the year (the percentages);
        # once the year's last period (December, Q4, the year) is approved it stays.
        for number, unit_code, unit, year, figures in parsed:
            sample = [unit_code, year, *(figures.get(k) for k in indicator_codes()), ""]
            old = existing.get((_unit_key(unit), year))
            if isinstance(unit, DistrictUnion) and (
                old is None or any(old.figures().get(k) != v for k, v in figures.items())
            ):
                locked.append((number, "year", unit.pk, date(year, 12, 31)))
            if old is None:
                plan.append((unit, year, figures, None))
                self.counts.new += 1
                self.samples.add("new", number, sample)
                continue
            current = old.figures()
            diff = {k: v for k, v in figures.items() if current.get(k) != v}
            if not diff:
                self.counts.unchanged += 1
                self.samples.add("unchanged", number, sample)
                continue
            changes = "; ".join(
                f"{target_label(k)}: {_shown(current.get(k))} → {v}" for k, v in diff.items()
            )
            plan.append((unit, year, figures, None))
            self.counts.updated += 1
            self.samples.add("updated", number, sample, changes)
        self.lock_errors(unit_events=locked)
        return plan

    def _plan_campaigns(self, rows, plan, locked) -> None:
        """Campaign rows: new, changed or unchanged against the campaign's stored targets."""
        stored: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
        for campaign_id, unit_id, federation_id, key, value in CampaignTarget.objects.filter(
            campaign_id__in={c.pk for *_, c, _ in rows}
        ).values_list("campaign_id", "district_union_id", "federation_id", "indicator", "value"):
            owner = f"u{unit_id}" if unit_id else f"f{federation_id}"
            stored[(campaign_id, owner)][key] = value
        for number, unit_code, unit, campaign, figures in rows:
            sample = [
                unit_code,
                campaign.year,
                *(figures.get(k) for k in indicator_codes()),
                campaign.name,
            ]
            owner = f"f{unit.pk}" if isinstance(unit, Federation) else f"u{unit.pk}"
            current = stored.get((campaign.pk, owner), {})
            diff = {k: v for k, v in figures.items() if current.get(k) != v}
            if not diff:
                self.counts.unchanged += 1
                self.samples.add("unchanged", number, sample)
                continue
            if isinstance(unit, DistrictUnion):
                locked.append((number, "campaign", unit.pk, campaign.end_on))
            plan.append((unit, campaign.year, figures, campaign))
            if not current:
                self.counts.new += 1
                self.samples.add("new", number, sample)
                continue
            changes = "; ".join(
                f"{target_label(k)} ({campaign.name}): {_shown(current.get(k))} → {v}"
                for k, v in diff.items()
            )
            self.counts.updated += 1
            self.samples.add("updated", number, sample, changes)

    def write_chunk(self, plan) -> None:
        """Through the targets page's services: one call per federation and year, one per
        campaign."""
        groups: dict[tuple[int, int], dict] = defaultdict(dict)
        by_campaign: dict[int, tuple[Campaign, dict]] = {}
        for unit, year, figures, campaign in plan:
            if campaign is not None:
                by_campaign.setdefault(campaign.pk, (campaign, {}))[1][unit] = figures
                continue
            federation_id = unit.pk if isinstance(unit, Federation) else unit.federation_id
            groups[(federation_id, year)][unit] = figures
        for (federation_id, year), values in groups.items():
            targets_save(
                user=self.user,
                federation=self.federation_by_id[federation_id],
                year=year,
                values=values,
                reason=self.change_reason,
                keep_missing=True,
            )
        for campaign, values in by_campaign.values():
            campaign_targets_save(
                user=self.user,
                campaign=campaign,
                values=values,
                reason=self.change_reason,
                keep_missing=True,
            )


def _unit_key(unit: Federation | DistrictUnion) -> tuple[str, int]:
    if isinstance(unit, Federation):
        return ("federation_id", unit.pk)
    return ("district_union_id", unit.pk)


def _shown(value: int | None) -> str:
    return "(chưa giao)" if value is None else str(value)
