"""Pieces shared by the register list pages (CĐCS, members, audit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property

from .access import ScopeKind, scope_for

if TYPE_CHECKING:
    from django.views import View

    _View = View  # what the mixin is mixed into, for the type checker
else:
    _View = object

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most `COUNT_CAP` + 1 rows: `SELECT COUNT(*) FROM (... LIMIT 10001)`.

    An exact COUNT(*) of an unfiltered federation-wide list reads every member row (1.000.000 in
    the benchmark) on every page; nobody pages past 200 pages of 50, they search or filter
    instead. `more` tells the template to say "hơn 10.000" instead of an exact figure.
    """

    cap = COUNT_CAP

    @cached_property
    def raw_count(self) -> int:
        object_list = self.object_list
        if hasattr(object_list, "order_by"):
            # No ORDER BY in the counting subquery: the order does not change a count.
            return object_list.order_by()[: self.cap + 1].count()
        return len(object_list)

    @cached_property
    def count(self) -> int:
        return min(self.raw_count, self.cap)

    @property
    def more(self) -> bool:
        return self.raw_count > self.cap

    def page(self, number):
        """Page 1 is read with one row more than a page: when that fits, the rows are the whole
        result and no COUNT query runs (most searches find a handful of people)."""
        if str(number) == "1" and not self.orphans and "raw_count" not in self.__dict__:
            rows = list(self.object_list[: self.per_page + 1])
            if len(rows) <= self.per_page:
                self.__dict__["raw_count"] = len(rows)
            return self._get_page(rows[: self.per_page], 1, self)  # type: ignore[attr-defined]  # Paginator._get_page: missing from the stubs
        return super().page(number)


class ScopeRequiredMixin(_View):
    """Pages of the registers: users without a role (scope NONE) get 404, like out-of-scope ids."""

    def dispatch(self, request, *args, **kwargs):
        self.scope = scope_for(request.user)
        if self.scope.kind is ScopeKind.NONE:
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)
