"""Shared view helpers: service errors shown on forms. (The access mixins are in
grassroots/access/views.py: the project package imports no app.)"""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.views.generic.edit import FormMixin

    _FormView = FormMixin  # what the mixin is mixed into, for the type checker
else:
    _FormView = object


class HtmxHttpRequest(HttpRequest):
    """The request as HtmxMiddleware leaves it (for annotations: `request.htmx`)."""

    htmx: HtmxDetails


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin(_FormView):
    """Form views whose writes go through a service: `save_with_service(form)` returns the
    object; a ValidationError it raises is shown on the form and nothing is written."""

    def save_with_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save_with_service(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect(self.get_success_url())


class ActionFormMixin(_FormView):
    """Form views that act on one object through a service: `act(cleaned_data)` writes, and a
    ValidationError it raises is shown on the form with nothing written; then `acted()`
    answers (a redirect to the object's page)."""

    def act(self, data: dict) -> None:
        raise NotImplementedError

    def acted(self):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return self.acted()
