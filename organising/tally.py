"""The per-unit counts of the enterprise register (`EnterpriseTally`), rebuilt on every write.

Every write of the register that can move a count (an enterprise added, imported, moved along
the pipeline, linked to or unlinked from a CĐCS, its worker count changed) ends with
`tally_refresh(units)`: the rows of those units are deleted and rebuilt by one
INSERT ... SELECT ... GROUP BY over their enterprises, in the writer's transaction. The units'
rows are locked first (SELECT ... FOR NO KEY UPDATE), so two writers of one unit rebuild one
after the other and the second counts the first's committed rows.

`tally_refresh(None)` rebuilds every unit (migrations, the demo, benchmarks, and
`python manage.py organising_tally --rebuild` to repair by hand).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from grassroots.models import DistrictUnion

from .querysets import WORKERS_THRESHOLD

# The tables of organising.models.Enterprise and EnterpriseTally (models calls this module from
# Enterprise.save, so no import back).
ENTERPRISES, TALLY = "organising_enterprise", "organising_enterprisetally"


def _year_sql() -> str:
    if connection.vendor == "postgresql":
        return "CAST(EXTRACT(YEAR FROM unionised_on) AS integer)"
    return "CAST(strftime('%%Y', unionised_on) AS integer)"


def tally_refresh(unit_ids: Iterable[int | None] | None) -> None:
    """Rebuild the counts of these units (None: of every unit). Three queries."""
    ids = None if unit_ids is None else sorted({u for u in unit_ids if u is not None})
    if ids == []:
        return
    source, target = connection.ops.quote_name(ENTERPRISES), connection.ops.quote_name(TALLY)
    where, params = "", []
    if ids is not None:
        where = f" WHERE district_union_id IN ({', '.join(['%s'] * len(ids))})"
        params = list(ids)
    with transaction.atomic():
        units = DistrictUnion.objects.order_by("pk")
        if ids is not None:
            units = units.filter(pk__in=ids)
        list(units.select_for_update(no_key=True).values_list("pk", flat=True))
        year = _year_sql()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {target}{where}", params)
            cursor.execute(
                f"INSERT INTO {target} (district_union_id, stage, linked, big, reached, "
                f"unionised_year, n, workers) "
                f"SELECT district_union_id, stage, grassroots_id IS NOT NULL, "
                f"workers >= {int(WORKERS_THRESHOLD)}, reached, {year}, COUNT(*), SUM(workers) "
                f"FROM {source}{where} GROUP BY 1, 2, 3, 4, 5, 6",
                params,
            )
