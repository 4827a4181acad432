from django.http import Http404
from django.urls import reverse
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from unionportal.views import RegisterWriterRequiredMixin, ScopedQuerysetMixin, ServiceFormMixin

from . import services
from .forms import GrassrootsForm
from .models import DistrictUnion, GrassrootsUnion


class GrassrootsListView(ScopedQuerysetMixin, ListView):
    model = GrassrootsUnion
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("district_union").order_by("name", "pk")


class GrassrootsDetailView(ScopedQuerysetMixin, DetailView):
    model = GrassrootsUnion

    def get_queryset(self):
        return super().get_queryset().select_related("district_union")


class GrassrootsCreateView(RegisterWriterRequiredMixin, ServiceFormMixin, CreateView):
    model = GrassrootsUnion
    form_class = GrassrootsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_with_service(self, form):
        data = dict(form.cleaned_data)
        unit = data.pop("district_union")
        if not DistrictUnion.objects.for_user(self.request.user).filter(pk=unit.pk).exists():
            raise Http404
        return services.grassroots_found(district_union=unit, **data)

    def get_success_url(self):
        return reverse("grassroots:grassroots-detail", args=[self.object.pk])


class GrassrootsUpdateView(ScopedQuerysetMixin, ServiceFormMixin, UpdateView):
    model = GrassrootsUnion
    form_class = GrassrootsForm
    scope_action = "change"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_with_service(self, form):
        return services.grassroots_update(grassroots=self.object, **form.cleaned_data)

    def get_success_url(self):
        return reverse("grassroots:grassroots-detail", args=[self.object.pk])
