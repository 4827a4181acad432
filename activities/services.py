"""Writes of the activity records: each checks the user's scope (404 outside it) and the
rules (activities.rules), and announces nothing (the further figures are read from the
records themselves, not from the day table)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from grassroots.access import scope_for
from grassroots.locks import period_lock_check
from grassroots.models import GrassrootsUnion
from members.models import Member

from .models import (
    CollectiveAgreement,
    ConsolidationOutcome,
    OfficerPosition,
    PartyEvent,
    SupportPayout,
    TrainingAttendance,
    TrainingCourse,
)
from .rules import agreement_dates_problem, officer_on_day_problem
from .stats import record_stats_refresh, units_of_members, units_on_days


def _check_writable(user, grassroots_ids: Iterable[int]) -> None:
    """Raise Http404 when `user` may not write in one of these CĐCS."""
    ids = set(grassroots_ids)
    if GrassrootsUnion.objects.editable_by(user).filter(pk__in=ids).count() != len(ids):
        raise Http404("CĐCS không thuộc phạm vi của bạn.")


@transaction.atomic
def position_assign(
    *, user, member: Member, role: str, started_on: date, ended_on: date | None = None
) -> OfficerPosition:
    """A member's officer position in their CĐCS from `started_on`."""
    _check_writable(user, [member.grassroots_id])
    days = [started_on] + ([ended_on] if ended_on else [])
    period_lock_check(
        grassroots=[(member.grassroots_id, day) for day in days],
        what=f"Chức vụ: {member.full_name}",
        field="started_on",
    )
    position = OfficerPosition(
        member=member,
        grassroots_id=member.grassroots_id,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
    )
    position.full_clean()
    position.save()
    if role == OfficerPosition.Role.CHAIR:  # may make the member a new chair trained
        record_stats_refresh(units_of_members([member.pk]), since=started_on)
    return position


