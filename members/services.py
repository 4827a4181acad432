"""Writes to the member register: admit, update, transfer, leave, rejoin.

Each service checks the user's write scope, validates with the messages users see, writes in
one transaction and announces the days whose figures changed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from grassroots.locks import period_lock_check
from grassroots.models import GrassrootsUnion
from grassroots.services import figures_touch
from unionportal.text import clean_text

from .models import AccessLog, LeaveReason, Member, Placement, mask_cccd
from .rules import day_in_grassroots_problem, leaving_day_problem, unknown_reason_message
from .validators import check_admission_age, clean_cccd, clean_phone

PERSON_FIELDS = ("full_name", "gender", "birth_date", "phone", "occupation", "card_number")

# The admission form's one-time token is kept in the history record of the admission, so a second
# submission of the same form (double click, reload, back + submit) finds the member it created.
FORM_TOKEN_REASON = "Kết nạp qua biểu mẫu #"


def _check_writable(user, grassroots: GrassrootsUnion) -> None:
    """Raise Http404 when `user` may not write in `grassroots` (services are a door too)."""
    if not GrassrootsUnion.objects.editable_by(user).filter(pk=grassroots.pk).exists():
        raise Http404("CĐCS không thuộc phạm vi của bạn.")


def _check_day_in_grassroots(grassroots: GrassrootsUnion, day: date, field: str, what: str) -> None:
    problem = day_in_grassroots_problem(
        day,
        founded_on=grassroots.founded_on,
        dissolved_on=grassroots.dissolved_on,
        code=grassroots.code,
        today=timezone.localdate(),
        what=what,
    )
    if problem:
        raise ValidationError({field: problem})


def _clean_person(fields: dict) -> dict:
    cleaned = dict(fields)
    for name in ("full_name", "occupation", "card_number"):
        if name in cleaned:
            cleaned[name] = clean_text(cleaned[name])
    if "phone" in cleaned:
        try:
            cleaned["phone"] = clean_phone(cleaned["phone"])
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
    return cleaned


CCCD_ELSEWHERE = "Số CCCD này đã có trong hệ thống (đoàn viên thuộc đơn vị khác)."
CCCD_ELSEWHERE_CODE = "cccd_elsewhere"


def cccd_checks_used(user) -> int:
    """How many CCCDs of members outside their scope `user` was told about in the window
    (settings.CCCD_CHECK_WINDOW_MINUTES), from the access log."""
    since = timezone.now() - timedelta(minutes=settings.CCCD_CHECK_WINDOW_MINUTES)
    used = AccessLog.objects.filter(
        user=user, action=AccessLog.Action.CCCD_CHECK, at__gte=since
    ).aggregate(total=Sum("row_count"))["total"]
    return used or 0


def cccd_check_allowed(user) -> None:
    """Refuse, whatever the number, a form or import of a user who was told about too many
    CCCDs of other units lately: the "already registered elsewhere" answer is an existence
    oracle across federations, kept because it prevents duplicate members, rate-limited per
    user (settings.CCCD_CHECK_LIMIT in CCCD_CHECK_WINDOW_MINUTES)."""
    if user is None or not getattr(user, "pk", None):
        return
    if cccd_checks_used(user) >= settings.CCCD_CHECK_LIMIT:
        raise ValidationError(
            {
                "cccd": "Bạn đã nhập quá nhiều số CCCD thuộc đơn vị khác trong "
                f"{settings.CCCD_CHECK_WINDOW_MINUTES} phút qua: hãy thử lại sau hoặc liên hệ "
                "quản trị hệ thống."
            }
        )


def cccd_elsewhere_record(user, cccds: list[str], *, what: str, ip_address=None, **filters):
    """Write to the access log that `user` learned that these CCCDs exist outside their scope.
    Call it outside the transaction that is rolled back for the refusal."""
    if not cccds or user is None or not getattr(user, "pk", None):
        return None
    return AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.CCCD_CHECK,
        what=(f"{what}: " + ", ".join(mask_cccd(c) for c in cccds[:10]))[:255],
        filters=filters,
        row_count=len(cccds),
        ip_address=ip_address,
    )


def _record_if_elsewhere(user, cccd: str, error: ValidationError, what: str) -> None:
    codes = [e.code for e in getattr(error, "error_dict", {}).get("cccd", [])]
    if CCCD_ELSEWHERE_CODE in codes:
        cccd_elsewhere_record(user, [cccd], what=what)


def cccd_taken_message(cccd: str, user) -> str | ValidationError | None:
    """The message for a CCCD that already belongs to a member, revealing only what `user` sees
    (a member outside their scope: a ValidationError with code CCCD_ELSEWHERE_CODE)."""
    existing = Member.objects.filter(cccd=cccd).first()
    if existing is None:
        return None
    if not Member.objects.for_user(user).filter(pk=existing.pk).exists():
        return ValidationError(CCCD_ELSEWHERE, code=CCCD_ELSEWHERE_CODE)
    if existing.left_on:
        return (
            f"Số CCCD này thuộc đoàn viên {existing.full_name}, đã ra khỏi công đoàn ngày "
            f"{existing.left_on:%d/%m/%Y}: hãy dùng chức năng kết nạp lại."
        )
    return f"Số CCCD này đã là đoàn viên {existing.full_name} ({existing.grassroots.name})."


def member_admitted_with_token(form_token: str) -> Member | None:
    """The member an admission form with this one-time token created, if it was saved."""
    if not form_token:
        return None
    member_id = (
        Member.history.filter(
            history_change_reason=FORM_TOKEN_REASON + form_token[:64], history_type="+"
        )
        .order_by()
        .values_list("id", flat=True)
        .first()
    )
    return Member.objects.filter(pk=member_id).first() if member_id else None


def member_admit(*, user, cccd: str, **fields) -> Member:
    """Admit a new member (kết nạp) into `grassroots` on `joined_on`.

    `form_token` (from the admission form) is recorded with the history so that a resubmitted
    form can be recognised (`member_admitted_with_token`). A CCCD of a member outside the
    user's scope is refused and written to the access log (after the rollback).
    """
    try:
        return _member_admit(user=user, cccd=cccd, **fields)
    except ValidationError as error:
        _record_if_elsewhere(user, str(cccd), error, "Kết nạp")
        raise


@transaction.atomic
def _member_admit(
    *, user, grassroots: GrassrootsUnion, joined_on: date, cccd: str, form_token: str = "", **fields
) -> Member:
    _check_writable(user, grassroots)
    cccd_check_allowed(user)
    try:
        cccd = clean_cccd(cccd)
    except ValidationError as error:
        raise ValidationError({"cccd": error.messages}) from None
    fields = _clean_person(fields)
    _check_day_in_grassroots(grassroots, joined_on, "joined_on", "kết nạp")
    if fields.get("birth_date"):
        try:
            check_admission_age(fields["birth_date"], joined_on)
        except ValidationError as error:
            raise ValidationError({"birth_date": error.messages}) from None
    taken = cccd_taken_message(cccd, user)
    if taken:
        raise ValidationError({"cccd": taken})
    member = Member(grassroots=grassroots, joined_on=joined_on, cccd=cccd, **fields)
    member.full_clean(validate_unique=False)
    period_lock_check(grassroots=[(grassroots.pk, joined_on)], what="Kết nạp", field="joined_on")
    if form_token:
        member._change_reason = FORM_TOKEN_REASON + form_token[:64]
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        # Two officers (or a double submit) raced past the check above.
        raise ValidationError({"cccd": "Số CCCD này đã là đoàn viên."}) from None
    placement = Placement.objects.create(
        member=member,
        grassroots=grassroots,
        start_on=joined_on,
        start_kind=Placement.StartKind.ADMISSION,
        created_by=user if getattr(user, "pk", None) else None,
    )
    figures_touch([grassroots.pk], joined_on, stays=[(None, placement.as_stay())])
    return member


def _lock(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("grassroots").get(pk=member.pk)


def _check_version(member: Member, expected_version: int | None) -> None:
    if expected_version is not None and member.version != expected_version:
        raise ValidationError(
            "Hồ sơ đoàn viên này vừa được người khác cập nhật. "
            "Hãy tải lại trang để xem thông tin mới rồi sửa lại."
        )


def _open_placement(member: Member) -> Placement:
    return member.placements.select_for_update().get(end_on__isnull=True)


def member_update(*, user, member: Member, expected_version: int | None = None, **fields) -> Member:
    """Edit a member's personal data and (while the first stay is the only one) admission."""
    try:
        return _member_update(user=user, member=member, expected_version=expected_version, **fields)
    except ValidationError as error:
        _record_if_elsewhere(user, str(fields.get("cccd", "")), error, "Sửa hồ sơ")
        raise


