"""The CĐCS list's search and filters, reusable by exports ("export the list as filtered").

`filter_grassroots(queryset, params, user=...)` -> (filtered queryset, cleaned filters). The
queryset must already be scoped (`GrassrootsUnion.objects.for_user(user)`): filters only narrow.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms
from django.http import QueryDict
from django.utils import timezone

from unionportal.filters import ListFilter

from .collation import vi_order
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = DistrictUnion.objects.for_user(user)
        cast(forms.ModelChoiceField, self.fields["district_union"]).queryset = units.order_by(
            vi_order("name"), "pk"
        )


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


class GrassrootsFilter(ListFilter):
    form_class = GrassrootsFilterForm

    def apply(self, queryset, data: dict):
        return _apply(queryset, data, timezone.localdate())


def filter_grassroots(queryset, params: QueryDict, *, user):
    """Apply the CĐCS list's search and filters from `params` (a GET QueryDict) to `queryset`.

    Returns (queryset, cleaned_filters) where cleaned_filters holds only the valid filters in
    use, JSON-friendly (e.g. {"q": "alpha", "sector": "fdi_enterprise", "district_union": 3}),
    ready for AccessLog.filters. Pass `user` so unit choices are validated against the user's
    scope; `queryset` must already be scoped with `for_user(user)`.
    """
    result = GrassrootsFilter(queryset, params, user=user)
    return result.qs, result.cleaned
