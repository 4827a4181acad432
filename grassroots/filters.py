"""The CĐCS list's search and filters, reusable by exports ("export the list as filtered").

`filter_grassroots(queryset, params, user=...)` -> (filtered queryset, cleaned filters). The
queryset must already be scoped (`GrassrootsUnion.objects.for_user(user)`): filters only narrow.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils import timezone

from .models import WORKERS_THRESHOLD, DistrictUnion, GrassrootsUnion

STATUS_CHOICES = [("", "Tất cả"), ("active", "Đang hoạt động"), ("dissolved", "Đã giải thể")]
SORT_CHOICES = [
    ("name", "Tên (A→Z)"),
    ("-founded_on", "Mới thành lập nhất"),
    ("founded_on", "Thành lập sớm nhất"),
    ("code", "Mã CĐCS"),
]


class GrassrootsFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Tên, mã CĐCS hoặc mã số thuế"}
        ),
    )
    district_union = forms.ModelChoiceField(
        label="Công đoàn cấp trên",
        required=False,
        queryset=DistrictUnion.objects.none(),
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Đơn vị đã chọn không có trong danh sách."},
    )
    sector = forms.ChoiceField(
        label="Khu vực", required=False, choices=[("", "Tất cả"), *GrassrootsUnion.Sector.choices]
    )
    status = forms.ChoiceField(label="Tình trạng", required=False, choices=STATUS_CHOICES)
    workers_25 = forms.BooleanField(
        label=f"Từ {WORKERS_THRESHOLD} lao động trở lên", required=False
    )
    founded_year = forms.IntegerField(
        label="Thành lập năm",
        required=False,
        min_value=1945,
        max_value=2100,
        error_messages={
            "invalid": "Năm thành lập phải là một số, ví dụ 2024.",
            "min_value": "Năm thành lập không hợp lệ.",
            "max_value": "Năm thành lập không hợp lệ.",
        },
        widget=forms.NumberInput(attrs={"placeholder": "yyyy", "inputmode": "numeric"}),
    )
    sort = forms.ChoiceField(label="Sắp xếp", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = (
            DistrictUnion.objects.all() if user is None else DistrictUnion.objects.for_user(user)
        )
        self.fields["district_union"].queryset = units.order_by("name")


def _apply(queryset, data: dict, today: date):
    if data.get("q"):
        queryset = queryset.search(data["q"])
    if data.get("district_union"):
        queryset = queryset.filter(district_union=data["district_union"])
    if data.get("sector"):
        queryset = queryset.filter(sector=data["sector"])
    if data.get("status") == "active":
        queryset = queryset.active_on(today)
    elif data.get("status") == "dissolved":
        queryset = queryset.filter(dissolved_on__lte=today)
    if data.get("workers_25"):
        queryset = queryset.filter(workers__gte=WORKERS_THRESHOLD)
    if data.get("founded_year"):
        year = data["founded_year"]
        queryset = queryset.filter(
            founded_on__gte=date(year, 1, 1), founded_on__lte=date(year, 12, 31)
        )
    sort = data.get("sort") or "name"
    if sort == "name":
        return queryset.vi_ordered(indexed=not data.get("q"))
    return queryset.order_by(sort, "pk")


def _serialisable(data: dict) -> dict:
    """Only the filters in use, as JSON-friendly values (ids, ISO dates, strings)."""
    cleaned = {}
    for name, value in data.items():
        if value in (None, "", False):
            continue
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        cleaned[name] = value
    return cleaned


class GrassrootsFilter:
    """The bound filter form and the filtered queryset; invalid fields are ignored (and shown)."""

    def __init__(self, queryset, params: QueryDict, *, user=None):
        self.form = GrassrootsFilterForm(params or None, user=user)
        valid = {}
        if self.form.is_bound:
            self.form.is_valid()
            valid = {k: v for k, v in self.form.cleaned_data.items() if k not in self.form.errors}
        self.data = valid
        self.qs = _apply(queryset, valid, timezone.localdate())
        self.cleaned = _serialisable(valid)

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the filters in use, for headings of exports and pages."""
        rows = []
        for name, value in self.data.items():
            if value in (None, "", False) or name == "sort":
                continue
            field = self.form.fields[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)
            elif value is True:
                value = "có"
            rows.append((str(field.label), str(value)))
        return rows


def filter_grassroots(queryset, params: QueryDict, *, user=None):
    """Apply the CĐCS list's search and filters from `params` (a GET QueryDict) to `queryset`.

    Returns (queryset, cleaned_filters) where cleaned_filters holds only the valid filters in
    use, JSON-friendly (e.g. {"q": "alpha", "sector": "fdi_enterprise", "district_union": 3}),
    ready for AccessLog.filters. Pass `user` so unit choices are validated against the user's
    scope; `queryset` must already be scoped with `for_user(user)`.
    """
    result = GrassrootsFilter(queryset, params, user=user)
    return result.qs, result.cleaned