@transaction.atomic
def _member_update(
    *, user, member: Member, expected_version: int | None = None, **fields
) -> Member:
    member = _lock(member)
    _check_writable(user, member.grassroots)
    _check_version(member, expected_version)
    if "cccd" in fields and fields["cccd"] != member.cccd:
        cccd_check_allowed(user)
    if "cccd" in fields:
        try:
            fields["cccd"] = clean_cccd(fields["cccd"])
        except ValidationError as error:
            raise ValidationError({"cccd": error.messages}) from None
        if fields["cccd"] != member.cccd and Member.objects.filter(cccd=fields["cccd"]).exists():
            raise ValidationError({"cccd": cccd_taken_message(fields["cccd"], user)})
    fields = _clean_person(fields)
    old_joined = member.joined_on
    new_joined = fields.pop("joined_on", old_joined)
    for name, value in fields.items():
        setattr(member, name, value)
    placements = list(member.placements.order_by("start_on"))
    if new_joined != old_joined:
        current = placements[-1]
        if current.start_kind not in Placement.ADMISSION_KINDS:
            raise ValidationError(
                {"joined_on": "Không sửa được ngày kết nạp sau khi đoàn viên đã chuyển sinh hoạt."}
            )
        _check_day_in_grassroots(member.grassroots, new_joined, "joined_on", "kết nạp")
        period_lock_check(
            grassroots=[(member.grassroots_id, old_joined), (member.grassroots_id, new_joined)],
            what="Sửa ngày kết nạp",
            field="joined_on",
        )
        if current.end_on and new_joined > current.end_on:
            raise ValidationError({"joined_on": "Ngày kết nạp sau ngày ra khỏi công đoàn."})
        current.start_on = new_joined
        current.save(update_fields=["start_on"])
        member.joined_on = new_joined
    try:
        check_admission_age(member.birth_date, member.joined_on)
    except ValidationError as error:
        raise ValidationError({"birth_date": error.messages}) from None
    member.full_clean(validate_unique=False)
    member.version += 1
    member.save()
    if new_joined != old_joined:
        figures_touch([member.grassroots_id], min(old_joined, new_joined))
    return member


