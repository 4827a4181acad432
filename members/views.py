from django.urls import reverse
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from unionportal.views import RegisterWriterRequiredMixin, ScopedQuerysetMixin, ServiceFormMixin

from . import services
from .forms import MemberForm
from .models import Member


class MemberListView(ScopedQuerysetMixin, ListView):
    model = Member
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("grassroots").order_by("full_name", "pk")


class MemberDetailView(ScopedQuerysetMixin, DetailView):
    model = Member

    def get_queryset(self):
        return super().get_queryset().select_related("grassroots__district_union")


class MemberCreateView(RegisterWriterRequiredMixin, ServiceFormMixin, CreateView):
    model = Member
    form_class = MemberForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_with_service(self, form):
        data = dict(form.cleaned_data)
        return services.member_admit(user=self.request.user, **data)

    def get_success_url(self):
        return reverse("members:member-detail", args=[self.object.pk])


class MemberUpdateView(ScopedQuerysetMixin, ServiceFormMixin, UpdateView):
    model = Member
    form_class = MemberForm
    scope_action = "change"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_with_service(self, form):
        return services.member_update(
            user=self.request.user, member=self.object, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("members:member-detail", args=[self.object.pk])
