"""Who may see what. The one door every queryset's `for_user`/`editable_by` goes through."""

from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone


class ScopeKind(StrEnum):
    NONE = "none"
    DISTRICT = "district"
    FEDERATION = "federation"
    NATIONAL = "national"
    ALL = "all"


@dataclass(frozen=True)
class Scope:
    """The part of the organisation a user works in.

    - ALL: admins (superusers or users with the admin role) see and change everything;
    - NATIONAL: national staff (Tổng Liên đoàn) read every federation and write nothing;
    - FEDERATION: federation staff read everything of one federation and set its targets;
    - DISTRICT: an officer of an upper-level union (district, ward, sector...) reads and writes
      the registers of one unit; once that unit has ended (`read_only`), they only read its
      history (its dashboard and the lists behind it) until an admin gives them a new unit;
    - NONE: anonymous users and users with no role see nothing.
    """

    kind: ScopeKind
    federation_id: int | None = None
    district_union_id: int | None = None
    read_only: bool = False

    @property
    def is_admin(self) -> bool:
        return self.kind is ScopeKind.ALL

    @property
    def is_federation(self) -> bool:
        return self.kind is ScopeKind.FEDERATION

    @property
    def is_national(self) -> bool:
        return self.kind is ScopeKind.NATIONAL

    @property
    def sees_federations(self) -> bool:
        """Admins and national staff choose among federations; others have one."""
        return self.kind in (ScopeKind.ALL, ScopeKind.NATIONAL)

    @property
    def is_district(self) -> bool:
        return self.kind is ScopeKind.DISTRICT

    @property
    def can_write_registers(self) -> bool:
        """Officers (own unit, while it exists) and admins enter CĐCS and members; federation
        and national staff only read."""
        if self.kind is ScopeKind.DISTRICT:
            return not self.read_only
        return self.kind is ScopeKind.ALL


NO_SCOPE = Scope(ScopeKind.NONE)


class SystemActor:
    """The portal acting on its own: the command line without --user, the demo, maintenance.

    Its scope is everything. It is named (`SYSTEM`) so that a missing user (`None`) never means
    "everything": `scope_for(None)` is NO_SCOPE, and every door fails closed.
    """

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False
    pk = None
    id = None
    username = "hệ thống"

    def __str__(self) -> str:
        return "hệ thống"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def scope_for(user) -> Scope:
    """Return (and cache on the user object) the scope of `user`; anonymous -> NO_SCOPE."""
    if user is SYSTEM:
        return Scope(ScopeKind.ALL)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_union_scope", None)
    if cached is not None:
        return cached
    # By name, not by import: the models import the querysets, which import this module.
    UserRole = apps.get_model("grassroots", "UserRole")

    if user.is_superuser:
        scope = Scope(ScopeKind.ALL)
    else:
        role = UserRole.objects.filter(user=user).select_related("district_union").first()
        if role is None:
            scope = NO_SCOPE
        elif role.role == UserRole.Role.ADMIN:
            scope = Scope(ScopeKind.ALL)
        elif role.role == UserRole.Role.FEDERATION_STAFF:
            scope = Scope(ScopeKind.FEDERATION, federation_id=role.federation_id)
        elif role.role == UserRole.Role.NATIONAL_STAFF:
            scope = Scope(ScopeKind.NATIONAL)
        else:
            unit = role.district_union
            scope = Scope(
                ScopeKind.DISTRICT,
                federation_id=unit.federation_id,
                district_union_id=role.district_union_id,
                read_only=unit.ended_on is not None and unit.ended_on < timezone.localdate(),
            )
    user._union_scope = scope
    return scope


def scoped(
    qs: QuerySet,
    user,
    *,
    federation: str,
    district: str,
    write: bool,
    staff_write: bool = False,
):
    """Filter `qs` by the user's scope, given the lookups that reach the federation and unit.

    The one rule behind every `for_user` / `editable_by`, and the door for querysets of other
    apps' records that reach a CĐCS or unit through lookups (history records, logs).

    An empty lookup string means "this role sees nothing of this model". `staff_write`: the
    only write federation staff make (targets) is scoped like their reads.
    """
    scope = scope_for(user)
    if scope.kind is ScopeKind.ALL:
        return qs
    if scope.kind is ScopeKind.NATIONAL and federation and not write:
        return qs
    if scope.kind is ScopeKind.FEDERATION and federation and (staff_write or not write):
        return qs.filter(**{federation: scope.federation_id})
    if scope.kind is ScopeKind.DISTRICT and district and not (write and scope.read_only):
        return qs.filter(**{district: scope.district_union_id})
    return qs.none()
