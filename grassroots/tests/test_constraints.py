"""Database constraints users rely on even when a bug or a script bypasses the forms."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from grassroots.models import AnnualTarget, DistrictUnion, GrassrootsUnion
from members.models import Member
from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db


def fails(fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except IntegrityError:
        return True
    return False


def test_codes_are_unique(org):
    assert fails(
        lambda: DistrictUnion.objects.create(code="TX", name="x", federation=org.federation)
    )
    assert fails(
        lambda: GrassrootsUnion.objects.create(
            code=org.grassroots_a.code,
            name="x",
            sector="other",
            founded_on=date(2020, 1, 1),
            district_union=org.unit_a,
        )
    )


def test_cccd_is_unique_and_twelve_characters(org):
    base = dict(
        gender="male",
        birth_date=date(1990, 1, 1),
        grassroots=org.grassroots_a,
        joined_on=date(2020, 1, 1),
    )
    assert fails(lambda: Member.objects.create(full_name="x", cccd=org.member_a.cccd, **base))
    assert fails(lambda: Member.objects.create(full_name="x", cccd="12345", **base))
    Member.objects.create(full_name="Ok", cccd="001234567890", **base)


def test_targets_are_unique_per_unit_and_year_and_never_negative(org):
    TargetFactory(district_union=org.unit_a, year=2024)
    assert fails(lambda: TargetFactory(district_union=org.unit_a, year=2024))
    TargetFactory(district_union=org.unit_a, year=2025)
    TargetFactory(federation=org.federation, year=2024)
    assert fails(lambda: TargetFactory(federation=org.federation, year=2024))
    assert fails(lambda: TargetFactory(district_union=org.unit_b, year=2024, new_members=-1))
    assert fails(
        lambda: AnnualTarget.objects.create(
            year=2024, federation=org.federation, district_union=org.unit_b
        )
    )
    assert fails(lambda: AnnualTarget.objects.create(year=2024))
