"""Entry screens of the activity records, the support payouts ledger and the weak CĐCS list.

Everything comes through the one door: reads through `for_user`, writes through `editable_by`
(and the services check again); out of scope answers 404. Writes go through
activities.services: their ValidationErrors (lock refusals included) show on the form and
nothing is written; the history (simple-history) records who wrote what.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView, View

from grassroots.access import scope_for, scoped
from grassroots.listing import ScopeRequiredMixin
from grassroots.models import GrassrootsUnion
from members.models import Member
from unionportal.spreadsheets.export import Sheet, xlsx_response
from unionportal.text import parse_id
from unionportal.views import ActionFormMixin, add_service_errors

from . import services
from .forms import (
    AgreementForm,
    ApprovePayoutForm,
    AttendeesForm,
    ConsolidationForm,
    CourseForm,
    MarkPaidForm,
    PartyEventForm,
    PositionEndForm,
    PositionForm,
)
from .models import CollectiveAgreement, OfficerPosition, PartyEvent, TrainingCourse
from .payouts import Due, support_due
from .weak import consolidation_outcomes, criteria, weak_grassroots


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


class _ObjectFormPage(ScopeRequiredMixin, ActionFormMixin, FormView):
    """A page of one object read in scope (404 otherwise) with a form that writes; the form is
    shown and accepted only when the user may change the object (POST otherwise: 404)."""

    model: Any = GrassrootsUnion

    def readable(self):
        return self.model.objects.for_user(self.request.user)

    def editable(self):
        return self.model.objects.editable_by(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.readable(), pk=kwargs["pk"])
        self.can_edit = self.editable().filter(pk=self.object.pk).exists()
        if request.method == "POST" and not self.can_edit:
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, can_edit=self.can_edit, **kwargs)

    def acted(self):
        return redirect(self.request.path)


class GrassrootsOfficersView(_ObjectFormPage):
    """A CĐCS's officers (chủ tịch, phó chủ tịch, ủy viên BCH), dated: add a position."""

    template_name = "activities/officers.html"
    form_class = PositionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "grassroots": self.object}

    def get_context_data(self, **kwargs):
        positions = (
            OfficerPosition.objects.filter(grassroots=self.object)
            .select_related("member")
            .order_by("ended_on", "role", "-started_on")
        )
        return super().get_context_data(positions=positions, end_form=PositionEndForm(), **kwargs)

    def act(self, data):
        services.position_assign(
            user=self.request.user,
            member=data["member"],
            role=data["role"],
            started_on=data["started_on"],
        )
        messages.success(
            self.request,
            f"Đã ghi {data['member'].full_name}: {OfficerPosition.Role(data['role']).label} "
            f"từ ngày {data['started_on']:%d/%m/%Y}.",
        )


