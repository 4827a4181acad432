"""Scoping of the organisation models: `for_user` (read) and `editable_by` (write)."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.db.models import Q

from .access import ScopeKind, scope_for


def _scoped(qs: models.QuerySet, user, *, federation: str, district: str, write: bool):
    """Filter `qs` by the user's scope, given the lookups that reach the federation and unit.

    An empty lookup string means "this role sees nothing of this model".
    """
    scope = scope_for(user)
    if scope.kind is ScopeKind.ALL:
        return qs
    if scope.kind is ScopeKind.FEDERATION and federation and not write:
        return qs.filter(**{federation: scope.federation_id})
    if scope.kind is ScopeKind.DISTRICT and district:
        return qs.filter(**{district: scope.district_union_id})
    return qs.none()


class FederationQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Admins: all; federation staff: their own; officers: their unit's federation."""
        return _scoped(self, user, federation="id", district="district_unions", write=False)


class DistrictUnionQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Admins: all; federation staff: units of their federation; officers: their unit."""
        return _scoped(self, user, federation="federation_id", district="id", write=False)

    def editable_by(self, user) -> Self:
        """Only admins change the organisation tree."""
        return _scoped(self, user, federation="", district="", write=True)


class GrassrootsUnionQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """CĐCS currently under a unit the user sees."""
        return _scoped(
            self,
            user,
            federation="district_union__federation_id",
            district="district_union_id",
            write=False,
        )

    def editable_by(self, user) -> Self:
        """CĐCS an officer (own unit) or admin may change; federation staff only read."""
        return _scoped(self, user, federation="", district="district_union_id", write=True)

    def active_on(self, day: date) -> Self:
        return self.filter(founded_on__lte=day).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )


class AffiliationQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        return _scoped(
            self,
            user,
            federation="district_union__federation_id",
            district="district_union_id",
            write=False,
        )

    def on(self, day: date) -> Self:
        """Affiliations in force on `day`."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class AnnualTargetQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Targets of units the user sees (a federation's own target for its staff)."""
        scope = scope_for(user)
        if scope.kind is ScopeKind.FEDERATION:
            return self.filter(
                Q(federation_id=scope.federation_id)
                | Q(district_union__federation_id=scope.federation_id)
            )
        return _scoped(self, user, federation="", district="district_union_id", write=False)

    def editable_by(self, user) -> Self:
        """Federation staff set their federation's targets; admins set any."""
        scope = scope_for(user)
        if scope.kind is ScopeKind.FEDERATION:
            return self.for_user(user)
        return _scoped(self, user, federation="", district="", write=True)
