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

from grassroots.models import GrassrootsUnion
from members.models import Member

from .models import (
    CollectiveAgreement,
    OfficerPosition,
    PartyEvent,
    TrainingAttendance,
    TrainingCourse,
)
from .rules import agreement_dates_problem, officer_on_day_problem


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
    position = OfficerPosition(
        member=member,
        grassroots_id=member.grassroots_id,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
    )
    position.full_clean()
    position.save()
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
    return course


@transaction.atomic
def party_event_record(*, user, member: Member, kind: str, on: date) -> PartyEvent:
    """A member introduced to the Party or admitted to it, on `on`, in their CĐCS."""
    _check_writable(user, [member.grassroots_id])
    event = PartyEvent(member=member, grassroots_id=member.grassroots_id, kind=kind, on=on)
    event.full_clean()
    event.save()
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
    agreement = CollectiveAgreement(
        grassroots=grassroots,
        signed_on=signed_on,
        valid_until=valid_until,
        grade=grade,
        workers_covered=workers_covered,
    )
    agreement.full_clean()
    agreement.save()
    return agreement
