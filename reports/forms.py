"""Forms of reports/: the entry of values reported as a number (reports.reported)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from grassroots.models import DistrictUnion

from .progress import format_int
from .reported import month_parse, reported_indicators, value_parse


class ReportedEntryForm(forms.Form):
    """One unit and month, one field per indicator reported as a number (blank: no value)."""

    unit = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=DistrictUnion.objects.none(),
        error_messages={
            "required": "Chọn đơn vị.",
            "invalid_choice": "Đơn vị đã chọn không có hoặc bạn không nhập số liệu cho đơn vị này.",
        },
    )
    month = forms.CharField(
        label="Tháng báo cáo (mm/yyyy)",
        max_length=7,
        error_messages={"required": "Nhập tháng báo cáo (mm/yyyy, ví dụ 03/2025)."},
    )
    note = forms.CharField(
        label="Ghi chú (nguồn số liệu, lý do sửa)", max_length=200, required=False
    )

    def __init__(self, *args, units, today: date, current: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.indicators = reported_indicators()
        for indicator in self.indicators:
            value = (current or {}).get(indicator.code)
            self.fields[indicator.code] = forms.CharField(
                label=f"{indicator.name} ({indicator.unit_of_count})",
                required=False,
                max_length=20,
                initial=format_int(value) if value is not None else "",
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def clean_month(self) -> date:
        try:
            return month_parse(self.cleaned_data["month"], self.today)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean(self):
        data = super().clean() or {}
        values = {}
        for indicator in self.indicators:
            try:
                values[indicator.code] = value_parse(self.data.get(indicator.code), indicator)
            except ValidationError as error:
                # The field's label already names the indicator (the summary shows both).
                prefix = f"{indicator.name}: "
                self.add_error(indicator.code, [m.removeprefix(prefix) for m in error.messages])
        data["values"] = values
        return data