class PositionEndView(_ObjectFormPage):
    """End an officer position (its last day)."""

    template_name = "activities/position_end.html"
    form_class = PositionEndForm
    model = OfficerPosition

    def readable(self):
        return OfficerPosition.objects.filter(
            grassroots__in=GrassrootsUnion.objects.for_user(self.request.user)
        ).select_related("member", "grassroots")

    def editable(self):
        return OfficerPosition.objects.filter(
            grassroots__in=GrassrootsUnion.objects.editable_by(self.request.user)
        )

    def act(self, data):
        services.position_end(
            user=self.request.user, position=self.object, ended_on=data["ended_on"]
        )
        messages.success(
            self.request,
            f"Đã ghi kết thúc chức vụ của {self.object.member.full_name} "
            f"ngày {data['ended_on']:%d/%m/%Y}.",
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            return redirect("activities:officers", pk=self.object.grassroots_id)
        return response


class GrassrootsAgreementsView(_ObjectFormPage):
    """A CĐCS's collective labour agreements: list and add."""

    template_name = "activities/agreements.html"
    form_class = AgreementForm

    def get_context_data(self, **kwargs):
        agreements = CollectiveAgreement.objects.filter(grassroots=self.object).order_by(
            "-signed_on"
        )
        return super().get_context_data(agreements=agreements, **kwargs)

    def act(self, data):
        services.agreement_record(user=self.request.user, grassroots=self.object, **data)
        messages.success(
            self.request,
            f"Đã ghi thỏa ước loại {data['grade']} ký ngày {data['signed_on']:%d/%m/%Y}.",
        )


class MemberPartyView(_ObjectFormPage):
    """A member introduced to the Party / admitted to it."""

    template_name = "activities/member_party.html"
    form_class = PartyEventForm
    model = Member

    def readable(self):
        return Member.objects.for_user(self.request.user).select_related("grassroots")

    def get_context_data(self, **kwargs):
        events = PartyEvent.objects.filter(member=self.object).order_by("on")
        return super().get_context_data(member=self.object, events=events, **kwargs)

    def act(self, data):
        services.party_event_record(
            user=self.request.user, member=self.object, kind=data["kind"], on=data["on"]
        )
        messages.success(
            self.request,
            f"Đã ghi {self.object.full_name}: {PartyEvent.Kind(data['kind']).label} "
            f"ngày {data['on']:%d/%m/%Y}.",
        )


def courses_for(user):
    """Courses of the units in the user's scope (the one door's filter)."""
    return scoped(
        TrainingCourse.objects.all(),
        user,
        federation="district_union__federation_id",
        district="district_union_id",
        write=False,
    )


class CourseListView(ScopeRequiredMixin, ListView):
    template_name = "activities/course_list.html"
    paginate_by = 50

    def get_queryset(self):
        return courses_for(self.request.user).select_related("district_union")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_write=scope_for(self.request.user).can_write_registers, **kwargs
        )


def _members_by_cccd(user, numbers: list[str]) -> tuple[list[Member], list[str]]:
    """The members with these CCCDs the user may write for, and the numbers not found."""
    found = {
        m.cccd: m
        for m in Member.objects.editable_by(user)
        .filter(cccd__in=numbers, left_on__isnull=True)
        .select_related("grassroots")
    }
    missing = [
        f"Không có đoàn viên đang sinh hoạt mang số CCCD {n} trong phạm vi của bạn."
        for n in numbers
        if n not in found
    ]
    return [found[n] for n in dict.fromkeys(numbers) if n in found], missing


class CourseCreateView(ScopeRequiredMixin, FormView):
    template_name = "activities/course_form.html"
    form_class = CourseForm

    def dispatch(self, request, *args, **kwargs):
        if not scope_for(request.user).can_write_registers:
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        attendees, missing = _members_by_cccd(self.request.user, data["attendees"])
        if missing:
            form.add_error("attendees", missing)
            return self.form_invalid(form)
        try:
            course = services.course_record(
                user=self.request.user,
                held_on=data["held_on"],
                topic=data["topic"],
                organiser=data["organiser"],
                attendees=attendees,
                district_union=data["district_union"],
            )
        except ValidationError as error:
            _attendee_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Đã ghi lớp tập huấn với {len(attendees)} học viên.")
        return redirect("activities:course-detail", pk=course.pk)


def _attendee_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        add_service_errors(form, error)
    else:
        form.add_error("attendees", error.messages)


class CourseDetailView(ScopeRequiredMixin, FormView):
    """A course and its attendees; officers add attendees by CCCD."""

    template_name = "activities/course_detail.html"
    form_class = AttendeesForm

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(
            courses_for(request.user).select_related("district_union"), pk=kwargs["pk"]
        )
        self.can_edit = scope_for(request.user).can_write_registers
        if request.method == "POST" and not self.can_edit:
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        attendances = self.object.attendances.select_related("member", "grassroots").order_by(
            "member__full_name"
        )
        return super().get_context_data(
            course=self.object, attendances=attendances, can_edit=self.can_edit, **kwargs
        )

    def form_valid(self, form):
        attendees, missing = _members_by_cccd(self.request.user, form.cleaned_data["attendees"])
        already = set(self.object.attendances.values_list("member_id", flat=True))
        missing += [
            f"{m.full_name} đã có trong danh sách lớp này." for m in attendees if m.pk in already
        ]
        if missing:
            form.add_error("attendees", missing)
            return self.form_invalid(form)
        course = self.object
        try:
            services.course_record(
                user=self.request.user,
                held_on=course.held_on,
                topic=course.topic,
                organiser=course.organiser,
                attendees=attendees,
                district_union=course.district_union,
            )
        except ValidationError as error:
            _attendee_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Đã thêm {len(attendees)} học viên.")
        return redirect("activities:course-detail", pk=course.pk)


