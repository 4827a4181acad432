"""Scoping of the enterprise register: `for_user` (read) and `editable_by` (write).

Officers read and work their own unit's enterprises; federation staff read all of their
federation's (and change none); admins everything; anyone else nothing. Contacts, stage changes
and the other logs are scoped through their enterprise.
"""

from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Case, F, Value, When

from grassroots.access import scoped
from grassroots.querysets import LikePattern, like_pattern

WORKERS_THRESHOLD = 25
# Stage values used here (models.Stage imports this module, so no import back).
FOUNDED, CLOSED = "founded", "closed"


class EnterpriseQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Enterprises whose responsible unit the user sees (officers: their own unit)."""
        return scoped(
            self,
            user,
            federation="district_union__federation_id",
            district="district_union_id",
            write=False,
        )

    def editable_by(self, user) -> Self:
        """Enterprises an officer (own unit) or an admin may work; federation staff only read."""
        return scoped(self, user, federation="", district="district_union_id", write=True)

    def without_union(self) -> Self:
        """Headroom: no active CĐCS with this tax code, and not closed down."""
        return self.filter(grassroots__isnull=True).exclude(stage=CLOSED)

    def with_union(self) -> Self:
        return self.filter(grassroots__isnull=False)

    def at_stage(self, stage: str) -> Self:
        """At `stage` as shown to users: 'founded' is derived from the CĐCS register."""
        if stage == FOUNDED:
            return self.with_union()
        return self.filter(grassroots__isnull=True, stage=stage)

    def with_shown_stage(self) -> Self:
        return self.annotate(
            shown_stage=Case(
                When(grassroots__isnull=False, then=Value(FOUNDED)),
                default=F("stage"),
                output_field=models.CharField(),
            )
        )

    def plus25(self) -> Self:
        return self.filter(workers__gte=WORKERS_THRESHOLD)

    def search(self, query: str) -> Self:
        """Name, tax code or address containing the words of `query` (accents ignored)."""
        pattern = like_pattern(query)
        if pattern is None:
            return self
        return self.filter(LikePattern(F("search_text"), pattern))


class EnterpriseLogQuerySet(models.QuerySet):
    """Contacts, stage changes, assignments, worker counts: scoped through the enterprise."""

    def for_user(self, user) -> Self:
        return scoped(
            self,
            user,
            federation="enterprise__district_union__federation_id",
            district="enterprise__district_union_id",
            write=False,
        )