@transaction.atomic
def member_transfer(
    *, user, member: Member, to_grassroots: GrassrootsUnion, on: date, expected_version=None
) -> Placement:
    """Move a member to another CĐCS from `on`. Not an admission; both CĐCS keep the history."""
    member = _lock(member)
    _check_writable(user, member.grassroots)
    _check_version(member, expected_version)
    if member.left_on:
        raise ValidationError("Đoàn viên đã ra khỏi công đoàn: không thể chuyển sinh hoạt.")
    if to_grassroots.pk == member.grassroots_id:
        raise ValidationError({"to_grassroots": "Đoàn viên đang sinh hoạt tại CĐCS này."})
    if not GrassrootsUnion.objects.for_user(user).filter(pk=to_grassroots.pk).exists():
        raise Http404("CĐCS không thuộc phạm vi của bạn.")
    current = _open_placement(member)
    if on <= current.start_on:
        raise ValidationError(
            {
                "on": f"Ngày chuyển phải sau ngày {current.start_on:%d/%m/%Y} (bắt đầu sinh hoạt tại CĐCS hiện tại)."
            }
        )
    _check_day_in_grassroots(to_grassroots, on, "on", "chuyển đến")
    period_lock_check(
        grassroots=[(member.grassroots_id, on), (to_grassroots.pk, on)],
        what="Chuyển sinh hoạt",
        field="on",
    )
    ending = current.as_stay()
    current.end_on = on
    current.end_kind = Placement.EndKind.TRANSFER
    current.save(update_fields=["end_on", "end_kind"])
    new = Placement.objects.create(
        member=member,
        grassroots=to_grassroots,
        start_on=on,
        start_kind=Placement.StartKind.TRANSFER,
        created_by=user if getattr(user, "pk", None) else None,
    )
    old_grassroots_id = member.grassroots_id
    member.grassroots = to_grassroots
    member.version += 1
    member.save()
    figures_touch(
        [old_grassroots_id, to_grassroots.pk],
        on,
        stays=[(ending, current.as_stay()), (None, new.as_stay())],
    )
    return new


