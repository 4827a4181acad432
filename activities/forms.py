"""Forms of the activity entry screens (Vietnamese messages; the rules needing the database
are the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from grassroots.forms import VNDateField, set_required_messages
from grassroots.models import DistrictUnion, GrassrootsUnion
from members.models import Member
from members.validators import clean_cccd

from .models import CollectiveAgreement, ConsolidationOutcome, OfficerPosition, PartyEvent


class PositionForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Đoàn viên",
        queryset=Member.objects.none(),
        empty_label="– Chọn đoàn viên –",
        error_messages={
            "required": "Cần chọn đoàn viên.",
            "invalid_choice": "Đoàn viên đã chọn không sinh hoạt tại CĐCS này.",
        },
    )
    role = forms.ChoiceField(
        label="Chức vụ",
        choices=[("", "– Chọn chức vụ –"), *OfficerPosition.Role.choices],
        error_messages={"invalid_choice": "Chức vụ không hợp lệ."},
    )
    started_on = VNDateField(label="Từ ngày", what="Ngày bắt đầu", not_future=True)

    def __init__(self, *args, grassroots, **kwargs):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["member"]
        field.queryset = Member.objects.filter(
            grassroots=grassroots, left_on__isnull=True
        ).order_by("full_name")
        set_required_messages(self)


class PositionEndForm(forms.Form):
    ended_on = VNDateField(
        label="Đến ngày", what="Ngày kết thúc", not_future=True, initial=timezone.localdate
    )


class AgreementForm(forms.Form):
    signed_on = VNDateField(label="Ngày ký", what="Ngày ký", not_future=True)
    valid_until = VNDateField(label="Hiệu lực đến ngày", what="Ngày hết hiệu lực")
    grade = forms.ChoiceField(
        label="Xếp loại",
        choices=[("", "– Chọn loại –"), *CollectiveAgreement.Grade.choices],
        error_messages={"invalid_choice": "Xếp loại phải là A hoặc B."},
    )
    workers_covered = forms.IntegerField(
        label="Số người lao động được hưởng",
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": "Số người lao động phải là số nguyên, ví dụ 120.",
            "min_value": "Số người lao động phải lớn hơn 0.",
            "max_value": "Số người lao động quá lớn.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_required_messages(self)


class PartyEventForm(forms.Form):
    kind = forms.ChoiceField(
        label="Sự kiện",
        choices=[("", "– Chọn sự kiện –"), *PartyEvent.Kind.choices],
        error_messages={"invalid_choice": "Sự kiện không hợp lệ."},
    )
    on = VNDateField(label="Ngày", what="Ngày", not_future=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_required_messages(self)


def parse_cccds(text: str) -> tuple[list[str], list[str]]:
    """The CCCDs typed one a line (or separated by commas): (the numbers, the line errors)."""
    numbers, errors = [], []
    lines = [part.strip() for line in text.splitlines() for part in line.split(",")]
    for n, raw in enumerate([line for line in lines if line], start=1):
        try:
            numbers.append(clean_cccd(raw))
        except ValidationError as error:
            errors.append(f"Dòng {n} ({raw}): {' '.join(error.messages)}")
    return numbers, errors


class AttendeesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6, "inputmode": "numeric"})

    def clean(self, value):
        text = super().clean(value)
        numbers, errors = parse_cccds(text or "")
        if errors:
            raise ValidationError(errors)
        if not numbers and self.required:
            raise ValidationError("Cần nhập ít nhất một số CCCD.")
        return numbers


class AttendeesForm(forms.Form):
    attendees = AttendeesField(
        label="Số CCCD học viên",
        help_text="Mỗi dòng một số CCCD (12 chữ số). Học viên phải là cán bộ CĐCS ngày tập huấn.",
        error_messages={"required": "Cần nhập ít nhất một số CCCD."},
    )


class CourseForm(AttendeesForm):
    held_on = VNDateField(label="Ngày tập huấn", what="Ngày tập huấn", not_future=True)
    topic = forms.CharField(label="Chủ đề", max_length=200)
    organiser = forms.CharField(label="Đơn vị tổ chức", max_length=200)
    district_union = forms.ModelChoiceField(
        label="Công đoàn cấp trên tổ chức",
        queryset=DistrictUnion.objects.none(),
        empty_label="– Chọn đơn vị –",
        error_messages={"invalid_choice": "Đơn vị đã chọn không thuộc phạm vi của bạn."},
    )

    field_order = ["held_on", "topic", "organiser", "district_union", "attendees"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = DistrictUnion.objects.editable_by(user).order_by("name")
        unit_field: Any = self.fields["district_union"]
        unit_field.queryset = units
        if len(units) == 1:
            self.fields["district_union"].initial = units[0].pk
        set_required_messages(self)


class ApprovePayoutForm(forms.Form):
    """Duyệt chi: one due row of the ledger, by its key."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=40)


class MarkPaidForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    paid_on = VNDateField(
        label="Ngày chi", what="Ngày chi", not_future=True, initial=timezone.localdate
    )
    voucher = forms.CharField(label="Số chứng từ", max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_required_messages(self)


class ConsolidationForm(forms.Form):
    """The outcome of consolidating a weak CĐCS, as an officer records it."""

    grassroots = forms.ModelChoiceField(
        label="CĐCS",
        queryset=GrassrootsUnion.objects.none(),
        error_messages={"invalid_choice": "CĐCS đã chọn không có trong phạm vi của bạn."},
    )
    outcome = forms.ChoiceField(
        label="Kết quả củng cố",
        choices=ConsolidationOutcome.Outcome.choices,
        error_messages={
            "invalid_choice": "Chọn kết quả: sáp nhập, giải thể hoặc hoạt động trở lại."
        },
    )
    on = VNDateField(label="Ngày", what="Ngày", not_future=True)
    note = forms.CharField(
        label="Ghi chú (số quyết định; sáp nhập: vào CĐCS nào)", max_length=255, required=False
    )

    def __init__(self, *args, grassroots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grassroots"].queryset = grassroots  # type: ignore[attr-defined]
        set_required_messages(self)
