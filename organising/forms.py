"""Forms of the enterprise register: they validate and scope their choices; the services write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from grassroots.forms import VNDateField
from grassroots.models import DistrictUnion, Federation, GrassrootsUnion, UserRole
from unionportal.filters import ListFilter

from .models import RECORDED_STAGES, WORKERS_THRESHOLD, Source, Stage
from .places import ward_exists
from .rules import RuleError, tax_code_split, women_check
from .services import officers_of

SORT_CHOICES = [
    ("name", "Tên (A→Z)"),
    ("-workers", "Nhiều lao động nhất"),
    ("-stage_on", "Mới chuyển giai đoạn"),
    ("tax_code", "Mã số thuế"),
]


def scoped_officers(user):
    """Officers of the units `user` sees (the officer filter's choices)."""
    units = DistrictUnion.objects.for_user(user)
    return (
        get_user_model()
        .objects.filter(
            union_role__role=UserRole.Role.DISTRICT_OFFICER,
            union_role__district_union__in=units,
        )
        .order_by("first_name", "username")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Tên, mã số thuế, địa chỉ"}),
    )
    district_union = forms.ModelChoiceField(
        label="Công đoàn cấp trên",
        required=False,
        queryset=DistrictUnion.objects.none(),
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Đơn vị đã chọn không có trong danh sách."},
    )
    # The dashboards' federation total drills down here (a hidden field: no extra query
    # unless used; an out-of-scope federation is refused like any other invalid choice).
    federation = forms.ModelChoiceField(
        label="Liên đoàn lao động",
        required=False,
        queryset=Federation.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Liên đoàn đã chọn không có trong danh sách."},
    )
    stage = forms.ChoiceField(
        label="Giai đoạn", required=False, choices=[("", "Tất cả"), *Stage.choices]
    )
    plus25 = forms.BooleanField(label=f"Từ {WORKERS_THRESHOLD} lao động trở lên", required=False)
    no_union = forms.BooleanField(label="Chưa có CĐCS", required=False)
    officer = OfficerChoiceField(
        label="Cán bộ phụ trách",
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Cán bộ đã chọn không có trong danh sách."},
    )
    converted_year = forms.IntegerField(
        label="Thành lập CĐCS năm",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": "Năm phải là một số, ví dụ 2026."},
    )
    sort = forms.ChoiceField(label="Sắp xếp", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["district_union"]
        ).queryset = DistrictUnion.objects.for_user(user).order_by("name")
        cast(forms.ModelChoiceField, self.fields["officer"]).queryset = scoped_officers(user)
        cast(
            forms.ModelChoiceField, self.fields["federation"]
        ).queryset = Federation.objects.for_user(user)


class EnterpriseFilter(ListFilter):
    form_class = EnterpriseFilterForm

    def apply(self, queryset, data: dict):
        from datetime import date

        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("district_union"):
            queryset = queryset.filter(district_union=data["district_union"])
        if data.get("federation"):
            queryset = queryset.filter(district_union__federation=data["federation"])
        if data.get("stage"):
            queryset = queryset.at_stage(data["stage"])
        if data.get("plus25"):
            queryset = queryset.plus25()
        if data.get("no_union"):
            queryset = queryset.without_union()
        if data.get("officer"):
            queryset = queryset.filter(officer=data["officer"])
        if data.get("converted_year"):
            year = data["converted_year"]
            queryset = queryset.filter(
                unionised_on__gte=date(year, 1, 1), unionised_on__lte=date(year, 12, 31)
            )
        sort = data.get("sort") or "name"
        if sort == "name":
            return queryset.order_by("name", "pk")
        return queryset.order_by(sort, "pk")


class EnterpriseForm(forms.Form):
    """An enterprise an officer found (not on any list yet)."""

    tax_code = forms.CharField(label="Mã số thuế", max_length=20)
    name = forms.CharField(label="Tên doanh nghiệp", max_length=255)
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    ward_code = forms.IntegerField(
        label="Mã phường/xã (từ 2025)", required=False, min_value=1, max_value=99999
    )
    sector = forms.ChoiceField(
        label="Khu vực",
        choices=GrassrootsUnion.Sector.choices,
        initial=GrassrootsUnion.Sector.PRIVATE_ENTERPRISE,
    )
    workers = forms.IntegerField(label="Số lao động", min_value=0)
    women = forms.IntegerField(label="Lao động nữ", min_value=0, required=False)
    founded_on = VNDateField(
        label="Ngày thành lập doanh nghiệp",
        what="Ngày thành lập",
        not_future=True,
        required=False,
    )
    source = forms.ChoiceField(label="Nguồn", choices=Source.choices, initial=Source.OFFICER)
    district_union = forms.ModelChoiceField(
        label="Công đoàn cấp trên phụ trách", queryset=DistrictUnion.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = DistrictUnion.objects.for_user(user).filter(ended_on__isnull=True)
        from grassroots.access import scope_for

        scope = scope_for(user)
        if scope.is_district:
            assert scope.district_union_id is not None  # an officer's scope names the unit
            units = units.filter(pk=scope.district_union_id)
            self.fields["district_union"].initial = scope.district_union_id
        elif not scope.is_admin:
            units = units.none()
        cast(forms.ModelChoiceField, self.fields["district_union"]).queryset = units.order_by(
            "name"
        )

    def clean_tax_code(self):
        try:
            tax_code_split(self.cleaned_data["tax_code"])
        except RuleError as problem:
            raise forms.ValidationError(problem.message) from None
        return self.cleaned_data["tax_code"]

    def clean_ward_code(self):
        code = self.cleaned_data.get("ward_code")
        if code is not None and not ward_exists(code):
            raise forms.ValidationError(f"Không có phường/xã mã {code} (danh mục từ 2025).")
        return code

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # the cleaned data, never None here
        try:
            women_check(data.get("workers"), data.get("women"))
        except RuleError as problem:
            self.add_error("women", problem.message)
        return data


def _today_initial(form: forms.Form) -> None:
    form.fields["on"].initial = timezone.localdate()


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label="Chuyển sang giai đoạn", choices=[(s.value, s.label) for s in RECORDED_STAGES]
    )
    on = VNDateField(label="Ngày", what="Ngày", not_future=True)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            (s.value, s.label) for s in RECORDED_STAGES if s.value != enterprise.stage
        ]


