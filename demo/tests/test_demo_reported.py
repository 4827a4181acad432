"""The demo's values reported as a number (demo/reported.py): every unit, every past month."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from grassroots.models import DistrictUnion, TargetValue
from reports.indicators import further_by_unit
from reports.models import ReportedFigure, ReportedFigureChange

pytestmark = pytest.mark.slow


@pytest.mark.django_db
@override_settings(UNIONPORTAL_INDICATORS=None)
def test_every_active_unit_reported_every_past_month_with_its_history(demo):
    today = timezone.localdate()
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    reported = set(
        ReportedFigure.objects.filter(month=last).values_list("district_union_id", flat=True)
    )
    active = set(
        DistrictUnion.objects.filter(ended_on__isnull=True)
        .filter(affiliations__valid_to__isnull=True)
        .values_list("pk", flat=True)
    )
    assert active and active <= reported
    # Nothing for the running month: it is entered after it ends.
    assert not ReportedFigure.objects.filter(month__gte=today.replace(day=1)).exists()
    # One history row per value, entered on the 5th of the next month.
    assert ReportedFigureChange.objects.count() == ReportedFigure.objects.count()
    tx = DistrictUnion.objects.get(code="TX")
    months = dict(
        ReportedFigure.objects.filter(district_union=tx, month__year=2024).values_list(
            "month", "value"
        )
    )
    assert len(months) == 12
    # Tết: about three times an ordinary month.
    assert months[date(2024, 1, 1)] > 2 * months[date(2024, 3, 1)]
    change = ReportedFigureChange.objects.get(district_union=tx, month=date(2024, 3, 1))
    assert change.changed_by.username == "thanhxuan"
    assert timezone.localtime(change.changed_at).date() == date(2024, 4, 5)
    figure = further_by_unit([tx.pk], date(2024, 1, 1), date(2024, 12, 31))[tx.pk]
    target = TargetValue.objects.get(
        target__district_union=tx, target__year=2024, indicator="workers_supported"
    ).value
    assert figure["workers_supported"] == sum(months.values())
    assert 0.8 <= figure["workers_supported"] / target <= 1.1
