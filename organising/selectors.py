"""Reads of the enterprise register: the headroom of every unit a user sees, in a constant
number of queries (1 or 25 units alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from grassroots.access import scope_for, scoped
from grassroots.models import Affiliation, DistrictUnion, Federation, TargetValue

from .headroom import Headroom
from .models import EnterpriseTally, Stage


@dataclass(frozen=True)
class HeadroomPage:
    year: int
    end: date  # the last day counted (today in the current year)
    rows: list[Headroom]
    total: Headroom
    federation_targets: list[tuple[str, int]]  # (federation, its own CĐCS target) in scope


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _tally_groups(queryset, year: int):
    """The kept counts grouped by unit and the flags the headroom needs (one query)."""
    return (
        queryset.annotate(converted=_flag(Q(unionised_year=year)))
        .values("district_union_id", "stage", "linked", "big", "converted", "reached")
        .annotate(n=Sum("n"), workers=Sum("workers"))
        .order_by()
    )


def _tally_sum(groups) -> dict[int, dict]:
    """{unit id: the Headroom fields read from the kept counts} (no query of its own)."""
    figures: dict[int, dict] = {}
    for g in groups:
        f = figures.setdefault(
            g["district_union_id"],
            {
                "without_union": 0,
                "without_union_25": 0,
                "workers_without": 0,
                "committee_25": 0,
                "by_stage": {},
                "conversions": 0,
                "reached": [0, 0, 0, 0],
                "workers_register": 0,
                "workers_with_union": 0,
            },
        )
        n, workers = g["n"], g["workers"] or 0
        stage = Stage.FOUNDED.value if g["linked"] else g["stage"]
        f["by_stage"][stage] = f["by_stage"].get(stage, 0) + n
        for step in range(min(g["reached"], 3) + 1):
            f["reached"][step] += n
        if g["converted"]:
            f["conversions"] += n
        if g["linked"]:
            f["workers_with_union"] += workers
            f["workers_register"] += workers
        elif g["stage"] != Stage.CLOSED:
            f["workers_register"] += workers
            f["without_union"] += n
            f["workers_without"] += workers
            if g["big"]:
                f["without_union_25"] += n
                if g["stage"] == Stage.COMMITTEE:
                    f["committee_25"] += n
    return figures


def headroom_by_unit(unit_ids: list[int], *, year: int) -> dict[int, dict]:
    """{unit id: the Headroom fields (without target and founded)} of the units `unit_ids`, read
    from the kept counts in one query. The caller has scoped the units (the dashboards read them
    through `for_user`); a unit with no enterprise is missing."""
    return _tally_sum(
        _tally_groups(EnterpriseTally.objects.filter(district_union_id__in=unit_ids), year)
    )


def headroom_for(user, *, year: int, today: date) -> HeadroomPage:
    """The headroom of each unit `user` sees, and their sum.

    Queries (constant in units and enterprises): 1 the units in scope; 2 the per-unit counts
    (`EnterpriseTally`, kept on every write) by unit, stage, linked, 25+, converted in the year
    and furthest step; 3 the units' CĐCS targets of the year; 4 the CĐCS founded in the year per
    unit (rule 2: first affiliation on the founding day); 5 the federations' own targets.
    """
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), today)
    units = list(
        DistrictUnion.objects.for_user(user)
        .select_related("federation")
        .order_by("federation__name", "name")
        .values("pk", "name", "ended_on", "federation__name")
    )
    unit_ids = [u["pk"] for u in units]
    # The per-unit counts kept on every write (organising.tally), not the 200.000 enterprises.
    groups = _tally_groups(
        scoped(
            EnterpriseTally.objects.all(),
            user,
            federation="district_union__federation_id",
            district="district_union_id",
            write=False,
        ),
        year,
    )
    figures = _tally_sum(groups)
    targets = dict(
        TargetValue.objects.filter(
            target__year=year, target__district_union_id__in=unit_ids, indicator="new_grassroots"
        ).values_list("target__district_union_id", "value")
    )
    founded = dict(
        Affiliation.objects.filter(
            district_union_id__in=unit_ids,
            valid_from__gte=start,
            valid_from__lte=end,
            valid_from=F("grassroots__founded_on"),
        )
        .values("district_union_id")
        .annotate(n=Count("grassroots_id", distinct=True))
        .order_by()
        .values_list("district_union_id", "n")
    )
    rows = []
    for unit in units:
        found = figures.get(unit["pk"])
        if found is None and unit["ended_on"] is not None:
            continue  # an ended unit with nothing in the register
        f = found or {}
        rows.append(
            Headroom(
                unit_id=unit["pk"],
                name=unit["name"],
                without_union=f.get("without_union", 0),
                without_union_25=f.get("without_union_25", 0),
                workers_without=f.get("workers_without", 0),
                committee_25=f.get("committee_25", 0),
                by_stage=f.get("by_stage", {}),
                conversions=f.get("conversions", 0),
                reached=tuple(f.get("reached", (0, 0, 0, 0))),
                workers_register=f.get("workers_register", 0),
                workers_with_union=f.get("workers_with_union", 0),
                target=targets.get(unit["pk"]),
                founded=founded.get(unit["pk"], 0),
            )
        )
    total = Headroom(unit_id=None, name="Tổng cộng")
    for row in rows:
        total = total + row
    scope = scope_for(user)
    federation_targets: list[tuple[str, int]] = []
    if not scope.is_district:
        federation_targets = list(
            TargetValue.objects.filter(
                target__year=year,
                target__federation__in=Federation.objects.for_user(user),
                indicator="new_grassroots",
            )
            .order_by("target__federation__name")
            .values_list("target__federation__name", "value")
        )
    return HeadroomPage(
        year=year, end=end, rows=rows, total=total, federation_targets=federation_targets
    )