class AssignForm(forms.Form):
    officer = OfficerChoiceField(
        label="Giao cho cán bộ",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="(không giao cho ai)",
    )
    on = VNDateField(label="Ngày giao", what="Ngày giao", not_future=True)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self)
        cast(forms.ModelChoiceField, self.fields["officer"]).queryset = officers_of(
            enterprise.district_union_id
        )


class ContactForm(forms.Form):
    on = VNDateField(label="Ngày tiếp xúc", what="Ngày tiếp xúc", not_future=True)
    people = forms.CharField(label="Người đã gặp", max_length=255)
    outcome = forms.CharField(label="Kết quả", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self)


class FoundForm(forms.Form):
    """Found the enterprise's CĐCS: its tax code and unit come from the enterprise."""

    code = forms.CharField(label="Mã CĐCS", max_length=30)
    name = forms.CharField(label="Tên CĐCS", max_length=255)
    founded_on = VNDateField(label="Ngày thành lập", what="Ngày thành lập", not_future=True)
    workers = forms.IntegerField(label="Số lao động", min_value=0)
    sector = forms.ChoiceField(label="Khu vực", choices=GrassrootsUnion.Sector.choices)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["founded_on"].initial = timezone.localdate()
        self.fields["name"].initial = f"Công đoàn {enterprise.name}"
        self.fields["workers"].initial = enterprise.workers
        self.fields["sector"].initial = enterprise.sector

    def clean_code(self):
        from unionportal.text import clean_text

        code = clean_text(self.cleaned_data["code"]).upper()
        if GrassrootsUnion.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Mã CĐCS {code} đã được dùng.")
        return code


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Ghi chú của cán bộ", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].initial = enterprise.notes


class HeadroomForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100, required=False)
