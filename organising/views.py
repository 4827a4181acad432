"""Pages of the enterprise register: list (with filters), my enterprises, detail (history,
contacts, the stage, assign, contact and found forms), add, the headroom page, and downloads.

Every object comes through `for_user` (read) or `editable_by` (the action forms): out of scope
answers 404. Writes go through organising.services; a ValidationError is shown on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView, TemplateView

from grassroots.access import scope_for
from grassroots.access.views import RegisterWriterRequiredMixin, ScopedQuerysetMixin
from grassroots.listing import CappedPaginator, ScopeRequiredMixin
from grassroots.models import GrassrootsUnion
from unionportal.views import ActionFormMixin, add_service_errors

from . import services
from .forms import (
    AssignForm,
    ContactForm,
    EnterpriseFilter,
    EnterpriseForm,
    FoundForm,
    HeadroomForm,
    NotesForm,
    StageForm,
)
from .links import headroom_links
from .models import Enterprise, Stage
from .selectors import headroom_for


class EnterpriseListView(ScopeRequiredMixin, ScopedQuerysetMixin, ListView):
    """Queries (constant in the number of rows): session, user, role (scope), the unit and
    officer choices of the filter form, capped count, the page with unit, officer and CĐCS."""

    model = Enterprise
    paginate_by = 50
    paginator_class = CappedPaginator
    template_name = "organising/enterprise_list.html"
    mine = False

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.mine:
            queryset = queryset.filter(officer=self.request.user)
        self.filter = EnterpriseFilter(queryset, self.request.GET, user=self.request.user)
        return self.filter.qs.select_related("district_union", "officer", "grassroots")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.filter.form,
            filter_summary=self.filter.summary(),
            filter_errors=self.filter.error_messages(),
            show_unit_filter=not self.scope.is_district,
            mine=self.mine,
            can_add=self.scope.can_write_registers,
            export_query=query.urlencode(),
            page_title="Doanh nghiệp của tôi" if self.mine else "Doanh nghiệp chưa có CĐCS",
        )
        return context


class MyEnterprisesView(EnterpriseListView):
    mine = True


def _timeline(enterprise: Enterprise) -> list[dict]:
    """Stage changes, assignments, worker-count changes and the CĐCS founded or dissolved with
    this tax code, newest first."""
    entries = []
    for change in enterprise.stage_changes.select_related("by"):
        entries.append(
            {
                "on": change.on,
                "what": f"{change.get_previous_display()} → {change.get_stage_display()}",
                "note": change.note,
                "by": change.by,
                "order": change.recorded_at,
            }
        )
    for assignment in enterprise.assignments.select_related("by", "officer"):
        who = assignment.officer
        entries.append(
            {
                "on": assignment.on,
                "what": "Giao cho "
                + (who.get_full_name() or who.get_username() if who else "(không ai)"),
                "note": "",
                "by": assignment.by,
                "order": assignment.recorded_at,
            }
        )
    for count in enterprise.worker_changes.select_related("by"):
        entries.append(
            {
                "on": count.on,
                "what": f"Số lao động {count.workers_before} → {count.workers_after}",
                "note": f"Nhập từ file {count.source_name}" if count.source_name else "",
                "by": count.by,
                "order": count.recorded_at,
            }
        )
    for g in GrassrootsUnion.objects.filter(tax_code=enterprise.full_tax_code):
        entries.append(
            {
                "on": g.founded_on,
                "what": f"Đã thành lập CĐCS: {g.name}",
                "note": "",
                "by": None,
                "order": None,
                "grassroots": g,
            }
        )
        if g.dissolved_on:
            entries.append(
                {
                    "on": g.dissolved_on,
                    "what": f"CĐCS {g.name} giải thể: doanh nghiệp trở lại danh sách chưa có CĐCS",
                    "note": g.dissolution_reason,
                    "by": None,
                    "order": None,
                }
            )
    epoch = timezone.now().replace(year=1900)
    entries.sort(key=lambda e: (e["on"], e["order"] or epoch), reverse=True)
    return entries


class EnterpriseDetailView(ScopeRequiredMixin, ScopedQuerysetMixin, DetailView):
    model = Enterprise
    template_name = "organising/enterprise_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("district_union", "officer", "grassroots", "recruited_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        can_edit = (
            Enterprise.objects.editable_by(self.request.user).filter(pk=enterprise.pk).exists()
        )
        context.update(
            can_edit=can_edit,
            timeline=_timeline(enterprise),
            contacts=enterprise.contacts.select_related("by").order_by("-on", "-id"),
        )
        if can_edit:
            context.update(
                stage_form=StageForm(enterprise=enterprise),
                assign_form=AssignForm(enterprise=enterprise),
                contact_form=ContactForm(enterprise=enterprise),
                notes_form=NotesForm(enterprise=enterprise),
                can_found=enterprise.grassroots_id is None and enterprise.stage != Stage.CLOSED,
            )
        return context


class EnterpriseCreateView(RegisterWriterRequiredMixin, FormView):
    form_class = EnterpriseForm
    template_name = "organising/enterprise_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            enterprise = services.enterprise_create(user=self.request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Đã thêm {enterprise.name}.")
        return redirect("organising:enterprise-detail", pk=enterprise.pk)


class EnterpriseActionView(ActionFormMixin, FormView):
    """A form acting on one enterprise the user may work (404 otherwise)."""

    template_name = "organising/enterprise_action.html"
    title = ""
    done = ""

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = get_object_or_404(
            Enterprise.objects.editable_by(request.user).select_related("district_union"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enterprise": self.enterprise}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.enterprise, title=self.title, **kwargs)

    def acted(self):
        messages.success(self.request, self.done)
        return redirect(self.success_url_for())

    def success_url_for(self) -> str:
        return reverse("organising:enterprise-detail", args=[self.enterprise.pk])


class EnterpriseStageView(EnterpriseActionView):
    form_class = StageForm
    title = "Chuyển giai đoạn"
    done = "Đã chuyển giai đoạn."

    def act(self, data):
        services.enterprise_stage_change(enterprise=self.enterprise, user=self.request.user, **data)


class EnterpriseAssignView(EnterpriseActionView):
    form_class = AssignForm
    title = "Giao cho cán bộ"
    done = "Đã giao doanh nghiệp."

    def act(self, data):
        services.enterprise_assign(enterprise=self.enterprise, user=self.request.user, **data)


class EnterpriseContactView(EnterpriseActionView):
    form_class = ContactForm
    title = "Ghi lần tiếp xúc"
    done = "Đã ghi lần tiếp xúc."

    def act(self, data):
        services.enterprise_contact_add(enterprise=self.enterprise, user=self.request.user, **data)


class EnterpriseNotesView(EnterpriseActionView):
    form_class = NotesForm
    title = "Ghi chú"
    done = "Đã lưu ghi chú."

    def act(self, data):
        services.enterprise_notes_update(enterprise=self.enterprise, user=self.request.user, **data)


class EnterpriseFoundView(EnterpriseActionView):
    form_class = FoundForm
    title = "Thành lập CĐCS của doanh nghiệp"

    def act(self, data):
        self.grassroots = services.enterprise_found_grassroots(
            enterprise=self.enterprise, user=self.request.user, **data
        )
        self.done = (
            f"Đã thành lập {self.grassroots.name}; doanh nghiệp chuyển sang 'Đã thành lập CĐCS'."
        )

    def success_url_for(self) -> str:
        return reverse("grassroots:grassroots-detail", args=[self.grassroots.pk])


def _year(request) -> int:
    form = HeadroomForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


class HeadroomView(ScopeRequiredMixin, TemplateView):
    """Headroom of every unit in scope and their sum. Queries: session, user, role, then the 5
    of `headroom_for` (constant in units and enterprises)."""

    template_name = "organising/headroom.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = _year(self.request)
        page = headroom_for(self.request.user, year=year, today=today)
        context.update(
            page=page,
            year=year,
            years=list(range(today.year, today.year - 6, -1)),
            rows=[(row, headroom_links(row, year)) for row in page.rows],
            total=page.total,
            total_links=headroom_links(page.total, year),
            show_total=not scope_for(self.request.user).is_district,
            stages=[s for s in Stage],
        )
        return context
