"""Scoping and annotations of member models."""

from __future__ import annotations

import re
from datetime import date
from typing import Self

from django.db import models
from django.db.models import F, Q

from grassroots.access import scoped
from grassroots.collation import vi_order
from grassroots.querysets import LikePattern, like_pattern

_NUMBER_SEPARATORS = re.compile(r"[\s.\-()]")
MIN_NUMBER_SEARCH = 3  # fewer digits would match a large part of the register


def number_query(query: str) -> str | None:
    """The digits of `query` when it is a CCCD or phone number (or the start of one), else None.

    Spaces, dots, dashes and brackets are ignored and "+84" becomes "0" (how phones are stored).
    """
    text = _NUMBER_SEPARATORS.sub("", query or "")
    if text.startswith("+84"):
        text = "0" + text[3:]
    if text.isdigit() and len(text) >= MIN_NUMBER_SEARCH:
        return text
    return None


class MemberQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Members whose (current or last) CĐCS is under a unit the user sees."""
        return scoped(
            self,
            user,
            federation="grassroots__district_union__federation_id",
            district="grassroots__district_union_id",
            write=False,
        )

    def editable_by(self, user) -> Self:
        """Members an officer (own unit) or admin may change; federation staff only read."""
        return scoped(
            self, user, federation="", district="grassroots__district_union_id", write=True
        )

    def active(self) -> Self:
        return self.filter(left_on__isnull=True)

    def active_on(self, day: date) -> Self:
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def search(self, query: str) -> Self:
        """Members found by what an officer types: a name without accents or case ("nguyen van
        dat" finds "Nguyễn Văn Đạt"), a whole CCCD, or the start of a CCCD or phone number.

        Each branch is served by an index on PostgreSQL: the unique CCCD index (whole CCCD),
        prefix indexes on CCCD and phone, a trigram index on the folded name (migration 0003).
        """
        digits = number_query(query)
        if digits is not None:
            if len(digits) == 12:
                return self.filter(cccd=digits)
            condition = Q(cccd__startswith=digits) | Q(phone__startswith=digits)
            if digits.startswith("0") and len(digits) > 1:
                # clean_phone keeps a typed "+84..." as it is
                condition |= Q(phone__startswith="+84" + digits[1:])
            return self.filter(condition)
        pattern = like_pattern(query)
        if pattern is None:
            return self
        return self.filter(LikePattern(F("search_text"), pattern))

    def vi_ordered(self, *, descending: bool = False, indexed: bool = True) -> Self:
        """Sorted by full name in Vietnamese alphabetical order (then by id, for stable pages).

        Pass `indexed=False` after a search (see grassroots.collation.vi_order).
        """
        order = vi_order("full_name", descending=descending, indexed=indexed)
        return self.order_by(order, "-pk" if descending else "pk")


class PlacementQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        return scoped(
            self,
            user,
            federation="grassroots__district_union__federation_id",
            district="grassroots__district_union_id",
            write=False,
        )

    def on(self, day: date) -> Self:
        """Placements in force on `day` (the member was in that CĐCS that day)."""
        return self.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gt=day))
