"""The form renderer writes plain selects in Python: the same bytes as Django's templates."""

from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from unionportal.forms_renderer import FormRenderer


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=[("", "– Chọn –"), ("a", "Nam & Nữ <b>"), (3, 1882)])
    grouped = forms.ChoiceField(
        choices=[("Hà Nội", [(1, "Ba Đình"), (2, "Cầu Giấy")]), ("x", mark_safe("<i>an</i>"))],
        widget=forms.Select(attrs={"class": "form-select", "data-x": 'a"b', "disabled": False}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "Một"), (2, date(2025, 6, 30))], required=False)


@pytest.mark.parametrize("name", ["plain", "grouped", "many"])
@pytest.mark.parametrize("data", [None, {"plain": "3", "grouped": "2", "many": ["1", "2"]}])
def test_selects_are_written_as_djangos_templates_write_them(name, data):
    fast = _Form(data=data, renderer=FormRenderer())
    slow = _Form(data=data, renderer=DjangoTemplates())
    html = str(fast[name])
    assert html == str(slow[name])
    assert "<option" in html


def test_the_portal_uses_it_and_escapes_labels():
    assert settings.FORM_RENDERER == "unionportal.forms_renderer.FormRenderer"
    html = str(_Form()["plain"])
    assert "Nam &amp; Nữ &lt;b&gt;" in html and "<b>" not in html
    assert '<option value="3">1.882</option>' in html  # the label localized, the value not
