"""Setting annual targets (chỉ tiêu): one page per federation and year, every unit on one form.

Federation staff set the targets of their federation's units and the federation's own target
(which need not equal the sum of the units'); admins set any federation's. Officers only read
targets (on their dashboard): this page answers 404 for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from unionportal.text import parse_id

from .campaigns import (
    campaign_from_param,
    campaign_targets_for,
    campaign_targets_save,
    campaign_units,
)
from .collation import vi_order
from .indicators import CORE_CODES
from .locks import period_lock_check
from .models import AnnualTarget, Campaign, DistrictUnion, Federation, TargetValue
from .rules import (
    MAX_YEAR,
    MIN_YEAR,
    clean_target_value,
    target_fields,
    unit_year_note,
    unit_year_problem,
    year_problem,
)

__all__ = ["MAX_YEAR", "MIN_YEAR", "TargetsForm", "TargetsView", "target_fields", "targets_save"]


@dataclass(frozen=True)
class TargetRow:
    key: str  # "f<id>" for the federation, "u<id>" for a unit
    label: str
    is_federation: bool
    fields: tuple  # bound fields, in the declared indicators' order


def _row_key(unit: Federation | DistrictUnion) -> str:
    return f"f{unit.pk}" if isinstance(unit, Federation) else f"u{unit.pk}"


class TargetField(forms.IntegerField):
    """One target figure, read and checked by the rule the import uses (grassroots.rules):
    '1.450' is 1450, as Vietnamese write it; the message names the unit first."""

    def __init__(self, *, name: str, unit_name: str, **kwargs):
        self.target_name = name
        self.unit_name = unit_name
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return clean_target_value(self.target_name, value)
        except ValidationError as problem:
            raise ValidationError(f"{self.unit_name}: {problem.messages[0]}") from None

    def validate(self, value):
        """Nothing more: clean_target_value checked the bounds."""

    def run_validators(self, value):
        """Nothing more: clean_target_value checked the bounds."""


class TargetsForm(forms.Form):
    """One integer field per unit and indicator; blank means "no target set"."""

    def __init__(
        self,
        *args,
        federation: Federation,
        units,
        targets: dict,
        year: int | None = None,
        core_together: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # A campaign's targets may name one indicator only (the annual ones: all three or none).
        self.core_together = core_together
        self.units = [federation, *units]
        self.year = year
        self.indicator_fields = target_fields()
        for unit in self.units:
            current = targets.get(_row_key(unit))
            figures = current.figures() if current else {}
            for name, label in self.indicator_fields:
                # Shown "21.710" (localised) and read back with or without the dots by the rule
                # the import uses. Each input is named for screen readers (aria-label).
                self.fields[f"{_row_key(unit)}-{name}"] = TargetField(
                    name=name,
                    unit_name=unit.name,
                    label=f"{unit.name}: {label}",
                    required=False,
                    localize=True,
                    initial=figures.get(name),
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm table-num",
                            "inputmode": "numeric",
                            "autocomplete": "off",
                            "aria-label": f"{unit.name}: {label}",
                        }
                    ),
                )

    def _label(self, unit) -> str:
        if isinstance(unit, Federation) or self.year is None:
            return unit.name
        note = unit_year_note(self.year, unit.founded_on, unit.ended_on)
        return f"{unit.name} ({note})" if note else unit.name

    def rows(self) -> list[TargetRow]:
        return [
            TargetRow(
                key=_row_key(unit),
                label=self._label(unit),
                is_federation=isinstance(unit, Federation),
                fields=tuple(self[f"{_row_key(unit)}-{name}"] for name, _ in self.indicator_fields),
            )
            for unit in self.units
        ]

    def values(self) -> dict:
        """{unit: {indicator code: target} or None if all blank}: a blank indicator has no
        target. The first three go together (all three or none), as they always did."""
        result: dict[Federation | DistrictUnion, dict | None] = {}
        for unit in self.units:
            values = {
                name: self.cleaned_data.get(f"{_row_key(unit)}-{name}")
                for name, _ in self.indicator_fields
            }
            core = [values[name] for name in CORE_CODES]
            if (
                self.core_together
                and any(v is None for v in core)
                and any(v is not None for v in core)
            ):
                raise ValidationError(
                    f"{unit.name}: nhập đủ ba chỉ tiêu, hoặc để trống cả ba nếu chưa giao chỉ tiêu."
                )
            given = {name: v for name, v in values.items() if v is not None}
            result[unit] = given or None
        return result


def targets_for(federation: Federation, year: int) -> dict[str, AnnualTarget]:
    rows = AnnualTarget.objects.filter(year=year).filter(
        federation=federation
    ) | AnnualTarget.objects.filter(year=year, district_union__federation=federation)
    return {
        _row_key(t.unit): t
        for t in rows.select_related("federation", "district_union").prefetch_related("values")
    }


@transaction.atomic
def targets_save(
    *,
    user,
    federation: Federation,
    year: int,
    values: dict,
    reason: str = "",
    keep_missing: bool = False,
) -> int:
    """Create, update or remove the targets of `federation` and its units for `year`.

    `values`: {unit: {indicator code: target} or None}. An indicator missing from a unit's
    figures loses its target (the targets page: a blank cell), or with `keep_missing` keeps it
    (the import: a column left out or blank); None removes all of the unit's targets (never
    with `keep_missing`). Refuses (404) a federation or unit the user may not set targets
    for. Returns the number of units whose targets changed. Each change is kept in the
    targets' history (who, when and, from an import, `reason`). The targets page and the
    targets import both write through here.
    """
    problem = year_problem(year)
    if problem:
        raise ValidationError(problem)
    if not Federation.objects.where_targets_set_by(user).filter(pk=federation.pk).exists():
        raise Http404
    changed = 0
    locked_days: list[tuple[int, date]] = []
    existing = targets_for(federation, year)
    for unit, numbers in values.items():
        if isinstance(unit, DistrictUnion) and unit.federation_id != federation.pk:
            raise Http404
        if isinstance(unit, DistrictUnion) and numbers is not None:
            problem = unit_year_problem(unit.name, year, unit.founded_on, unit.ended_on)
            if problem:
                raise ValidationError(problem)
        current = existing.get(_row_key(unit))
        if numbers is None:
            if current and not keep_missing:
                current.delete()
                changed += 1
                if isinstance(unit, DistrictUnion):
                    locked_days.append((unit.pk, date(year, 12, 31)))
            continue
        old = current.figures() if current else {}
        new = {**old, **numbers} if keep_missing else dict(numbers)
        if current and new == old:
            continue
        target = current or AnnualTarget(
            year=year,
            federation=unit if isinstance(unit, Federation) else None,
            district_union=unit if isinstance(unit, DistrictUnion) else None,
        )
        target.full_clean(validate_unique=False)
        _attribute(target, user, reason)
        target.save()  # a history row of the unit's targets on every change
        stored = {v.indicator: v for v in current.values.all()} if current else {}
        for code, value in new.items():
            row = stored.get(code) or TargetValue(target=target, indicator=code, value=value)
            if row.pk and row.value == value:
                continue
            row.value = value
            row.full_clean(validate_unique=False)
            _attribute(row, user, reason)
            row.save()
        for code in stored.keys() - new.keys():
            _attribute(stored[code], user, reason)
            stored[code].delete()
        changed += 1
        if isinstance(unit, DistrictUnion):
            locked_days.append((unit.pk, date(year, 12, 31)))
    # Closed books (one query; the transaction rolls back): a year whose reports are approved
    # keeps the targets they were measured against.
    period_lock_check(units=locked_days, what=f"Chỉ tiêu năm {year}")
    return changed


def _attribute(row: AnnualTarget | TargetValue, user, reason: str) -> None:
    """Who changed it and why, for simple_history's row."""
    if getattr(user, "pk", None):
        row._history_user = user
    if reason:
        row._change_reason = reason


