from django import forms

from grassroots.models import GrassrootsUnion
from unionportal.text import clean_text

from .models import Member
from .validators import clean_cccd


class MemberForm(forms.ModelForm):
    """Admit (create) or edit a member. CĐCS choices are those the user may write in."""

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
        widgets = {
            "birth_date": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "joined_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "cccd": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grassroots"].queryset = (
            GrassrootsUnion.objects.editable_by(user)
            .filter(dissolved_on__isnull=True)
            .order_by("name")
        )
        if self.instance.pk:
            del self.fields["grassroots"]  # transfer is its own action

    def clean_full_name(self):
        return clean_text(self.cleaned_data["full_name"])

    def clean_cccd(self):
        return clean_cccd(self.cleaned_data["cccd"])

    def validate_unique(self):
        """Uniqueness of the CCCD is the service's job (with a scope-aware message)."""
