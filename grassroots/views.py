"""The CĐCS register: found, edit, move (admins); the list and the detail page, which show
member figures, are composed in members.grassroots_views.

Every object comes through `for_user` / `editable_by` (ScopedQuerysetMixin): out of scope -> 404.
Writes go through grassroots.services; a ValidationError they raise is shown on the form.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import CreateView, FormView, UpdateView

from unionportal.views import ActionFormMixin, ServiceFormMixin

from . import services
from .access import scope_for
from .access.views import RegisterWriterRequiredMixin, ScopedQuerysetMixin
from .forms import GrassrootsForm, GrassrootsMoveForm
from .models import DistrictUnion, GrassrootsUnion


class GrassrootsCreateView(RegisterWriterRequiredMixin, ServiceFormMixin, CreateView):
    model = GrassrootsUnion
    form_class = GrassrootsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_with_service(self, form):
        data = dict(form.cleaned_data)
        unit = data.pop("district_union")
        # The choices are scoped already; checked again because the door must hold on its own.
        if not DistrictUnion.objects.for_user(self.request.user).filter(pk=unit.pk).exists():
            raise Http404
        return services.grassroots_found(district_union=unit, **data)

    def get_success_url(self):
        messages.success(self.request, f"Đã thành lập {self.object.name}.")
        return reverse("grassroots:grassroots-detail", args=[self.object.pk])


class GrassrootsUpdateView(ScopedQuerysetMixin, ServiceFormMixin, UpdateView):
    model = GrassrootsUnion
    form_class = GrassrootsForm
    scope_action = "change"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_with_service(self, form):
        # form.instance was changed by the form's validation: the service re-reads the row.
        return services.grassroots_update(grassroots=self.object, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Đã lưu thay đổi.")
        return reverse("grassroots:grassroots-detail", args=[self.object.pk])


class GrassrootsActionView(ActionFormMixin, FormView):
    """A form acting on one CĐCS the user may change (404 otherwise)."""

    def get_grassroots_queryset(self):
        return GrassrootsUnion.objects.editable_by(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.grassroots = get_object_or_404(
            self.get_grassroots_queryset().select_related("district_union"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.grassroots, **kwargs)

    def acted(self):
        return redirect("grassroots:grassroots-detail", pk=self.grassroots.pk)


class GrassrootsMoveView(GrassrootsActionView):
    """Admins move a CĐCS to another upper-level union of its federation from a date."""

    form_class = GrassrootsMoveForm
    template_name = "grassroots/grassrootsunion_move.html"

    def get_grassroots_queryset(self):
        if not scope_for(self.request.user).is_admin:
            return GrassrootsUnion.objects.none()
        return GrassrootsUnion.objects.editable_by(self.request.user)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "grassroots": self.grassroots,
        }

    def act(self, data):
        services.grassroots_move(
            grassroots=self.grassroots, district_union=data["district_union"], on=data["on"]
        )
        messages.success(
            self.request,
            f"Đã chuyển {self.grassroots.name} sang {data['district_union'].name} "
            f"từ ngày {data['on']:%d/%m/%Y}.",
        )