@transaction.atomic
def member_leave(
    *, user, member: Member, on: date, reason: str, note: str = "", expected_version=None
) -> Member:
    """Record that a member left the union on `on` for `reason` (one of LeaveReason)."""
    member = _lock(member)
    _check_writable(user, member.grassroots)
    _check_version(member, expected_version)
    if member.left_on:
        raise ValidationError("Đoàn viên đã ra khỏi công đoàn.")
    if reason not in LeaveReason.values:
        raise ValidationError({"reason": unknown_reason_message(reason)})
    current = _open_placement(member)
    problem = leaving_day_problem(on, start_on=current.start_on, today=timezone.localdate())
    if problem:
        raise ValidationError({"on": problem})
    period_lock_check(grassroots=[(member.grassroots_id, on)], what="Ra khỏi công đoàn", field="on")
    ending = current.as_stay()
    current.end_on = on
    current.end_kind = Placement.EndKind.LEFT
    current.save(update_fields=["end_on", "end_kind"])
    member.left_on = on
    member.leave_reason = reason
    member.leave_note = clean_text(note)
    member.version += 1
    member.save()
    figures_touch([member.grassroots_id], on, stays=[(ending, current.as_stay())])
    return member


@transaction.atomic
def member_rejoin(
    *, user, member: Member, grassroots: GrassrootsUnion, on: date, expected_version=None
) -> Member:
    """Re-admit (kết nạp lại) a member who had left; counts as an admission on `on`."""
    member = _lock(member)
    _check_writable(user, grassroots)
    _check_version(member, expected_version)
    if not member.left_on:
        raise ValidationError("Đoàn viên đang sinh hoạt, không cần kết nạp lại.")
    if on <= member.left_on:
        raise ValidationError(
            {"on": f"Ngày kết nạp lại phải sau ngày ra khỏi công đoàn ({member.left_on:%d/%m/%Y})."}
        )
    _check_day_in_grassroots(grassroots, on, "on", "kết nạp lại")
    period_lock_check(grassroots=[(grassroots.pk, on)], what="Kết nạp lại", field="on")
    placement = Placement.objects.create(
        member=member,
        grassroots=grassroots,
        start_on=on,
        start_kind=Placement.StartKind.REJOIN,
        created_by=user if getattr(user, "pk", None) else None,
    )
    member.grassroots = grassroots
    member.joined_on = on
    member.left_on = None
    member.leave_reason = ""
    member.leave_note = ""
    member.version += 1
    member.save()
    figures_touch([grassroots.pk], on, stays=[(None, placement.as_stay())])
    return member


@transaction.atomic
def grassroots_dissolve_with_members(
    *, user, grassroots: GrassrootsUnion, on: date, reason: str
) -> GrassrootsUnion:
    """Dissolve a CĐCS: every member still in it leaves on `on` (reason "khác", note "CĐCS giải
    thể"), then the CĐCS is marked dissolved. One explicit step, in bulk: the same few queries
    for 1 or 1.000 members, one history row per member, figures refreshed once."""
    from simple_history.utils import bulk_update_with_history

    from grassroots.services import grassroots_dissolve, grassroots_dissolve_check

    _check_writable(user, grassroots)
    locked = GrassrootsUnion.objects.select_for_update().get(pk=grassroots.pk)
    grassroots_dissolve_check(grassroots=locked, on=on, reason=reason)
    staying = list(
        Member.objects.select_for_update().filter(grassroots=locked, left_on__isnull=True)
    )
    if staying:
        now = timezone.now()
        Placement.objects.filter(grassroots=locked, end_on__isnull=True).update(
            end_on=on, end_kind=Placement.EndKind.LEFT
        )
        for member in staying:
            member.left_on = on
            member.leave_reason = LeaveReason.OTHER
            member.leave_note = "CĐCS giải thể"
            member.version += 1
            member.updated_at = now
        bulk_update_with_history(
            staying,
            Member,
            ["left_on", "leave_reason", "leave_note", "version", "updated_at"],
            batch_size=1000,
            default_user=user if getattr(user, "pk", None) else None,
            default_change_reason=f"Giải thể CĐCS {locked.code}",
        )
    # grassroots_dissolve refreshes the figures once, for the stays and the CĐCS together.
    return grassroots_dissolve(grassroots=locked, on=on, reason=reason)
