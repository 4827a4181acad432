"""Campaign windows as dashboard periods (`period=dot-<id>`), read for one user.

A campaign (grassroots.Campaign) is a federation's: its dashboard offers the federation's
campaigns beside the fixed periods, and a campaign of a federation the user may not see (or of
another federation than the page's) answers 404, like any object out of scope.
"""

from __future__ import annotations

from django.http import Http404

from grassroots.models import Campaign

from .periods import CampaignWindow


def _window(campaign: Campaign) -> CampaignWindow:
    return CampaignWindow(
        campaign.pk, campaign.name, campaign.start_on, campaign.end_on, campaign.federation_id
    )


class CampaignPeriods:
    """The campaigns a page may show: those of `federation_id` (a federation's or a unit's
    dashboard: listed once, one query, for the period choices) or every campaign the user
    sees (national dashboard, drill-down lists: read only when a campaign is asked for)."""

    def __init__(self, user, federation_id: int | None = None):
        self.user = user
        self.federation_id = federation_id
        self._listed: list[CampaignWindow] | None = None

    def _queryset(self):
        campaigns = Campaign.objects.for_user(self.user)
        if self.federation_id is not None:
            campaigns = campaigns.filter(federation_id=self.federation_id)
        return campaigns.only("pk", "name", "start_on", "end_on", "federation_id")

    def listed(self) -> list[CampaignWindow]:
        if self._listed is None:
            self._listed = [_window(c) for c in self._queryset().order_by("-start_on", "pk")]
        return self._listed

    def __call__(self, pk: int) -> CampaignWindow:
        """The campaign `pk` if the page may show it, else 404."""
        if self.federation_id is not None:
            found = next((w for w in self.listed() if w.pk == pk), None)
        else:
            campaign = self._queryset().filter(pk=pk).first()
            found = _window(campaign) if campaign else None
        if found is None:
            raise Http404
        return found

    def choices(self, base: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The fixed periods, then this federation's campaigns (newest first)."""
        return [*base, *((w.key, w.choice_label) for w in self.listed())]
