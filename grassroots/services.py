"""Writes to the organisation registers. Each service validates, writes in one transaction and
announces the days whose figures changed (`figures_changed`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .locks import period_lock_check
from .models import Affiliation, DistrictUnion, GrassrootsUnion
from .rules import founding_change_problem, founding_day_problem
from .signals import affiliations_changed, figures_changed


def figures_touch(
    grassroots_ids: Iterable[int],
    since: date,
    unit_ids: Iterable[int] = (),
    stays: Iterable[tuple] = (),
) -> None:
    """Tell derived-figure keepers that the events of these CĐCS changed from `since` on
    (`unit_ids`: units to refresh besides those the CĐCS belong to now, e.g. after an undo).

    `stays`: when the change is exactly some members' stays, each as (before, after) with
    `Placement.as_stay()` (None for a stay that did not exist), so that the day figures can be
    updated in place instead of rebuilt."""
    ids, units = set(grassroots_ids), set(unit_ids)
    if ids or units:
        figures_changed.send(
            sender=GrassrootsUnion,
            grassroots_ids=ids,
            since=since,
            unit_ids=units,
            stays=list(stays),
        )


def affiliations_touch(
    grassroots_ids: Iterable[int], since: date, unit_ids: Iterable[int] = ()
) -> None:
    """Tell keepers of figures attributed by affiliation (the records' day counts) that the
    affiliations of these CĐCS changed from `since` on."""
    ids, units = set(grassroots_ids), set(unit_ids)
    if ids or units:
        affiliations_changed.send(
            sender=GrassrootsUnion, grassroots_ids=ids, since=since, unit_ids=units
        )


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def grassroots_found(*, district_union: DistrictUnion, **fields) -> GrassrootsUnion:
    """Found (register) a CĐCS under `district_union` from its founding date."""
    grassroots = GrassrootsUnion(district_union=district_union, **fields)
    grassroots.full_clean()
    problem = founding_day_problem(grassroots.founded_on, _today())
    if problem:
        raise ValidationError({"founded_on": problem})
    period_lock_check(
        units=[(district_union.pk, grassroots.founded_on)],
        what="Thành lập CĐCS",
        field="founded_on",
    )
    grassroots.save()
    Affiliation.objects.create(
        grassroots=grassroots, district_union=district_union, valid_from=grassroots.founded_on
    )
    figures_touch([grassroots.pk], grassroots.founded_on)
    return grassroots


@transaction.atomic
def grassroots_update(*, grassroots: GrassrootsUnion, **fields) -> GrassrootsUnion:
    """Change a CĐCS's own data. A new founding date moves its first affiliation with it."""
    grassroots = GrassrootsUnion.objects.select_for_update().get(pk=grassroots.pk)
    old_founded, old_25plus = grassroots.founded_on, grassroots.has_25_plus
    for name, value in fields.items():
        setattr(grassroots, name, value)
    grassroots.full_clean()
    if grassroots.founded_on == old_founded and grassroots.has_25_plus != old_25plus:
        # Crossing 25 workers moves the "CĐCS từ 25 lao động" figure of the founding period.
        period_lock_check(
            grassroots=[(grassroots.pk, old_founded)],
            what="Sửa số lao động của CĐCS",
            field="workers",
        )
    problem = founding_day_problem(grassroots.founded_on, _today())
    if problem:
        raise ValidationError({"founded_on": problem})
    if grassroots.founded_on != old_founded:
        first = grassroots.affiliations.order_by("valid_from").first()
        assert first is not None  # a CĐCS is affiliated from its founding
        problem = founding_change_problem(
            grassroots.founded_on,
            moved_on=first.valid_to,
            first_member_on=grassroots.placements.order_by("start_on")
            .values_list("start_on", flat=True)
            .first(),
            dissolved_on=grassroots.dissolved_on,
        )
        if problem:
            raise ValidationError({"founded_on": problem})
        period_lock_check(
            grassroots=[(grassroots.pk, old_founded)],
            units=[(first.district_union_id, grassroots.founded_on)],
            what="Sửa ngày thành lập CĐCS",
            field="founded_on",
        )
        first.valid_from = grassroots.founded_on
        first.save(update_fields=["valid_from"])
    grassroots.save()
    figures_touch([grassroots.pk], min(old_founded, grassroots.founded_on))
    affiliations_touch([grassroots.pk], min(old_founded, grassroots.founded_on))
    return grassroots


@transaction.atomic
def grassroots_move(
    *, grassroots: GrassrootsUnion, district_union: DistrictUnion, on: date
) -> Affiliation:
    """Move a CĐCS to another upper-level union from `on`; earlier periods keep their figures."""
    grassroots = GrassrootsUnion.objects.select_for_update().get(pk=grassroots.pk)
    current = grassroots.affiliations.order_by("-valid_from").first()
    assert current is not None  # a CĐCS is affiliated from its founding
    if current.district_union_id == district_union.pk:
        raise ValidationError({"district_union": "CĐCS đã trực thuộc đơn vị này."})
    if on <= current.valid_from:
        raise ValidationError(
            {
                "on": f"Ngày chuyển phải sau ngày {current.valid_from:%d/%m/%Y} (lần trực thuộc trước)."
            }
        )
    if grassroots.dissolved_on and on >= grassroots.dissolved_on:
        raise ValidationError({"on": "CĐCS đã giải thể trước ngày chuyển."})
    if district_union.federation_id != current.district_union.federation_id:
        raise ValidationError({"district_union": "Chỉ chuyển được trong cùng một LĐLĐ."})
    period_lock_check(
        grassroots=[(grassroots.pk, on)],
        units=[(district_union.pk, on)],
        what="Chuyển CĐCS",
        field="on",
    )
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    new = Affiliation.objects.create(
        grassroots=grassroots, district_union=district_union, valid_from=on
    )
    grassroots.district_union = district_union
    grassroots.save(update_fields=["district_union", "search_text"])
    figures_touch([grassroots.pk], on)
    affiliations_touch([grassroots.pk], on)
    return new


def grassroots_dissolve_check(*, grassroots: GrassrootsUnion, on: date, reason: str) -> None:
    """The rules of dissolving `grassroots` (locked, read fresh) on `on`: the message users see."""
    if grassroots.dissolved_on:
        raise ValidationError({"on": "CĐCS đã giải thể."})
    if on < grassroots.founded_on:
        raise ValidationError({"on": "Ngày giải thể không được trước ngày thành lập."})
    if on > _today():
        raise ValidationError({"on": "Ngày giải thể không được ở tương lai."})
    if not reason.strip():
        raise ValidationError({"reason": "Cần nhập lý do giải thể."})
    last_start = (
        grassroots.placements.order_by("-start_on").values_list("start_on", flat=True).first()
    )
    if last_start and last_start > on:
        raise ValidationError(
            {"on": f"Có đoàn viên vào CĐCS ngày {last_start:%d/%m/%Y}, sau ngày giải thể."}
        )
    # A stay that ended after `on` (a transfer away or a leaving recorded later) would have
    # the member in a dissolved CĐCS between the two days.
    last_end = (
        grassroots.placements.filter(end_on__gt=on)
        .order_by("-end_on")
        .values_list("end_on", flat=True)
        .first()
    )
    if last_end:
        raise ValidationError(
            {
                "on": f"Có đoàn viên sinh hoạt tại CĐCS đến ngày {last_end:%d/%m/%Y}, "
                "sau ngày giải thể."
            }
        )
    period_lock_check(grassroots=[(grassroots.pk, on)], what="Giải thể CĐCS", field="on")


@transaction.atomic
def grassroots_dissolve(*, grassroots: GrassrootsUnion, on: date, reason: str) -> GrassrootsUnion:
    """Mark a CĐCS dissolved from `on`: its own record only.

    A CĐCS that still has members is dissolved with `members.services.grassroots_dissolve_with_members`
    (the members app sits above this one): it ends their stays in bulk, then calls this.
    Refused while a stay is still open, so no member is left in a dissolved CĐCS.
    """
    from_db = GrassrootsUnion.objects.select_for_update().get(pk=grassroots.pk)
    grassroots_dissolve_check(grassroots=from_db, on=on, reason=reason)
    if from_db.placements.filter(end_on__isnull=True).exists():
        raise ValidationError({"on": "CĐCS còn đoàn viên đang sinh hoạt."})
    from_db.dissolved_on = on
    from_db.dissolution_reason = reason.strip()
    from_db.save()
    figures_touch([from_db.pk], on)
    return from_db
