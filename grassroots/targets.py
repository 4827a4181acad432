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

from .collation import vi_order
from .locks import period_lock_check
from .models import AnnualTarget, DistrictUnion, Federation
from .rules import (
    MAX_YEAR,
    MIN_YEAR,
    TARGET_FIELDS,
    clean_target_value,
    unit_year_note,
    unit_year_problem,
    year_problem,
)

FIELDS = list(TARGET_FIELDS)
__all__ = ["FIELDS", "MAX_YEAR", "MIN_YEAR", "TargetsForm", "TargetsView", "targets_save"]


@dataclass(frozen=True)
class TargetRow:
    key: str  # "f<id>" for the federation, "u<id>" for a unit
    label: str
    is_federation: bool
    fields: tuple  # bound fields, in FIELDS order


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
        self, *args, federation: Federation, units, targets: dict, year: int | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.units = [federation, *units]
        self.year = year
        for unit in self.units:
            current = targets.get(_row_key(unit))
            for name, label in FIELDS:
                # Shown "21.710" (localised) and read back with or without the dots by the rule
                # the import uses. Each input is named for screen readers (aria-label).
                self.fields[f"{_row_key(unit)}-{name}"] = TargetField(
                    name=name,
                    unit_name=unit.name,
                    label=f"{unit.name}: {label}",
                    required=False,
                    localize=True,
                    initial=getattr(current, name) if current else None,
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
                fields=tuple(self[f"{_row_key(unit)}-{name}"] for name, _ in FIELDS),
            )
            for unit in self.units
        ]

    def values(self) -> dict:
        """{unit: (new_members, new_grassroots, new_grassroots_25plus) or None if all blank}."""
        result: dict[Federation | DistrictUnion, tuple | None] = {}
        for unit in self.units:
            values = tuple(self.cleaned_data.get(f"{_row_key(unit)}-{name}") for name, _ in FIELDS)
            if all(v is None for v in values):
                result[unit] = None
            elif any(v is None for v in values):
                raise ValidationError(
                    f"{unit.name}: nhập đủ ba chỉ tiêu, hoặc để trống cả ba nếu chưa giao chỉ tiêu."
                )
            else:
                result[unit] = values
        return result


def targets_for(federation: Federation, year: int) -> dict[str, AnnualTarget]:
    rows = AnnualTarget.objects.filter(year=year).filter(
        federation=federation
    ) | AnnualTarget.objects.filter(year=year, district_union__federation=federation)
    return {_row_key(t.unit): t for t in rows.select_related("federation", "district_union")}


@transaction.atomic
def targets_save(
    *,
    user,
    federation: Federation,
    year: int,
    values: dict,
    reason: str = "",
) -> int:
    """Create, update or remove the targets of `federation` and its units for `year`.

    Refuses (404) a federation or unit the user may not set targets for. Returns the number of targets changed. Each change
    is kept in the targets' history (who, when and, from an import, `reason`). The targets page
    and the targets import both write through here.
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
            if current:
                current.delete()
                changed += 1
                if isinstance(unit, DistrictUnion):
                    locked_days.append((unit.pk, date(year, 12, 31)))
            continue
        target = current or AnnualTarget(
            year=year,
            federation=unit if isinstance(unit, Federation) else None,
            district_union=unit if isinstance(unit, DistrictUnion) else None,
        )
        new = dict(zip((name for name, _ in FIELDS), numbers, strict=True))
        if current and all(getattr(current, k) == v for k, v in new.items()):
            continue
        for name, value in new.items():
            setattr(target, name, value)
        target.full_clean(validate_unique=False)
        if getattr(user, "pk", None):
            target._history_user = user
        if reason:
            target._change_reason = reason
        target.save()
        changed += 1
        if isinstance(unit, DistrictUnion):
            locked_days.append((unit.pk, date(year, 12, 31)))
    # Closed books (one query; the transaction rolls back): a year whose reports are approved
    # keeps the targets they were measured against.
    period_lock_check(units=locked_days, what=f"Chỉ tiêu năm {year}")
    return changed


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
        # The units that existed on some day of the year, also for part of it (an ended unit
        # keeps its targets; a unit founded during the year gets the rest of the year's).
        self.units = [
            unit
            for unit in DistrictUnion.objects.filter(federation=self.federation).order_by(
                vi_order("name"), "pk"
            )
            if unit_year_problem(unit.name, self.year, unit.founded_on, unit.ended_on) is None
        ]
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None) -> TargetsForm:
        return TargetsForm(
            data,
            federation=self.federation,
            units=self.units,
            targets=targets_for(self.federation, self.year),
            year=self.year,
        )

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.get_form()
        return super().get_context_data(
            form=form,
            headers=[label for _, label in FIELDS],
            federation=self.federation,
            federations=self.federations,
            year=self.year,
            years=range(self.year - 3, self.year + 2),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                changed = targets_save(
                    user=request.user,
                    federation=self.federation,
                    year=self.year,
                    values=form.values(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã lưu chỉ tiêu năm {self.year}: {changed} thay đổi.")
                return redirect(f"{request.path}?year={self.year}&lien_doan={self.federation.code}")
        return self.render_to_response(self.get_context_data(form=form))