class TargetsView(TemplateView):
    template_name = "grassroots/targets_form.html"

    def dispatch(self, request, *args, **kwargs):
        federations = Federation.objects.where_targets_set_by(request.user)
        if not federations.exists():
            raise Http404
        code = request.GET.get("lien_doan") or request.POST.get("lien_doan")
        if code and "\x00" in code:
            code = None  # PostgreSQL refuses NUL in text: not a code of any federation
        federation = (
            federations.filter(code=code).first() if code else None
        ) or federations.first()
        assert federation is not None  # there is one: exists() above
        self.federation = federation
        self.federations = federations
        raw_year = request.GET.get("year") or request.POST.get("year") or ""
        year = parse_id(raw_year)
        if year is None or year_problem(year):
            if raw_year:
                messages.error(request, f"Năm “{raw_year[:10]}” không hợp lệ: hiển thị năm nay.")
            year = timezone.localdate().year
        self.year = year
        # `dot=<id>`: the targets of one of the federation's campaigns instead of the year's.
        self.campaign = campaign_from_param(
            request.user, self.federation, request.GET.get("dot") or request.POST.get("dot") or ""
        )
        if self.campaign is not None:
            self.year = self.campaign.year
        # The units that existed on some day of the year, also for part of it (an ended unit
        # keeps its targets; a unit founded during the year gets the rest of the year's).
        self.units = [
            unit
            for unit in DistrictUnion.objects.filter(federation=self.federation).order_by(
                vi_order("name"), "pk"
            )
            if unit_year_problem(unit.name, self.year, unit.founded_on, unit.ended_on) is None
        ]
        if self.campaign is not None:
            self.units = campaign_units(self.campaign, self.units)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None) -> TargetsForm:
        targets: dict
        if self.campaign is not None:
            targets = campaign_targets_for(self.campaign)
        else:
            targets = targets_for(self.federation, self.year)
        return TargetsForm(
            data,
            federation=self.federation,
            units=self.units,
            targets=targets,
            year=self.year,
            core_together=self.campaign is None,
        )

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.get_form()
        return super().get_context_data(
            form=form,
            headers=[label for _, label in form.indicator_fields],
            federation=self.federation,
            federations=self.federations,
            year=self.year,
            years=range(self.year - 3, self.year + 2),
            campaign=self.campaign,
            campaigns=list(
                Campaign.objects.filter(federation=self.federation, start_on__year=self.year)
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                if self.campaign is not None:
                    changed = campaign_targets_save(
                        user=request.user, campaign=self.campaign, values=form.values()
                    )
                else:
                    changed = targets_save(
                        user=request.user,
                        federation=self.federation,
                        year=self.year,
                        values=form.values(),
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                what = self.campaign.name if self.campaign else f"năm {self.year}"
                messages.success(request, f"Đã lưu chỉ tiêu {what}: {changed} thay đổi.")
                dot = f"&dot={self.campaign.pk}" if self.campaign else ""
                return redirect(
                    f"{request.path}?year={self.year}&lien_doan={self.federation.code}{dot}"
                )
        return self.render_to_response(self.get_context_data(form=form))


def targets_bulk_create(
    targets: list[tuple[AnnualTarget, dict[str, int]]], batch_size: int = 2000
) -> None:
    """Create new targets with their figures ({indicator code: target}) in two bulk inserts
    (seed data and benchmarks: no history rows, no checks beyond the database's)."""
    AnnualTarget.objects.bulk_create([t for t, _ in targets], batch_size=batch_size)
    TargetValue.objects.bulk_create(
        [
            TargetValue(target=t, indicator=code, value=value)
            for t, figures in targets
            for code, value in figures.items()
        ],
        batch_size=batch_size,
    )
