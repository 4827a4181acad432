"""Forms of the restructuring plan pages: upload a plan file, or build one on the page."""

from __future__ import annotations

import re
from typing import cast

from django import forms

from grassroots.models import DistrictUnion, Federation, GrassrootsUnion

from .forms import ImportUploadForm
from .plan_jobs import plan_units_for

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_WIDGET = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
DIRECT = "lien-doan:"  # a target choice "directly under this federation"


class PlanUploadForm(forms.Form):
    file = ImportUploadForm.base_fields["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = ImportUploadForm(kinds=[]).fields["file"]
        self.fields["file"].label = "File phương án (.xlsx hoặc .csv)"
        self.detected_format = None

    clean_file = ImportUploadForm.clean_file


class PlanBuildForm(forms.Form):
    """One move: the CĐCS of a unit, or a list of CĐCS codes, to a unit or directly under the
    federation, from a date. Scoped: only units and CĐCS the user may restructure."""

    source_unit = forms.ModelChoiceField(
        label="Chuyển tất cả CĐCS của đơn vị",
        queryset=DistrictUnion.objects.none(),
        required=False,
        empty_label="(chọn đơn vị, hoặc nhập danh sách CĐCS bên dưới)",
    )
    grassroots_codes = forms.CharField(
        label="Hoặc danh sách mã CĐCS",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi mã một dòng (hoặc cách nhau bởi dấu phẩy).",
    )
    end_source = forms.BooleanField(
        label="Kết thúc hoạt động đơn vị nguồn vào ngày trước ngày hiệu lực",
        required=False,
        help_text="Mọi CĐCS của đơn vị phải được chuyển; cán bộ của đơn vị chỉ còn xem số liệu cũ.",
    )
    target = forms.ChoiceField(label="Đơn vị cấp trên mới")
    effective_on = forms.DateField(
        label="Ngày hiệu lực",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET),
        help_text="Ngày đầu tiên CĐCS thuộc đơn vị mới (dd/mm/yyyy).",
        error_messages={"invalid": "Ngày hiệu lực phải có dạng dd/mm/yyyy."},
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=100, required=False)
    decision_date = forms.DateField(
        label="Ngày quyết định",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET),
        required=False,
        error_messages={"invalid": "Ngày quyết định phải có dạng dd/mm/yyyy."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = plan_units_for(user)
        cast(forms.ModelChoiceField, self.fields["source_unit"]).queryset = units
        federations = Federation.objects.for_user(user).filter(ended_on__isnull=True)
        choices = [("", "(chọn đơn vị)")]
        choices += [
            (f"{DIRECT}{f.code}", f"CĐCS trực thuộc {f.name} ({f.code})") for f in federations
        ]
        choices += [(u.code, f"{u.name} ({u.code})") for u in units]
        cast(forms.ChoiceField, self.fields["target"]).choices = choices
        self.fields["target"].error_messages["required"] = "Hãy chọn đơn vị cấp trên mới."
        self.fields["target"].error_messages["invalid_choice"] = "Không có đơn vị này."

    def clean(self):
        data = super().clean() or {}
        unit = data.get("source_unit")
        codes = [c for c in re.split(r"[\s,;]+", data.get("grassroots_codes") or "") if c]
        if unit is None and not codes:
            raise forms.ValidationError("Hãy chọn đơn vị nguồn hoặc nhập danh sách mã CĐCS.")
        if unit is not None and codes:
            raise forms.ValidationError(
                "Chọn đơn vị nguồn hoặc nhập danh sách mã CĐCS, không chọn cả hai."
            )
        if unit is not None:
            codes = list(
                GrassrootsUnion.objects.filter(district_union=unit, dissolved_on__isnull=True)
                .order_by("code")
                .values_list("code", flat=True)
            )
            if not codes:
                raise forms.ValidationError(f"Đơn vị {unit.code} không còn CĐCS nào để chuyển.")
        if data.get("end_source") and unit is None:
            raise forms.ValidationError("Chọn đơn vị nguồn để kết thúc hoạt động đơn vị đó.")
        target = data.get("target") or ""
        data["target_code"] = target.removeprefix(DIRECT)
        data["codes"] = codes
        return data

    def rows(self) -> list[tuple]:
        data = self.cleaned_data
        return [(code, data["target_code"], data["effective_on"]) for code in data["codes"]]


class AddressProposalForm(forms.Form):
    """Which CĐCS to propose from their addresses, and from which day."""

    source_unit = forms.ModelChoiceField(
        label="CĐCS hiện thuộc đơn vị",
        queryset=DistrictUnion.objects.none(),
        required=False,
        empty_label="(tất cả CĐCS trong phạm vi)",
    )
    effective_on = forms.DateField(
        label="Ngày hiệu lực",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET),
        error_messages={"invalid": "Ngày hiệu lực phải có dạng dd/mm/yyyy."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["source_unit"])
        field.queryset = DistrictUnion.objects.for_user(user).order_by("name")