def officers_on(members: Iterable[Member], day: date) -> set[int]:
    """The ids of those members who hold an officer position in their CĐCS on `day`: one
    query."""
    return set(
        OfficerPosition.objects.filter(member__in=list(members), started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .values_list("member_id", flat=True)
    )


@transaction.atomic
def course_record(
    *, user, held_on: date, topic: str, organiser: str, attendees: list[Member], district_union=None
) -> TrainingCourse:
    """A course and its attendees, all or nothing: every attendee an officer of their CĐCS on
    the course's day, within the user's scope. A course of the same day, topic and organiser
    gets the attendees."""
    _check_writable(user, {m.grassroots_id for m in attendees})
    officers = officers_on(attendees, held_on)
    problems = [
        f"{m.full_name}: {problem}"
        for m in attendees
        if (
            problem := officer_on_day_problem(
                m.pk in officers, m.grassroots.code if m.grassroots_id else "", held_on
            )
        )
    ]
    if problems:
        raise ValidationError(problems)
    period_lock_check(
        grassroots=[(m.grassroots_id, held_on) for m in attendees],
        what=f"Tập huấn: {topic}"[:200],
        field="held_on",
    )
    # The same day, topic and organiser: the same course (an attendance list in several files).
    course = TrainingCourse.objects.filter(
        held_on=held_on, topic=topic, organiser=organiser
    ).first()
    if course is None:
        course = TrainingCourse(
            held_on=held_on, topic=topic, organiser=organiser, district_union=district_union
        )
        course.full_clean()
        course.save()
    TrainingAttendance.objects.bulk_create(
        [
            TrainingAttendance(
                course=course, member=m, grassroots_id=m.grassroots_id, held_on=held_on
            )
            for m in attendees
        ]
    )
    # The attendees' earlier courses too: a first course decides who is a new chair.
    record_stats_refresh(units_of_members([m.pk for m in attendees]), since=held_on)
    return course


@transaction.atomic
def party_event_record(*, user, member: Member, kind: str, on: date) -> PartyEvent:
    """A member introduced to the Party or admitted to it, on `on`, in their CĐCS."""
    _check_writable(user, [member.grassroots_id])
    if on < member.joined_on:
        raise ValidationError(
            {"on": f"Ngày {on:%d/%m/%Y} trước ngày vào công đoàn ({member.joined_on:%d/%m/%Y})."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": f"Ngày {on:%d/%m/%Y} sau ngày hôm nay."})
    if PartyEvent.objects.filter(member=member, kind=kind).exists():
        raise ValidationError(
            {"kind": f"{member.full_name} đã được ghi «{PartyEvent.Kind(kind).label}»."}
        )
    period_lock_check(
        grassroots=[(member.grassroots_id, on)], what=f"Đảng: {member.full_name}", field="on"
    )
    event = PartyEvent(member=member, grassroots_id=member.grassroots_id, kind=kind, on=on)
    event.full_clean()
    event.save()
    record_stats_refresh(units_on_days([(member.grassroots_id, on)]), since=on)
    return event


@transaction.atomic
def agreement_record(
    *,
    user,
    grassroots: GrassrootsUnion,
    signed_on: date,
    valid_until: date,
    grade: str,
    workers_covered: int,
) -> CollectiveAgreement:
    """A collective labour agreement of a CĐCS."""
    _check_writable(user, [grassroots.pk])
    problem = agreement_dates_problem(
        signed_on, valid_until, timezone.localdate(), grassroots.founded_on
    )
    if problem:
        raise ValidationError({"signed_on": problem})
    period_lock_check(
        grassroots=[(grassroots.pk, signed_on)],
        what=f"Thỏa ước: {grassroots.name}"[:200],
        field="signed_on",
    )
    agreement = CollectiveAgreement(
        grassroots=grassroots,
        signed_on=signed_on,
        valid_until=valid_until,
        grade=grade,
        workers_covered=workers_covered,
    )
    agreement.full_clean()
    agreement.save()
    record_stats_refresh(units_on_days([(grassroots.pk, signed_on)]), since=signed_on)
    return agreement


@transaction.atomic
def position_end(*, user, position: OfficerPosition, ended_on: date) -> OfficerPosition:
    """End an officer position on `ended_on` (its last day)."""
    _check_writable(user, [position.grassroots_id])
    if position.ended_on is not None:
        raise ValidationError(
            {"ended_on": f"Chức vụ này đã kết thúc ngày {position.ended_on:%d/%m/%Y}."}
        )
    if ended_on < position.started_on:
        raise ValidationError(
            {
                "ended_on": f"Ngày kết thúc {ended_on:%d/%m/%Y} trước ngày bắt đầu "
                f"({position.started_on:%d/%m/%Y})."
            }
        )
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": f"Ngày kết thúc {ended_on:%d/%m/%Y} sau hôm nay."})
    period_lock_check(
        grassroots=[(position.grassroots_id, ended_on)],
        what=f"Kết thúc chức vụ {position.pk}",
        field="ended_on",
    )
    position.ended_on = ended_on
    position.full_clean()
    position.save()
    return position


def _payout_lookup(due) -> dict:
    if due.agreement is not None:
        return {"agreement_id": due.agreement.pk}
    return {"kind": due.kind, "grassroots_id": due.grassroots.pk, "agreement__isnull": True}


def _check_payer(user, due) -> None:
    scope = scope_for(user)
    if not (scope.is_admin or scope.is_federation) or not (
        GrassrootsUnion.objects.for_user(user).filter(pk=due.grassroots.pk).exists()
    ):
        raise Http404("Không có quyền.")


@transaction.atomic
def payout_approve(*, user, due, now=None) -> SupportPayout:
    """Approve a support due for payment (duyệt chi: due → approved), recording who and when:
    federation staff of its federation and admins (404 for others); once only."""
    _check_payer(user, due)
    lookup = _payout_lookup(due)
    current = SupportPayout.objects.select_for_update().filter(**lookup).first()
    if current is not None and current.status != SupportPayout.Status.DUE:
        when = timezone.localtime(current.approved_at) if current.approved_at else None
        raise ValidationError(
            "Khoản hỗ trợ này đã được duyệt chi"
            + (f" ({current.approved_by_name}, {when:%d/%m/%Y})" if when else "")
            + "."
        )
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    payout, _ = SupportPayout.objects.update_or_create(
        **lookup,
        defaults={
            "kind": due.kind,
            "grassroots_id": due.grassroots.pk,
            "agreement": due.agreement,
            "recipient": due.recipient,
            "amount": due.amount,
            "due_on": due.due_on,
            "status": SupportPayout.Status.APPROVED,
            "approved_by": user,
            "approved_by_name": (full or user.username)[:150],
            "approved_at": now or timezone.now(),
        },
    )
    return payout


@transaction.atomic
def payout_mark_paid(*, user, due, paid_on: date, voucher: str) -> SupportPayout:
    """Mark an approved support due (activities.payouts.Due) as paid (approved → paid):
    federation staff of its federation and admins (404 for others); once only."""
    _check_payer(user, due)
    voucher = voucher.strip()
    if not voucher:
        raise ValidationError({"voucher": "Cần nhập số chứng từ."})
    if paid_on < due.due_on:
        raise ValidationError(
            {"paid_on": f"Ngày chi {paid_on:%d/%m/%Y} trước ngày đến hạn ({due.due_on:%d/%m/%Y})."}
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": f"Ngày chi {paid_on:%d/%m/%Y} sau ngày hôm nay."})
    lookup = _payout_lookup(due)
    payout = SupportPayout.objects.select_for_update().filter(**lookup).first()
    if payout is not None and payout.status == SupportPayout.Status.PAID:
        raise ValidationError("Khoản hỗ trợ này đã được ghi là đã chi.")
    if payout is None or payout.status != SupportPayout.Status.APPROVED:
        raise ValidationError(
            "Khoản hỗ trợ này chưa được duyệt chi: cần duyệt chi trước khi ghi đã chi."
        )
    payout.status = SupportPayout.Status.PAID
    payout.paid_on = paid_on
    payout.voucher = voucher[:50]
    payout.save(update_fields=["status", "paid_on", "voucher"])
    return payout


@transaction.atomic
def consolidation_record(
    *, user, grassroots: GrassrootsUnion, outcome: str, on: date, note: str = ""
) -> ConsolidationOutcome:
    """Record the outcome of consolidating a CĐCS (merged, dissolved, revived) with its day and
    a note: the officer of its unit or an admin (404 for others)."""
    _check_writable(user, [grassroots.pk])
    if outcome not in ConsolidationOutcome.Outcome.values:
        raise ValidationError(
            {"outcome": "Chọn kết quả: sáp nhập, giải thể hoặc hoạt động trở lại."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": f"Ngày {on:%d/%m/%Y} sau ngày hôm nay."})
    if on < grassroots.founded_on:
        raise ValidationError(
            {
                "on": f"Ngày {on:%d/%m/%Y} trước ngày thành lập CĐCS ({grassroots.founded_on:%d/%m/%Y})."
            }
        )
    note = note.strip()
    if outcome == ConsolidationOutcome.Outcome.MERGED and not note:
        raise ValidationError({"note": "Ghi CĐCS được sáp nhập vào (và số quyết định nếu có)."})
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    record = ConsolidationOutcome(
        grassroots=grassroots,
        outcome=outcome,
        on=on,
        note=note[:255],
        recorded_by=user if getattr(user, "pk", None) else None,
        recorded_by_name=(full or getattr(user, "username", ""))[:150],
    )
    record.full_clean()
    record.save()
    return record