def _year(request) -> int:
    year = parse_id(request.GET.get("nam"))
    today = timezone.localdate()
    if year is None or not 2000 <= year <= today.year:
        return today.year - 1
    return year


class PayoutsView(ScopeRequiredMixin, FormView):
    """The support payouts ledger of a year: due and paid, totals; the accountant (federation
    staff, admins) marks a row paid with its date and voucher number."""

    template_name = "activities/payouts.html"
    form_class = MarkPaidForm

    def dispatch(self, request, *args, **kwargs):
        self.year = _year(request)
        scope = scope_for(request.user)
        self.can_pay = scope.is_admin or scope.is_federation
        if request.method == "POST" and not self.can_pay:
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        dues = support_due(self.request.user, self.year)
        total = sum(d.amount for d in dues)
        paid = sum(d.payout.amount for d in dues if d.paid and d.payout)
        return super().get_context_data(
            year=self.year,
            years=range(timezone.localdate().year, 2019, -1),
            dues=dues,
            total=vnd(total),
            paid_total=vnd(paid),
            due_total=vnd(total - paid),
            can_pay=self.can_pay,
            **kwargs,
        )

    def get_form_class(self):
        if self.request.method == "POST" and self.request.POST.get("action") == "approve":
            return ApprovePayoutForm
        return MarkPaidForm

    def form_valid(self, form):
        data = form.cleaned_data
        dues = {d.key: d for d in support_due(self.request.user, self.year)}
        due = dues.get(data["key"])
        if due is None:
            form.add_error(None, "Không tìm thấy khoản hỗ trợ này trong năm đã chọn.")
            return self.form_invalid(form)
        if isinstance(form, ApprovePayoutForm):
            try:
                services.payout_approve(user=self.request.user, due=due)
            except ValidationError as error:
                add_service_errors(form, error)
                return self.form_invalid(form)
            messages.success(
                self.request, f"Đã duyệt chi {vnd(due.amount)} cho {due.grassroots.name}."
            )
            return redirect(f"{self.request.path}?nam={self.year}")
        try:
            services.payout_mark_paid(
                user=self.request.user, due=due, paid_on=data["paid_on"], voucher=data["voucher"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Đã ghi đã chi {vnd(due.amount)} cho {due.grassroots.name} "
            f"(chứng từ {data['voucher']}).",
        )
        return redirect(f"{self.request.path}?nam={self.year}")


PAYOUT_KIND_LABELS = {
    "grassroots": "CĐCS mới từ 25 đoàn viên",
    "recruiter": "Cán bộ vận động thành lập",
    "agreement": "Thỏa ước lao động tập thể",
}


def _payout_rows(dues: list[Due]):
    for d in dues:
        p = d.payout if d.paid else None
        yield [
            d.grassroots.district_union.name,
            d.grassroots.code,
            d.grassroots.name,
            PAYOUT_KIND_LABELS.get(d.kind, d.kind),
            d.reason,
            d.due_on,
            d.amount,
            d.status_label,
            p.paid_on if p else None,
            p.voucher if p else "",
            d.payout.approved_by_name if d.payout and d.payout.approved_at else "",
            timezone.localtime(d.payout.approved_at).date()
            if d.payout and d.payout.approved_at
            else None,
        ]


class PayoutsExportView(ScopeRequiredMixin, View):
    def get(self, request):
        year = _year(request)
        dues = support_due(request.user, year)
        headers = [
            "Công đoàn cấp trên",
            "Mã CĐCS",
            "Tên CĐCS",
            "Loại hỗ trợ",
            "Căn cứ",
            "Ngày đến hạn",
            "Số tiền (đồng)",
            "Trạng thái",
            "Ngày chi",
            "Số chứng từ",
            "Người duyệt chi",
            "Ngày duyệt chi",
        ]
        rows = list(_payout_rows(dues))
        rows.append(
            ["Tổng cộng", "", "", "", "", None, sum(d.amount for d in dues), "", None, "", "", None]
        )
        sheet = Sheet(
            title=f"Hỗ trợ {year}",
            headers=headers,
            rows=rows,
            text_columns=["Mã CĐCS", "Số chứng từ"],
            date_columns=["Ngày đến hạn", "Ngày chi", "Ngày duyệt chi"],
        )
        return xlsx_response(f"ho-tro-{year}.xlsx", [sheet])


class WeakGrassrootsView(ScopeRequiredMixin, TemplateView):
    template_name = "activities/weak.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            rows=weak_grassroots(user),
            criteria=criteria(),
            outcomes=consolidation_outcomes(user),
            can_record=GrassrootsUnion.objects.editable_by(user).exists(),
            **kwargs,
        )


