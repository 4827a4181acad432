"""Campaign windows (đợt thi đua, đợt cao điểm) and their targets.

A federation declares a campaign ("Tháng Công nhân 2026", 01/05-31/05/2026; "Tháng cao điểm
phát triển đoàn viên", 01/07-31/07) and gives its units targets for it, per declared
indicator, next to the annual ones. Federation staff declare their federation's campaigns and
set their targets, admins any federation's; officers read them on their dashboard (the pages
here answer 404 for them). Campaign targets follow the normal period locks: a target is read by
the reports of the period that holds the campaign's last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from unionportal.text import parse_id

from .locks import period_lock_check
from .models import Campaign, CampaignTarget, DistrictUnion, Federation
from .rules import campaign_problem, unit_campaign_problem

DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]


@dataclass(frozen=True)
class CampaignFigures:
    """One unit's targets of a campaign, shaped like an `AnnualTarget` for the targets form."""

    values: dict[str, int]

    def figures(self) -> dict[str, int]:
        return dict(self.values)


def row_key(unit: Federation | DistrictUnion) -> str:
    return f"f{unit.pk}" if isinstance(unit, Federation) else f"u{unit.pk}"


def campaign_targets_for(campaign: Campaign) -> dict[str, CampaignFigures]:
    """{"f<id>"/"u<id>": figures} of a campaign: one query."""
    values: dict[str, dict[str, int]] = {}
    for unit_id, federation_id, code, value in CampaignTarget.objects.filter(
        campaign=campaign
    ).values_list("district_union_id", "federation_id", "indicator", "value"):
        key = f"u{unit_id}" if unit_id else f"f{federation_id}"
        values.setdefault(key, {})[code] = value
    return {key: CampaignFigures(figures) for key, figures in values.items()}


def campaign_units(campaign: Campaign, units) -> list[DistrictUnion]:
    """The units that existed on some day of the campaign's window."""
    return [
        unit
        for unit in units
        if unit_campaign_problem(
            unit.name,
            campaign.name,
            campaign.start_on,
            campaign.end_on,
            unit.founded_on,
            unit.ended_on,
        )
        is None
    ]


def _attribute(row, user, reason: str) -> None:
    if getattr(user, "pk", None):
        row._history_user = user
    if reason:
        row._change_reason = reason


@transaction.atomic
def campaign_save(
    *,
    user,
    federation: Federation,
    name: str,
    start_on: date,
    end_on: date,
    campaign: Campaign | None = None,
) -> Campaign:
    """Declare a campaign of `federation`, or change one (name, window). Refuses (404) a
    federation whose targets the user may not set. Moving the window of a campaign whose
    units have targets is checked against the period locks of the old and the new last day."""
    if not Federation.objects.where_targets_set_by(user).filter(pk=federation.pk).exists():
        raise Http404
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Cần nhập tên đợt thi đua."})
    problem = campaign_problem(start_on, end_on)
    if problem:
        raise ValidationError({"end_on": problem})
    clash = Campaign.objects.filter(federation=federation, name__iexact=name)
    if campaign is not None:
        clash = clash.exclude(pk=campaign.pk)
    if clash.exists():
        raise ValidationError({"name": f"{federation.name} đã có đợt thi đua tên «{name}»."})
    if campaign is None:
        campaign = Campaign(federation=federation)
    elif campaign.federation_id != federation.pk:
        raise Http404
    moved = campaign.pk and (campaign.start_on, campaign.end_on) != (start_on, end_on)
    if moved:
        unit_ids = set(
            CampaignTarget.objects.filter(
                campaign=campaign, district_union__isnull=False
            ).values_list("district_union_id", flat=True)
        )
        period_lock_check(
            units=[(pk, day) for pk in unit_ids for day in {campaign.end_on, end_on}],
            what=f"Đợt thi đua {name}",
        )
    campaign.name, campaign.start_on, campaign.end_on = name, start_on, end_on
    campaign.full_clean(validate_unique=False)
    _attribute(campaign, user, "")
    campaign.save()
    return campaign


@transaction.atomic
def campaign_targets_save(
    *, user, campaign: Campaign, values: dict, reason: str = "", keep_missing: bool = False
) -> int:
    """Create, update or remove the targets of `campaign` for its federation and units.

    `values`: {unit: {indicator code: target} or None}, as `grassroots.targets.targets_save`
    (an indicator missing loses its target, or with `keep_missing` keeps it). Refuses (404)
    a campaign or unit the user may not set targets for. Returns the number of units whose
    targets changed; each change is kept in the history (who, when, why). The targets page
    and the targets import both write through here.
    """
    if not Campaign.objects.editable_by(user).filter(pk=campaign.pk).exists():
        raise Http404
    existing: dict[str, dict[str, CampaignTarget]] = {}
    for row in CampaignTarget.objects.filter(campaign=campaign):
        key = f"u{row.district_union_id}" if row.district_union_id else f"f{row.federation_id}"
        existing.setdefault(key, {})[row.indicator] = row
    changed = 0
    locked: list[tuple[int, date]] = []
    for unit, numbers in values.items():
        is_union = isinstance(unit, DistrictUnion)
        own_federation = unit.federation_id if is_union else unit.pk
        if own_federation != campaign.federation_id:
            raise Http404
        if is_union and numbers:
            problem = unit_campaign_problem(
                unit.name,
                campaign.name,
                campaign.start_on,
                campaign.end_on,
                unit.founded_on,
                unit.ended_on,
            )
            if problem:
                raise ValidationError(problem)
        stored = existing.get(row_key(unit), {})
        old = {code: row.value for code, row in stored.items()}
        if numbers is None:
            new = old if keep_missing else {}
        else:
            new = {**old, **numbers} if keep_missing else dict(numbers)
        if new == old:
            continue
        for code, value in new.items():
            row = stored.get(code) or CampaignTarget(
                campaign=campaign,
                federation=None if is_union else unit,
                district_union=unit if is_union else None,
                indicator=code,
                value=value,
            )
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
        if is_union:
            locked.append((unit.pk, campaign.end_on))
    # Closed books (one query; the transaction rolls back): the period holding the campaign's
    # last day, once approved, keeps the targets its figures were measured against.
    period_lock_check(units=locked, what=f"Chỉ tiêu {campaign.name}")
    return changed


