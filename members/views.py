"""The member register: list/search, admit, edit, transfer, leave, rejoin, detail, audit.

Objects come through `for_user` (read) / `editable_by` (write): out of scope -> 404. Writes go
through members.services in transactions; their ValidationErrors are shown on the form and
nothing is written. Forms that change a member carry its `version` (stale forms are refused).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from grassroots.access import scoped
from grassroots.access.views import RegisterWriterRequiredMixin, ScopedQuerysetMixin
from grassroots.forms import GrassrootsDissolveForm
from grassroots.history import history_entries
from grassroots.listing import CappedPaginator, ScopeRequiredMixin
from grassroots.models import GrassrootsUnion
from grassroots.search import GrassrootsSearchMixin
from grassroots.views import GrassrootsActionView
from unionportal.text import parse_id
from unionportal.views import ActionFormMixin, ServiceFormMixin, add_service_errors

from . import services
from .filters import MemberFilter
from .forms import MemberForm, MemberLeaveForm, MemberRejoinForm, MemberTransferForm
from .models import AccessLog, Member, access_log_record, mask_cccd

SAVE_AND_NEXT = "save_and_next"


class MemberListView(ScopeRequiredMixin, ScopedQuerysetMixin, ListView):
    """Queries (constant in the number of rows): session, user, role (scope), capped count, the
    page of members with their CĐCS, the CĐCS choices of the filter (+ the units for federation
    staff and admins)."""

    model = Member
    paginate_by = 50
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filter = MemberFilter(super().get_queryset(), self.request.GET, user=self.request.user)
        return self.filter.qs.select_related("grassroots")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter_form=self.filter.form,
            filter_summary=self.filter.summary(),
            has_filters=bool(self.filter.cleaned.keys() - {"sort"}),
        )
        return context


class MemberDetailView(ScopeRequiredMixin, ScopedQuerysetMixin, DetailView):
    """The only page showing the full CCCD: each view is recorded in the AccessLog."""

    model = Member

    def get_queryset(self):
        return super().get_queryset().select_related("grassroots__district_union")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.object
        access_log_record(
            self.request, AccessLog.Action.VIEW_MEMBER, member=member, what=member.full_name
        )
        records = member.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        context.update(
            can_edit=Member.objects.editable_by(self.request.user).filter(pk=member.pk).exists(),
            placements=member.placements.select_related("grassroots", "created_by").order_by(
                "-start_on", "-pk"
            ),
            history=history_entries(records),
        )
        return context


class MemberCreateView(RegisterWriterRequiredMixin, GrassrootsSearchMixin, CreateView):
    """Admit a member. "Lưu và kết nạp tiếp" returns to an empty form keeping CĐCS and date.

    The form's one-time token makes a resubmission (double click, back + submit) land on the
    member it already created instead of a second admission or a confusing error.
    """

    model = Member
    form_class = MemberForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        # Kept from the previous admission ("Lưu và kết nạp tiếp"); the choices are scoped, so
        # an id the user may not write in is simply not preselected.
        for name in ("grassroots", "joined_on"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        after = parse_id(self.request.GET.get("after"))
        if after is not None:
            context["previous"] = (
                Member.objects.for_user(self.request.user).filter(pk=after).first()
            )
        return context

    def _already_saved(self):
        member = services.member_admitted_with_token(self.request.POST.get("form_token", ""))
        if member and Member.objects.for_user(self.request.user).filter(pk=member.pk).exists():
            return member
        return None

    def post(self, request, *args, **kwargs):
        self.object = None
        member = self._already_saved()
        if member is not None:
            messages.info(request, f"Biểu mẫu này đã được lưu: {member.full_name} đã được kết nạp.")
            return redirect(self._next_url(member, request.POST.get("action")))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.object = services.member_admit(
                user=self.request.user,
                form_token=form.cleaned_data.get("form_token", ""),
                **form.service_fields(),
            )
        except ValidationError as error:
            # A concurrent submission of this same form may have won the race for the CCCD.
            member = self._already_saved()
            if member is not None:
                self.object = member
                return redirect(self._next_url(member, self.request.POST.get("action")))
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Đã kết nạp {self.object.full_name} vào {self.object.grassroots.name} "
            f"ngày {self.object.joined_on:%d/%m/%Y}.",
        )
        return redirect(self._next_url(self.object, self.request.POST.get("action")))

    def _next_url(self, member: Member, action: str | None) -> str:
        if action == SAVE_AND_NEXT:
            query = QueryDict(mutable=True)
            query.update(
                {
                    "grassroots": str(member.grassroots_id),
                    "joined_on": member.joined_on.strftime("%d/%m/%Y"),
                    "after": str(member.pk),
                }
            )
            return f"{reverse('members:member-create')}?{query.urlencode()}"
        return reverse("members:member-detail", args=[member.pk])


class MemberUpdateView(ScopedQuerysetMixin, ServiceFormMixin, UpdateView):
    model = Member
    form_class = MemberForm
    scope_action = "change"

    def get_queryset(self):
        return super().get_queryset().select_related("grassroots")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        # The edit form shows the full CCCD in its input: opening it is an access like the
        # member's page (Law 91/2025/QH15).
        access_log_record(
            self.request,
            AccessLog.Action.VIEW_MEMBER,
            member=self.object,
            what=f"Sửa hồ sơ: {self.object.full_name}",
        )
        return super().get_context_data(**kwargs)

    def save_with_service(self, form):
        # form.instance holds the typed values already; the service re-reads and locks the row
        # and refuses the save when someone else saved since this form was rendered.
        return services.member_update(
            user=self.request.user,
            member=self.object,
            expected_version=form.cleaned_data["version"],
            **form.service_fields(),
        )

    def get_success_url(self):
        messages.success(self.request, "Đã lưu thay đổi.")
        return reverse("members:member-detail", args=[self.object.pk])


class _MemberActionView(ActionFormMixin, FormView):
    """A form acting on one member the user may change (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(
            Member.objects.editable_by(request.user).select_related("grassroots"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "member": self.member}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.member, member=self.member, **kwargs)

    def acted(self):
        return redirect("members:member-detail", pk=self.member.pk)


class MemberTransferView(GrassrootsSearchMixin, _MemberActionView):
    form_class = MemberTransferForm
    template_name = "members/member_transfer.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def act(self, data):
        services.member_transfer(
            user=self.request.user,
            member=self.member,
            to_grassroots=data["to_grassroots"],
            on=data["on"],
            expected_version=data["version"],
        )
        messages.success(
            self.request,
            f"Đã chuyển {self.member.full_name} sang {data['to_grassroots'].name} "
            f"từ ngày {data['on']:%d/%m/%Y}.",
        )


class MemberLeaveView(_MemberActionView):
    form_class = MemberLeaveForm
    template_name = "members/member_leave.html"

    def act(self, data):
        services.member_leave(
            user=self.request.user,
            member=self.member,
            on=data["on"],
            reason=data["reason"],
            note=data["note"],
            expected_version=data["version"],
        )
        messages.success(
            self.request,
            f"Đã ghi nhận {self.member.full_name} ra khỏi công đoàn từ ngày {data['on']:%d/%m/%Y}.",
        )


class MemberRejoinView(GrassrootsSearchMixin, _MemberActionView):
    form_class = MemberRejoinForm
    template_name = "members/member_rejoin.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def act(self, data):
        services.member_rejoin(
            user=self.request.user,
            member=self.member,
            grassroots=data["grassroots"],
            on=data["on"],
            expected_version=data["version"],
        )
        messages.success(
            self.request,
            f"Đã kết nạp lại {self.member.full_name} vào {data['grassroots'].name} "
            f"ngày {data['on']:%d/%m/%Y}.",
        )


AUDIT_KINDS = {"member": "Đoàn viên", "grassroots": "Công đoàn cơ sở"}


def audit_records(user, kind: str):
    """History records of members or CĐCS in the user's scope, newest first.

    A record is in scope when the CĐCS it names (the member's CĐCS at that time, or the CĐCS's
    upper-level union at that time) is in scope now, so an officer sees the edits made while a
    member was in one of their CĐCS; federation staff see their federation; admins everything.
    """
    if kind == "grassroots":
        records = GrassrootsUnion.history.all()
        unit, federation = "district_union_id", "district_union__federation_id"
    else:
        records = Member.history.all()
        unit, federation = (
            "grassroots__district_union_id",
            "grassroots__district_union__federation_id",
        )
    records = scoped(records, user, federation=federation, district=unit, write=False)
    return records.select_related("history_user").order_by("-history_date", "-history_id")


class AuditListView(ScopeRequiredMixin, ListView):
    """Who created or changed which member or CĐCS, when, and which fields (simple-history).

    Queries: session, user, role, capped count, the page of records with their users, the
    earlier records of the page's objects (for the changed fields), names of related CĐCS/units.
    """

    template_name = "members/audit_list.html"
    paginate_by = 50
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.kind = self.request.GET.get("loai", "member")
        if self.kind not in AUDIT_KINDS:
            raise Http404
        return audit_records(self.request.user, self.kind)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kind=self.kind,
            kinds=AUDIT_KINDS,
            # a list page: the full CCCD is shown on a member's own page only
            entries=history_entries(context["object_list"], masked={"cccd": mask_cccd}),
        )
        return context


class GrassrootsDissolveView(GrassrootsActionView):
    """Dissolve a CĐCS (its page, /cdcs/<id>/giai-the/): here, not in grassroots, because the
    members still in it leave with it (members.services.grassroots_dissolve_with_members)."""

    form_class = GrassrootsDissolveForm
    template_name = "grassroots/grassrootsunion_dissolve.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members_now_count"] = self.grassroots.members.filter(left_on__isnull=True).count()
        return context

    def act(self, data):
        services.grassroots_dissolve_with_members(
            user=self.request.user,
            grassroots=self.grassroots,
            on=data["on"],
            reason=data["reason"],
        )
        messages.success(
            self.request,
            f"Đã ghi nhận giải thể {self.grassroots.name} từ ngày {data['on']:%d/%m/%Y}.",
        )
