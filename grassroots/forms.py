from typing import cast

from django import forms
from django.utils import timezone

from unionportal.text import clean_text

from .collation import vi_order
from .models import DistrictUnion, GrassrootsUnion
from .rules import clean_tax_code

# dd/mm/yyyy first (the project formats module); "05031990" typed without slashes also works,
# which saves keystrokes when copying from paper forms.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"]
DATE_PLACEHOLDER = "dd/mm/yyyy"


class VNDateInput(forms.DateInput):
    """A text box for dd/mm/yyyy dates (not type=date: its format follows the browser's locale).

    `data-vn-date` lets static/js/app.js add a calendar next to it (a native type=date input
    without a name, so a phone shows its date picker); the picked day is written back here as
    dd/mm/yyyy, and the server only ever reads this text box."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": DATE_PLACEHOLDER,
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "data-vn-date": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, with messages that say how to type it."""

    widget = VNDateInput

    def __init__(self, *, what: str = "Ngày", not_future: bool = False, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        messages = {
            "invalid": f"{what} phải có dạng dd/mm/yyyy, ví dụ 05/03/2024.",
            "required": f"Cần nhập {_lower_first(what)}.",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        self.what = what
        self.not_future = not_future
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day and self.not_future and day > timezone.localdate():
            raise forms.ValidationError(f"{self.what} không được ở tương lai.")
        if day and day.year < 1900:
            raise forms.ValidationError(f"{self.what} không hợp lệ (năm {day.year}).")
        return day


def _lower_first(label: str) -> str:
    """ "Số lao động" -> "số lao động", but "CĐCS" stays "CĐCS" (an acronym)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def set_required_messages(form: forms.BaseForm) -> None:
    """ "Cần nhập <label>." / "Cần chọn <label>." instead of Django's generic message, for fields
    that have no message of their own."""
    for field in form.fields.values():
        label = str(field.label or "")
        default = (
            type(field).default_error_messages.get("required")
            or forms.Field.default_error_messages["required"]
        )
        if not (field.required and label) or field.error_messages.get("required") != default:
            continue
        verb = "chọn" if isinstance(field, forms.ChoiceField) else "nhập"
        field.error_messages["required"] = f"Cần {verb} {_lower_first(label)}."


class GrassrootsForm(forms.ModelForm):
    """Found or edit a CĐCS. The unit choices are the units the user may write in."""

    founded_on = VNDateField(label="Ngày thành lập", what="Ngày thành lập", not_future=True)

    class Meta:
        model = GrassrootsUnion
        fields = [
            "name",
            "code",
            "tax_code",
            "sector",
            "workers",
            "founded_on",
            "address",
            "district_union",
        ]
        labels = {
            "name": "Tên CĐCS",
            "code": "Mã CĐCS",
            "tax_code": "Mã số thuế",
            "sector": "Khu vực",
            "workers": "Số lao động",
            "district_union": "Công đoàn cấp trên",
        }
        help_texts = {
            "tax_code": "10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số (chi nhánh).",
            "founded_on": "Ngày quyết định công nhận/thành lập.",
            "address": "Số nhà, đường, phường/xã, tỉnh/thành phố (ví dụ: Số 1 Nguyễn Trãi, "
            "Phường Thanh Xuân, Thành phố Hà Nội).",
        }
        error_messages = {
            "code": {"unique": "Mã CĐCS này đã được dùng cho một CĐCS khác."},
            "workers": {
                "min_value": "Số lao động không được âm.",
                "invalid": "Số lao động phải là một số nguyên.",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = DistrictUnion.objects.for_user(user).filter(ended_on__isnull=True)
        cast(forms.ModelChoiceField, self.fields["district_union"]).queryset = units
        self.fields["name"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})
        self.fields["code"].widget.attrs.update({"autocomplete": "off"})
        self.fields["tax_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["workers"].widget.attrs.update({"inputmode": "numeric", "min": "0"})
        cast(forms.ChoiceField, self.fields["sector"]).choices = [
            ("", "– Chọn khu vực –"),
            *GrassrootsUnion.Sector.choices,
        ]
        if self.instance.pk:
            del self.fields["district_union"]  # moving is its own action
        else:
            only = list(units[:2])
            if len(only) == 1:
                self.fields["district_union"].initial = only[0]
                cast(forms.ModelChoiceField, self.fields["district_union"]).empty_label = None
        set_required_messages(self)

    def clean_code(self):
        return clean_text(self.cleaned_data["code"]).upper()

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_tax_code(self):
        return clean_tax_code(self.cleaned_data.get("tax_code", ""))


class GrassrootsDissolveForm(forms.Form):
    """Dissolve a CĐCS: the date and the reason (the service checks the date against history)."""

    on = VNDateField(label="Ngày giải thể", what="Ngày giải thể", not_future=True)
    reason = forms.CharField(
        label="Lý do giải thể",
        max_length=255,
        error_messages={"required": "Cần nhập lý do giải thể."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].widget.attrs["autofocus"] = True

    def clean_reason(self):
        reason = clean_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError("Cần nhập lý do giải thể.")
        return reason


class GrassrootsMoveForm(forms.Form):
    """Move a CĐCS to another upper-level union of the same federation from a date (admins)."""

    district_union = forms.ModelChoiceField(
        label="Chuyển sang công đoàn cấp trên",
        empty_label="– Chọn công đoàn cấp trên –",
        queryset=DistrictUnion.objects.none(),
        error_messages={
            "required": "Cần chọn công đoàn cấp trên mới.",
            "invalid_choice": "Đơn vị đã chọn không hợp lệ.",
        },
    )
    on = VNDateField(label="Từ ngày", what="Ngày chuyển", not_future=False)

    def __init__(self, *args, user, grassroots: GrassrootsUnion, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["district_union"]).queryset = (
            DistrictUnion.objects.editable_by(user)
            .filter(
                federation_id=grassroots.district_union.federation_id,
                ended_on__isnull=True,
            )
            .exclude(pk=grassroots.district_union_id)
            .order_by(vi_order("name"), "pk")
        )
        self.fields["district_union"].widget.attrs["autofocus"] = True
