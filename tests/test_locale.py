"""Vietnamese locale: numbers 1.450 / 40,74, dates shown and typed dd/mm/yyyy."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from members.forms import MemberForm


def render(text: str, **context) -> str:
    with translation.override("vi"):
        return Template("{% load l10n humanize %}" + text).render(Context(context))


def test_numbers_use_dot_for_thousands_and_comma_for_decimals():
    assert render("{{ n }}", n=1450) == "1.450"
    assert render("{{ n }}", n=1234567) == "1.234.567"
    assert render("{{ x|floatformat:2 }}", x=40.74) == "40,74"


def test_dates_are_shown_day_first():
    assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=date(1990, 3, 5)) == "05/03/1990"
    assert render("{{ d }}", d=date(1990, 3, 5)) == "05/03/1990"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05/03/1990", date(1990, 3, 5)),  # 5 March, never 3 May
        ("31/12/2024", date(2024, 12, 31)),
        ("1/7/2025", date(2025, 7, 1)),
    ],
)
def test_dates_are_typed_day_first(typed, expected):
    with translation.override("vi"):
        assert forms.DateField().clean(typed) == expected


def test_impossible_day_is_refused_not_swapped():
    with translation.override("vi"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("31/02/2024")


@pytest.mark.django_db
def test_member_form_reads_birth_date_day_first(org, users):
    with translation.override("vi"):
        form = MemberForm(
            data={
                "full_name": "Phạm Thị Hoa",
                "gender": "female",
                "birth_date": "05/03/1990",
                "cccd": "001190000777",
                "grassroots": org.grassroots_a.pk,
                "joined_on": "02/01/2024",
            },
            user=users.officer_a,
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == date(1990, 3, 5)
    assert form.cleaned_data["joined_on"] == date(2024, 1, 2)
