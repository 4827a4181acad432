"""Races the load test found, replayed deterministically: a write commits between two reads."""

from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from reports.models import UnitDayStat, to_date_totals
from reports.stats import stats_refresh


@contextmanager
def write_before(sql_fragment: str, write):
    """Run `write()` once, just before the first query whose SQL contains `sql_fragment`
    (as if another request committed at that moment)."""
    state = {"done": False}

    def wrapper(execute, sql, params, many, context):
        if not state["done"] and sql_fragment in sql:
            state["done"] = True
            write()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield state


def test_dashboard_totals_survive_a_refresh_between_their_two_queries(org):
    """stats_refresh (run by every admission) deletes and re-inserts a unit's day rows: the
    row ids the dashboard picked in its first query are gone by its second one."""
    unit = org.unit_a.pk
    today = timezone.localdate()
    expected = to_date_totals([unit], [today])
    assert expected[today][unit]["members_to_date"] == 1
    ids_before = set(
        UnitDayStat.objects.filter(district_union_id=unit).values_list("pk", flat=True)
    )

    table = UnitDayStat._meta.db_table
    with write_before(
        f'FROM "{table}" WHERE "{table}"."id" IN', lambda: stats_refresh([unit])
    ) as s:
        totals = to_date_totals([unit], [today])
    assert s["done"], "the replayed write did not happen: the test no longer hits the race"
    ids_after = set(UnitDayStat.objects.filter(district_union_id=unit).values_list("pk", flat=True))
    assert not ids_before & ids_after  # the rows really were replaced
    assert totals == expected
