"""The list behind every headroom number: the enterprise list with its filters (shared by the
headroom page and the dashboards' headroom block in reports/)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from .models import Stage


def enterprise_list_url(
    unit_id: int | None = None, federation_id: int | None = None, **params
) -> str:
    """The enterprise list narrowed to one unit (or one federation's units) and `params`."""
    query = {k: v for k, v in params.items() if v not in (None, "", False)}
    if unit_id is not None:
        query["district_union"] = unit_id
    elif federation_id is not None:
        query["federation"] = federation_id
    return reverse("organising:enterprise-list") + "?" + urlencode(query)


def headroom_links(row, year: int, federation_id: int | None = None) -> dict:
    """The list behind every number of a headroom row (a total row: every unit in scope, or
    with `federation_id` that federation's units)."""

    def drill(**params) -> str:
        return enterprise_list_url(row.unit_id, federation_id, **params)

    return {
        "without_union": drill(no_union=1),
        "without_union_25": drill(no_union=1, plus25=1),
        "committee_25": drill(no_union=1, plus25=1, stage=Stage.COMMITTEE),
        "conversions": drill(converted_year=year),
        "with_union": drill(stage=Stage.FOUNDED),
        "stage_cells": [(count, drill(stage=value)) for value, _label, count in row.stages],
    }
