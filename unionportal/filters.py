"""A list page's filters: the bound filter form, the filtered queryset, and the filters in use
(for export headings and the access log). Each list subclasses `ListFilter`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, cast

from django import forms
from django.http import HttpResponse, QueryDict
from django.shortcuts import render

UNUSED = (None, "", False)


class ListFilter:
    """Invalid fields are ignored (and shown on the form); the valid ones filter the queryset."""

    form_class: Callable[..., forms.Form]  # a Form class taking `user=`

    def __init__(self, queryset, params: QueryDict, *, user):
        self.form = self.form_class(params or None, user=user)
        valid = {}
        if self.form.is_bound:
            self.form.is_valid()
            valid = {k: v for k, v in self.form.cleaned_data.items() if k not in self.form.errors}
        self.data = valid
        self.qs = self.apply(queryset, valid)
        self.cleaned = self.serialisable(valid)

    def apply(self, queryset, data: dict):
        raise NotImplementedError

    @staticmethod
    def serialisable(data: dict) -> dict:
        """Only the filters in use, as JSON-friendly values (ids, ISO dates, strings)."""
        cleaned = {}
        for name, value in data.items():
            if value in UNUSED:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, date):
                value = value.isoformat()
            cleaned[name] = value
        return cleaned

    @property
    def invalid(self) -> bool:
        """Some filter was given a value the list refuses (shown on the list's form)."""
        return self.form.is_bound and bool(self.form.errors)

    def error_messages(self) -> list[str]:
        """The messages the list's form shows for the refused filters."""
        messages = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the filters in use, for headings of exports and pages."""
        rows = []
        for name, value in self.data.items():
            if value in UNUSED or name == "sort":
                continue
            field = self.form.fields[name]
            if isinstance(value, date):
                value = value.strftime("%d/%m/%Y")
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                # The stubs type the property's read like what it accepts; it reads as pairs.
                value = dict(cast(Iterable[tuple[Any, Any]], field.choices)).get(value, value)
            elif value is True:
                value = "có"
            rows.append((str(field.label), str(value)))
        return rows


def export_refused(request, listed: ListFilter, list_url: str) -> HttpResponse:
    """400 for a download whose filters the list refuses: dropping the bad filter would send a
    wider file than the one asked for (the whole scope, with personal data)."""
    query = request.GET.urlencode()
    return render(
        request,
        "export_refused.html",
        {"messages_shown": listed.error_messages(), "list_url": f"{list_url}?{query}"},
        status=400,
    )
