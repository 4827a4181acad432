"""The CĐCS register pages that show member figures: the list and a CĐCS's page.

They are composed here, above grassroots, because their figures are members' (members.selectors);
the rest of /cdcs/ is grassroots' own (grassroots.urls, mounted by members.grassroots_urls).
Every object comes through `for_user` (ScopedQuerysetMixin): out of scope -> 404.
"""

from __future__ import annotations

from django.views.generic import DetailView, ListView

from grassroots.access import scope_for
from grassroots.access.views import ScopedQuerysetMixin
from grassroots.filters import GrassrootsFilter
from grassroots.history import history_entries
from grassroots.listing import CappedPaginator, ScopeRequiredMixin
from grassroots.models import GrassrootsUnion

from .selectors import grassroots_member_counts, grassroots_members_now, grassroots_yearly_figures

DETAIL_MEMBERS_SHOWN = 50


class GrassrootsListView(ScopeRequiredMixin, ScopedQuerysetMixin, ListView):
    """Queries (constant in the number of rows): session, user, role (scope), units for the
    unit filter, capped count, the page of CĐCS with their unit, member counts of the page."""

    model = GrassrootsUnion
    paginate_by = 50
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filter = GrassrootsFilter(
            super().get_queryset(), self.request.GET, user=self.request.user
        )
        return self.filter.qs.select_related("district_union")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        counts = grassroots_member_counts(g.pk for g in rows)
        for g in rows:
            g.members_now = counts.get(g.pk, 0)
        context.update(
            object_list=rows,
            filter_form=self.filter.form,
            filter_summary=self.filter.summary(),
            show_unit_filter=not self.scope.is_district,
        )
        return context


class GrassrootsDetailView(ScopeRequiredMixin, ScopedQuerysetMixin, DetailView):
    model = GrassrootsUnion

    def get_queryset(self):
        return super().get_queryset().select_related("district_union__federation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grassroots = self.object
        user = self.request.user
        members_now = grassroots_members_now(grassroots)
        records = grassroots.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        context.update(
            can_edit=GrassrootsUnion.objects.editable_by(user).filter(pk=grassroots.pk).exists(),
            can_move=scope_for(user).is_admin and grassroots.dissolved_on is None,
            members_now_count=members_now.count(),
            members_shown=members_now.vi_ordered()[:DETAIL_MEMBERS_SHOWN],
            members_shown_limit=DETAIL_MEMBERS_SHOWN,
            yearly=grassroots_yearly_figures(grassroots),
            affiliations=grassroots.affiliations.select_related("district_union").order_by(
                "valid_from"
            ),
            history=history_entries(records),
        )
        return context
