"""Scoping and annotations of member models."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.db.models import Q

from grassroots.querysets import _scoped


class MemberQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Members whose (current or last) CĐCS is under a unit the user sees."""
        return _scoped(
            self,
            user,
            federation="grassroots__district_union__federation_id",
            district="grassroots__district_union_id",
            write=False,
        )

    def editable_by(self, user) -> Self:
        """Members an officer (own unit) or admin may change; federation staff only read."""
        return _scoped(
            self, user, federation="", district="grassroots__district_union_id", write=True
        )

    def active(self) -> Self:
        return self.filter(left_on__isnull=True)

    def active_on(self, day: date) -> Self:
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class PlacementQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        return _scoped(
            self,
            user,
            federation="grassroots__district_union__federation_id",
            district="grassroots__district_union_id",
            write=False,
        )

    def on(self, day: date) -> Self:
        """Placements in force on `day` (the member was in that CĐCS that day)."""
        return self.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gt=day))