class ConsolidationRecordView(ScopeRequiredMixin, FormView):
    """`cdcs-yeu-kem/ket-qua/`: an officer records the outcome of consolidating a CĐCS of their
    unit (merged, dissolved, revived) with its day and a note; others answer 404."""

    template_name = "activities/consolidation_form.html"
    form_class = ConsolidationForm

    def dispatch(self, request, *args, **kwargs):
        self.grassroots = GrassrootsUnion.objects.editable_by(request.user).order_by("name", "pk")
        if request.user.is_authenticated and not self.grassroots.exists():
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        chosen = parse_id(self.request.GET.get("cdcs"))
        return {"grassroots": chosen} if chosen else {}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"grassroots": self.grassroots}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            record = services.consolidation_record(
                user=self.request.user,
                grassroots=data["grassroots"],
                outcome=data["outcome"],
                on=data["on"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Đã ghi kết quả củng cố {record.grassroots.name}: {record.get_outcome_display()}"
            f" ngày {record.on:%d/%m/%Y}.",
        )
        return redirect("activities:weak")


class WeakGrassrootsExportView(ScopeRequiredMixin, View):
    def get(self, request):
        rows = [
            [
                r.grassroots.district_union.name,
                r.grassroots.code,
                r.grassroots.name,
                r.members,
                "Có" if r.has_chair else "Không",
                r.last_admission,
                "; ".join(r.reasons),
                f"{r.outcome.get_outcome_display()} ({r.outcome.on:%d/%m/%Y})" if r.outcome else "",
            ]
            for r in weak_grassroots(request.user)
        ]
        sheet = Sheet(
            title="CĐCS yếu kém",
            headers=[
                "Công đoàn cấp trên",
                "Mã CĐCS",
                "Tên CĐCS",
                "Số đoàn viên",
                "Có chủ tịch",
                "Lần kết nạp gần nhất",
                "Lý do",
                "Kết quả củng cố đã ghi",
            ],
            rows=rows,
            text_columns=["Mã CĐCS"],
            date_columns=["Lần kết nạp gần nhất"],
        )
        criteria_sheet = Sheet(
            title="Tiêu chí", headers=["Tiêu chí"], rows=[[c] for c in criteria()]
        )
        outcomes_sheet = Sheet(
            title="Kết quả củng cố",
            headers=[
                "Công đoàn cấp trên",
                "Mã CĐCS",
                "Tên CĐCS",
                "Kết quả",
                "Ngày",
                "Chi tiết",
                "Nguồn",
            ],
            rows=[
                [
                    o.grassroots.district_union.name,
                    o.grassroots.code,
                    o.grassroots.name,
                    o.label,
                    o.on,
                    o.detail,
                    o.source,
                ]
                for o in consolidation_outcomes(request.user)
            ],
            text_columns=["Mã CĐCS"],
            date_columns=["Ngày"],
        )
        return xlsx_response(
            f"cdcs-yeu-kem-{timezone.localdate():%Y%m%d}.xlsx",
            [sheet, criteria_sheet, outcomes_sheet],
        )
