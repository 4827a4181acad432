"""The member list's search and filters, reusable by exports ("export the list as filtered").

`filter_members(queryset, params, user=...)` -> (filtered queryset, cleaned filters). The queryset
must already be scoped (`Member.objects.for_user(user)`): filters only narrow it.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from grassroots.access import scope_for
from grassroots.collation import vi_order
from grassroots.forms import VNDateField
from grassroots.models import DistrictUnion, GrassrootsUnion
from unionportal.filters import ListFilter
from unionportal.text import parse_id

from .models import Gender

STATUS_CHOICES = [("", "Tất cả"), ("active", "Đang sinh hoạt"), ("left", "Đã ra khỏi công đoàn")]
SORT_CHOICES = [
    ("name", "Họ tên (A→Z)"),
    ("-name", "Họ tên (Z→A)"),
    ("-joined_on", "Mới kết nạp nhất"),
    ("joined_on", "Kết nạp sớm nhất"),
]


class _ShownChoices(forms.models.ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        if getattr(field, "shown_queryset", None) is not None:
            self.queryset = field.shown_queryset


class GrassrootsChoiceField(forms.ModelChoiceField):
    """Validates against every CĐCS in scope but lists only `shown_queryset` (when set): a
    federation has thousands of CĐCS, too many for one drop-down."""

    iterator = _ShownChoices
    shown_queryset: QuerySet | None = None


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Họ tên (không cần dấu), số CCCD hoặc SĐT"}
        ),
    )
    district_union = forms.ModelChoiceField(
        label="Công đoàn cấp trên",
        required=False,
        queryset=DistrictUnion.objects.none(),
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Đơn vị đã chọn không có trong danh sách."},
    )
    grassroots = GrassrootsChoiceField(
        label="CĐCS",
        required=False,
        queryset=GrassrootsUnion.objects.none(),
        empty_label="Tất cả",
        error_messages={"invalid_choice": "CĐCS đã chọn không có trong danh sách."},
    )
    status = forms.ChoiceField(label="Tình trạng", required=False, choices=STATUS_CHOICES)
    gender = forms.ChoiceField(
        label="Giới tính", required=False, choices=[("", "Tất cả"), *Gender.choices]
    )
    joined_from = VNDateField(label="Kết nạp từ ngày", what="Ngày bắt đầu", required=False)
    joined_to = VNDateField(label="đến ngày", what="Ngày kết thúc", required=False)
    sort = forms.ChoiceField(label="Sắp xếp", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = DistrictUnion.objects.for_user(user)
        grassroots = GrassrootsUnion.objects.for_user(user)
        cast(forms.ModelChoiceField, self.fields["district_union"]).queryset = units.order_by(
            vi_order("name"), "pk"
        )
        grassroots_field = cast(GrassrootsChoiceField, self.fields["grassroots"])
        if scope_for(user).is_district:
            del self.fields["district_union"]  # an officer has one unit
        else:
            # List the CĐCS of the chosen unit, or just the chosen CĐCS (a link from its page).
            unit_id = parse_id(self.data.get("district_union"))
            chosen_id = parse_id(self.data.get("grassroots"))
            if unit_id is not None:
                grassroots_field.shown_queryset = grassroots.filter(
                    district_union_id=unit_id
                ).vi_ordered()
            else:
                # pk=None (no CĐCS chosen) matches nothing, as meant; the plugin wants an id.
                grassroots_field.shown_queryset = grassroots.filter(pk=chosen_id)  # type: ignore[misc]
        grassroots_field.queryset = grassroots.vi_ordered()  # (re)builds the shown choices

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # the cleaned data, never None here
        start, end = data.get("joined_from"), data.get("joined_to")
        if start and end and start > end:
            self.add_error("joined_to", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


def _apply(queryset, data: dict):
    if data.get("q"):
        queryset = queryset.search(data["q"])
    if data.get("district_union"):
        queryset = queryset.filter(grassroots__district_union=data["district_union"])
    if data.get("grassroots"):
        queryset = queryset.filter(grassroots=data["grassroots"])
    if data.get("status") == "active":
        queryset = queryset.filter(left_on__isnull=True)
    elif data.get("status") == "left":
        queryset = queryset.filter(left_on__isnull=False)
    if data.get("gender"):
        queryset = queryset.filter(gender=data["gender"])
    if data.get("joined_from"):
        queryset = queryset.filter(joined_on__gte=data["joined_from"])
    if data.get("joined_to"):
        queryset = queryset.filter(joined_on__lte=data["joined_to"])
    sort = data.get("sort") or "name"
    if sort in ("name", "-name"):
        return queryset.vi_ordered(descending=sort == "-name", indexed=not data.get("q"))
    return queryset.order_by(sort, "-pk" if sort.startswith("-") else "pk")


class MemberFilter(ListFilter):
    form_class = MemberFilterForm

    def apply(self, queryset, data: dict):
        return _apply(queryset, data)


def filter_members(queryset, params: QueryDict, *, user):
    """Apply the member list's search and filters from `params` (a GET QueryDict) to `queryset`.

    Returns (queryset, cleaned_filters) where cleaned_filters holds only the valid filters in
    use, JSON-friendly (e.g. {"q": "nguyen", "grassroots": 12, "joined_from": "2024-01-01"}),
    ready for AccessLog.filters. Pass `user` so CĐCS/unit choices are validated against the
    user's scope; `queryset` must already be scoped with `for_user(user)`.
    """
    result = MemberFilter(queryset, params, user=user)
    return result.qs, result.cleaned
