"""Scoping of the organisation models: `for_user` (read) and `editable_by` (write)."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.db.models import Lookup, Q

from unionportal.text import fold

from . import collation  # noqa: F401  (gives SQLite connections the "vi-x-icu" collation)
from .access import ScopeKind, scope_for, scoped


class LikePattern(Lookup):
    """`lhs LIKE pattern`, for patterns built by `like_pattern` (already escaped).

    Used instead of `contains` because `contains` escapes the `%` between words, and instead of
    `icontains` because PostgreSQL's `UPPER(col) LIKE UPPER(...)` cannot use the trigram index:
    the searched columns are stored folded (lower case, no diacritics) anyway.
    """

    lookup_name = "like_pattern"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"{lhs} LIKE {rhs}"
        if connection.vendor == "sqlite":
            sql += " ESCAPE '\\'"  # PostgreSQL's LIKE escapes with a backslash by default
        return sql, [*lhs_params, *rhs_params]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(query: str) -> str | None:
    """LIKE pattern for a free-text search over a folded column, or None for an empty query.

    The words must appear in the order typed, with anything between them, so "nguyen dat"
    finds "Nguyễn Văn Đạt". When every word is shorter than 3 letters (no trigram to use),
    the words must be adjacent ("le an" finds "lê an"), which a trigram index can still narrow
    down through the word boundaries.
    """
    words = [_escape_like(word) for word in fold(query).split()]
    if not words:
        return None
    if any(len(word) >= 3 for word in words):
        return "%" + "%".join(words) + "%"
    return "%" + " ".join(words) + "%"


class FederationQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Admins: all; federation staff: their own; officers: their unit's federation."""
        return scoped(self, user, federation="id", district="district_unions", write=False)

    def where_targets_set_by(self, user) -> Self:
        """Federations whose targets `user` sets: admins all, federation staff their own."""
        return scoped(self, user, federation="id", district="", write=True, staff_write=True)


class DistrictUnionQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Admins: all; federation staff: units of their federation; officers: their unit."""
        return scoped(self, user, federation="federation_id", district="id", write=False)

    def editable_by(self, user) -> Self:
        """Only admins change the organisation tree."""
        return scoped(self, user, federation="", district="", write=True)

    def where_targets_set_by(self, user) -> Self:
        """Units whose targets `user` sets: admins all, federation staff their federation's."""
        return scoped(
            self, user, federation="federation_id", district="", write=True, staff_write=True
        )


class GrassrootsUnionQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """CĐCS currently under a unit the user sees."""
        return scoped(
            self,
            user,
            federation="district_union__federation_id",
            district="district_union_id",
            write=False,
        )

    def editable_by(self, user) -> Self:
        """CĐCS an officer (own unit) or admin may change; federation staff only read."""
        return scoped(self, user, federation="", district="district_union_id", write=True)

    def active_on(self, day: date) -> Self:
        return self.filter(founded_on__lte=day).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )

    def search(self, query: str) -> Self:
        """CĐCS whose code, name or tax code contain the words of `query` (accents ignored)."""
        pattern = like_pattern(query)
        if pattern is None:
            return self
        return self.filter(LikePattern(models.F("search_text"), pattern))

    def vi_ordered(self, *, indexed: bool = True) -> Self:
        """Sorted by name in Vietnamese alphabetical order (then by id, for stable pages).

        Pass `indexed=False` after a search (see collation.vi_order).
        """
        return self.order_by(collation.vi_order("name", indexed=indexed), "pk")


class AffiliationQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        return scoped(
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
        if scope.kind is ScopeKind.NATIONAL:
            return self
        return scoped(self, user, federation="", district="district_union_id", write=False)

    def editable_by(self, user) -> Self:
        """Federation staff set their federation's targets; admins set any."""
        scope = scope_for(user)
        if scope.kind is ScopeKind.FEDERATION:
            return self.for_user(user)
        return scoped(self, user, federation="", district="", write=True)


class CampaignQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Campaigns of the federations the user sees (officers: their unit's federation's;
        national staff and admins: every one). Anonymous or role-less users: none."""
        scope = scope_for(user)
        if scope.kind in (ScopeKind.NATIONAL, ScopeKind.ALL):
            return self
        if scope.kind in (ScopeKind.FEDERATION, ScopeKind.DISTRICT) and scope.federation_id:
            return self.filter(federation_id=scope.federation_id)
        return self.none()

    def editable_by(self, user) -> Self:
        """Federation staff declare their federation's campaigns; admins any; nobody else."""
        scope = scope_for(user)
        if scope.kind is ScopeKind.ALL:
            return self
        if scope.kind is ScopeKind.FEDERATION and scope.federation_id:
            return self.filter(federation_id=scope.federation_id)
        return self.none()


class UnitMembershipQuerySet(models.QuerySet):
    def overlapping(self, start: date, end: date) -> Self:
        """Memberships with at least one day in start..end (inclusive)."""
        return self.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=start)
        )