@transaction.atomic
def campaign_delete(*, user, campaign: Campaign) -> None:
    """Remove a campaign and its targets (404 for a user who may not set them). Refused when a
    unit with targets in it has the period of the campaign's last day approved."""
    if not Campaign.objects.editable_by(user).filter(pk=campaign.pk).exists():
        raise Http404
    unit_ids = set(
        CampaignTarget.objects.filter(campaign=campaign, district_union__isnull=False).values_list(
            "district_union_id", flat=True
        )
    )
    period_lock_check(
        units=[(pk, campaign.end_on) for pk in unit_ids], what=f"Xóa đợt thi đua {campaign.name}"
    )
    for row in CampaignTarget.objects.filter(campaign=campaign):
        _attribute(row, user, f"Xóa đợt thi đua {campaign.name}")
        row.delete()  # a history row for each target removed
    _attribute(campaign, user, "")
    campaign.delete()


class CampaignDeleteView(TemplateView):
    """`/cdcs/chi-tieu/dot-thi-dua/<pk>/xoa/`: confirm, then remove a campaign and its targets
    (its federation's staff and admins; others 404). The POST needs the confirmation box."""

    template_name = "grassroots/campaign_confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(
            Campaign.objects.editable_by(request.user).select_related("federation"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaign=self.campaign,
            target_count=CampaignTarget.objects.filter(campaign=self.campaign).count(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        error = ""
        if request.POST.get("xac_nhan") != "1":
            error = "Đánh dấu ô xác nhận để xóa đợt thi đua."
        else:
            try:
                campaign_delete(user=request.user, campaign=self.campaign)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(request, f"Đã xóa đợt thi đua {self.campaign.name}.")
                return redirect(
                    f"{reverse('grassroots:targets')}?year={self.campaign.year}"
                    f"&lien_doan={self.campaign.federation.code}"
                )
        return self.render_to_response(self.get_context_data(error=error))


class CampaignForm(forms.Form):
    name = forms.CharField(
        label="Tên đợt thi đua",
        max_length=200,
        help_text="Ví dụ: Tháng Công nhân 2026; Tháng cao điểm phát triển đoàn viên 2026.",
    )
    start_on = forms.DateField(label="Từ ngày", input_formats=DATE_INPUT, help_text="dd/mm/yyyy")
    end_on = forms.DateField(label="Đến ngày", input_formats=DATE_INPUT, help_text="dd/mm/yyyy")

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and (problem := campaign_problem(start, end)):
            self.add_error("end_on", problem)
        return data


class CampaignEditView(TemplateView):
    """`/cdcs/chi-tieu/dot-thi-dua/them/` and `.../<pk>/sua/`: declare or change a campaign
    (federation staff: their federation; admins: any, `lien_doan=<code>`). Others: 404."""

    template_name = "grassroots/campaign_form.html"

    def dispatch(self, request, *args, **kwargs):
        federations = Federation.objects.where_targets_set_by(request.user)
        pk = kwargs.get("pk")
        self.campaign = None
        if pk is not None:
            self.campaign = get_object_or_404(
                Campaign.objects.editable_by(request.user).select_related("federation"), pk=pk
            )
            self.federation = self.campaign.federation
        else:
            if not federations.exists():
                raise Http404
            code = request.GET.get("lien_doan") or request.POST.get("lien_doan") or ""
            code = code.replace("\x00", "")
            federation = (federations.filter(code=code).first() if code else None) or (
                federations.first()
            )
            assert federation is not None
            self.federation = federation
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            initial = {}
            if self.campaign:
                initial = {
                    "name": self.campaign.name,
                    "start_on": self.campaign.start_on.strftime("%d/%m/%Y"),
                    "end_on": self.campaign.end_on.strftime("%d/%m/%Y"),
                }
            kwargs["form"] = CampaignForm(initial=initial)
        return super().get_context_data(
            campaign=self.campaign, federation=self.federation, **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                campaign = campaign_save(
                    user=request.user,
                    federation=self.federation,
                    campaign=self.campaign,
                    name=form.cleaned_data["name"],
                    start_on=form.cleaned_data["start_on"],
                    end_on=form.cleaned_data["end_on"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, problems in error.message_dict.items():
                        for problem in problems:
                            form.add_error(field if field in form.fields else None, problem)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, f"Đã lưu đợt thi đua {campaign}.")
                return redirect(
                    f"{reverse('grassroots:targets')}?year={campaign.year}"
                    f"&lien_doan={self.federation.code}&dot={campaign.pk}"
                )
        return self.render_to_response(self.get_context_data(form=form))


def campaign_from_param(user, federation: Federation, raw: str) -> Campaign | None:
    """The campaign named by the targets page's `dot` parameter (None: the annual targets);
    a campaign of another federation, one the user may not set, or a bad id answers 404."""
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return get_object_or_404(
        Campaign.objects.editable_by(user).filter(federation=federation), pk=pk
    )
