"""The targets' move to (unit, year, indicator): the data migration keeps every figure."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grassroots.models import DistrictUnion, Federation
from reports.exports import progress_line
from reports.selectors import ProgressRow, UnitFigures, targets_by_unit

BEFORE = [("grassroots", "0005_grassroots_address")]
AFTER = [("grassroots", "0006_target_values_per_indicator")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_targets_keep_their_figures_through_the_migration():
    _migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    OldFederation = old.get_model("grassroots", "Federation")
    OldUnit = old.get_model("grassroots", "DistrictUnion")
    OldTarget = old.get_model("grassroots", "AnnualTarget")
    hanoi = OldFederation.objects.create(code="HN", name="LĐLĐ thành phố Hà Nội")
    tx = OldUnit.objects.create(code="TX", name="LĐLĐ quận Thanh Xuân", federation=hanoi)
    OldTarget.objects.create(
        district_union=tx, year=2024, new_members=6500, new_grassroots=20, new_grassroots_25plus=15
    )
    OldTarget.objects.create(
        federation=hanoi, year=2024, new_members=50000, new_grassroots=0, new_grassroots_25plus=0
    )
    before = {
        (t.district_union_id, t.federation_id): (
            t.new_members,
            t.new_grassroots,
            t.new_grassroots_25plus,
        )
        for t in OldTarget.objects.all()
    }

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    unit = DistrictUnion.objects.get(code="TX")
    federation = Federation.objects.get(code="HN")
    by_unit, own = targets_by_unit(2024, [unit.pk], federation.pk)
    after = {
        (unit.pk, None): tuple(by_unit[unit.pk].get(c) for c in CODES),
        (None, federation.pk): tuple(own.get(c) for c in CODES),
    }
    assert (
        after
        == before
        == {
            (unit.pk, None): (6500, 20, 15),
            (None, federation.pk): (50000, 0, 0),
        }
    )
    # Thanh Xuân's 2024 figures against the migrated targets read as they always did.
    figures = UnitFigures(new_members=4550, new_grassroots=27, new_grassroots_25plus=15)
    row = ProgressRow("TX", unit.name, figures, by_unit[unit.pk], Decimal(1), unit.pk)
    assert progress_line(row) == (
        "LĐLĐ quận Thanh Xuân: 4.550/6.500 đoàn viên (70%); 27/20 CĐCS (135%); "
        "15/15 CĐCS từ 25 lao động trở lên (100%)"
    )


CODES = ("new_members", "new_grassroots", "new_grassroots_25plus")
