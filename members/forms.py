"""Forms of the member register. Choices are scoped to what the user may write in; the rules
that need the database (CCCD taken, dates against the CĐCS's history) are the services' job."""

import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from grassroots.forms import VNDateField, set_required_messages
from grassroots.models import GrassrootsUnion
from grassroots.search import READ, WRITE, setup_search_field
from unionportal.text import clean_text

from .models import Gender, LeaveReason, Member
from .rules import LEAVE_REASON_MISSING, day_in_grassroots_problem, unknown_reason_message
from .validators import check_admission_age, clean_cccd, clean_phone


def new_form_token() -> str:
    return uuid.uuid4().hex


VERSION_MISSING = "Biểu mẫu đã cũ hoặc không đầy đủ: hãy tải lại trang rồi nhập lại."


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING},
    )


class VersionedForm(forms.Form):
    """Carries the member's `version` as it was when the page was rendered (optimistic lock)."""

    version = _version_field()

    def clean(self):
        data = super().clean()
        _surface_version_error(self)
        return data


def _surface_version_error(form: forms.BaseForm) -> None:
    """A hidden field's error is not shown next to any input: show it on top of the form."""
    if "version" in form.errors:
        form.add_error(None, VERSION_MISSING)


class MemberForm(forms.ModelForm):
    """Admit (create) or edit a member. CĐCS choices are those the user may write in."""

    birth_date = VNDateField(label="Ngày sinh", what="Ngày sinh", not_future=True)
    # Longer than 12: "001 190 000 123" or "001.190.000.123" pasted from elsewhere is accepted and
    # cleaned to its 12 digits by clean_cccd (the model still holds exactly 12).
    cccd = forms.CharField(
        label="Số CCCD",
        max_length=20,
        help_text="12 chữ số, giữ cả số 0 ở đầu.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"}
        ),
    )
    joined_on = VNDateField(label="Ngày kết nạp", what="Ngày kết nạp", not_future=True)
    grassroots = forms.ModelChoiceField(
        label="CĐCS",
        queryset=GrassrootsUnion.objects.none(),
        empty_label="– Chọn CĐCS –",
        error_messages={
            "required": "Cần chọn CĐCS.",
            "invalid_choice": "CĐCS đã chọn không thuộc đơn vị của bạn.",
        },
    )
    # One-time token of this admission form (see members.services.member_admitted_with_token).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    version = _version_field()

    class Meta:
        model = Member
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "cccd",
            "phone",
            "occupation",
            "card_number",
            "grassroots",
            "joined_on",
        ]
        labels = {
            "full_name": "Họ và tên",
            "gender": "Giới tính",
            "phone": "Số điện thoại",
            "occupation": "Nghề nghiệp, chức vụ",
            "card_number": "Số thẻ đoàn viên",
        }
        widgets = {
            "gender": forms.RadioSelect,
            "full_name": forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ChoiceField, self.fields["gender"]
        ).choices = Gender.choices  # no "---------" radio button
        self.fields["gender"].error_messages["invalid_choice"] = "Hãy chọn Nam hoặc Nữ."
        if self.instance.pk:
            del self.fields["grassroots"]  # transfer is its own action
            del self.fields["form_token"]
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            setup_search_field(self, "grassroots", user=user, scope=WRITE)
            if not self.is_bound:
                self.fields["form_token"].initial = new_form_token()
        set_required_messages(self)
        self.fields["gender"].error_messages["required"] = "Cần chọn giới tính."

    def clean_full_name(self):
        name = clean_text(self.cleaned_data["full_name"])
        if not name:
            raise ValidationError("Cần nhập họ và tên.")
        return name

    def clean_cccd(self):
        return clean_cccd(self.cleaned_data["cccd"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_occupation(self):
        return clean_text(self.cleaned_data.get("occupation", ""))

    def clean_card_number(self):
        return clean_text(self.cleaned_data.get("card_number", ""))

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # the cleaned data, never None here
        _surface_version_error(self)
        birth, joined = data.get("birth_date"), data.get("joined_on")
        if birth and joined:
            try:
                check_admission_age(birth, joined)
            except ValidationError as error:
                self.add_error("birth_date", error)
        grassroots = data.get("grassroots")
        if grassroots and joined:
            problem = day_in_grassroots_problem(
                joined,
                founded_on=grassroots.founded_on,
                dissolved_on=grassroots.dissolved_on,
                code=grassroots.code,
                today=timezone.localdate(),
            )
            if problem:
                self.add_error("joined_on", problem)
        return data

    def validate_unique(self):
        """Uniqueness of the CCCD is the service's job (with a scope-aware message)."""

    def service_fields(self) -> dict:
        """The cleaned data as the services take it (no form bookkeeping)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("form_token", None)
        return data


class MemberTransferForm(VersionedForm):
    to_grassroots = forms.ModelChoiceField(
        label="Chuyển đến CĐCS",
        queryset=GrassrootsUnion.objects.none(),
        empty_label="– Chọn CĐCS –",
        error_messages={
            "required": "Cần chọn CĐCS chuyển đến.",
            "invalid_choice": "CĐCS đã chọn không có trong danh sách.",
        },
    )
    # Most transfers and leavings are recorded on the day: today is filled in (issue 13).
    on = VNDateField(
        label="Ngày chuyển", what="Ngày chuyển", not_future=True, initial=timezone.localdate
    )

    field_order = ["to_grassroots", "on", "version"]

    def __init__(self, *args, user, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        # Transfers go to CĐCS the user sees (an officer: those of their own unit).
        setup_search_field(
            self,
            "to_grassroots",
            user=user,
            scope=READ,
            exclude=member.grassroots_id,
            autofocus=True,
        )
        self.fields["version"].initial = member.version


class MemberLeaveForm(VersionedForm):
    on = VNDateField(
        label="Ngày ra khỏi công đoàn",
        what="Ngày ra khỏi công đoàn",
        not_future=True,
        initial=timezone.localdate,
    )
    reason = forms.ChoiceField(
        label="Lý do",
        choices=[("", "– Chọn lý do –"), *LeaveReason.choices],
        error_messages={
            "required": LEAVE_REASON_MISSING,
            # Django fills in %(value)s: the same words as the service and the import.
            "invalid_choice": unknown_reason_message("%(value)s"),
        },
    )
    note = forms.CharField(label="Ghi chú", required=False, max_length=255)

    field_order = ["on", "reason", "note", "version"]

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].widget.attrs["autofocus"] = True
        self.fields["version"].initial = member.version


class MemberRejoinForm(VersionedForm):
    grassroots = forms.ModelChoiceField(
        label="Kết nạp lại vào CĐCS",
        queryset=GrassrootsUnion.objects.none(),
        empty_label="– Chọn CĐCS –",
        error_messages={
            "required": "Cần chọn CĐCS.",
            "invalid_choice": "CĐCS đã chọn không thuộc đơn vị của bạn.",
        },
    )
    on = VNDateField(label="Ngày kết nạp lại", what="Ngày kết nạp lại", not_future=True)

    field_order = ["grassroots", "on", "version"]

    def __init__(self, *args, user, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        setup_search_field(self, "grassroots", user=user, scope=WRITE, autofocus=True)
        if member.grassroots.dissolved_on is None:
            self.fields["grassroots"].initial = member.grassroots_id
        self.fields["version"].initial = member.version
