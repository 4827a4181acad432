"""Shared view mixins: every view gets its objects through the model's scoped queryset."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect

from grassroots.access import scope_for


class ScopedQuerysetMixin:
    """Objects come from `model.objects.for_user(user)`; anything else answers 404.

    Set `scope_action = "change"` on views that write: they then use `editable_by(user)`.
    """

    scope_action = "view"

    def get_queryset(self):
        manager = self.model._default_manager
        if self.scope_action == "view":
            return manager.for_user(self.request.user)
        return manager.editable_by(self.request.user)


class RegisterWriterRequiredMixin:
    """Views that create in the registers: only officers and admins; others get 404."""

    def dispatch(self, request, *args, **kwargs):
        if not scope_for(request.user).can_write_registers:
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
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
