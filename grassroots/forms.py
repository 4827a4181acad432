import re

from django import forms
from django.utils import timezone

from unionportal.text import clean_text

from .models import DistrictUnion, GrassrootsUnion

TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def clean_tax_code(value: str) -> str:
    value = clean_text(value).replace(" ", "")
    if value and not TAX_CODE.match(value):
        raise forms.ValidationError(
            "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số (ví dụ 0101234567-001)."
        )
    return value


class GrassrootsForm(forms.ModelForm):
    """Found or edit a CĐCS. The unit choices are the units the user may write in."""

    class Meta:
        model = GrassrootsUnion
        fields = ["code", "name", "district_union", "tax_code", "sector", "workers", "founded_on"]
        widgets = {"founded_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = DistrictUnion.objects.for_user(user)
        self.fields["district_union"].queryset = units
        if self.instance.pk:
            del self.fields["district_union"]  # moving is its own action
        elif units.count() == 1:
            self.fields["district_union"].initial = units.first()

    def clean_code(self):
        return clean_text(self.cleaned_data["code"]).upper()

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_tax_code(self):
        return clean_tax_code(self.cleaned_data.get("tax_code", ""))

    def clean_founded_on(self):
        day = self.cleaned_data["founded_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("Ngày thành lập không được ở tương lai.")
        return day
