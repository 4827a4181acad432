"""The running totals of UnitDayStat stay equal to a rebuild from the registers."""

import importlib
from datetime import date

import pytest
from django.db import connection

from grassroots.access import SYSTEM
from grassroots.services import grassroots_move, grassroots_update
from members.services import member_update
from reports.models import UnitDayStat, to_date_totals
from reports.stats import stats_refresh

pytestmark = pytest.mark.django_db

FIELDS = ["district_union_id", "day", *UnitDayStat.FLOW_FIELDS, *UnitDayStat.TO_DATE_FIELDS]


def stored():
    return list(UnitDayStat.objects.order_by("district_union_id", "day").values_list(*FIELDS))


def test_incremental_refreshes_equal_a_full_rebuild(counted):
    # Back-dated changes after the fact: each refreshes only from its day on.
    member_update(user=SYSTEM, member=counted.members["old 01/07/2024"], joined_on=date(2023, 9, 1))
    grassroots_update(grassroots=counted.g["jun30"], founded_on=date(2024, 6, 1))
    grassroots_move(grassroots=counted.g["jul1"], district_union=counted.b, on=date(2024, 10, 1))
    incremental = stored()
    stats_refresh()
    assert stored() == incremental
    # And a partial rebuild from a middle day gives the same rows too.
    stats_refresh([counted.a.pk], date(2024, 7, 1))
    assert stored() == incremental


def test_to_date_totals_before_any_row_are_zero(counted):
    totals = to_date_totals([counted.a.pk, counted.b.pk], [date(2000, 1, 1), date(2024, 12, 31)])
    assert totals[date(2000, 1, 1)][counted.a.pk] == dict.fromkeys(UnitDayStat.TO_DATE_FIELDS, 0)
    assert totals[date(2024, 12, 31)][counted.a.pk]["members_to_date"] == 5
    assert totals[date(2024, 12, 31)][counted.b.pk]["grassroots_to_date"] == 1


def test_the_migration_fills_the_totals_of_existing_rows(counted):
    before = stored()
    UnitDayStat.objects.update(**dict.fromkeys(UnitDayStat.TO_DATE_FIELDS, 0))
    migration = importlib.import_module("reports.migrations.0002_running_totals")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_TOTALS)
    assert stored() == before
