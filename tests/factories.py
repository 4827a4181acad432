"""Factories that build data through the services, so every record has its history rows."""

from datetime import date
from itertools import count

import factory
from django.contrib.auth import get_user_model

from grassroots import services as grassroots_services
from grassroots.access import SYSTEM
from grassroots.indicators import CORE_CODES
from grassroots.models import (
    AnnualTarget,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    TargetValue,
    UserRole,
)
from members import services as member_services
from members.models import Member

_cccd = count(1)


def next_cccd() -> str:
    return f"0010{next(_cccd):08d}"


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation

    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Sequence(lambda n: f"LĐLĐ tỉnh Số {n}")


class DistrictUnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictUnion

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"LĐLĐ quận Số {n}")
    federation = factory.SubFactory(FederationFactory)


class GrassrootsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrassrootsUnion

    code = factory.Sequence(lambda n: f"CS{n:05d}")
    name = factory.Sequence(lambda n: f"Công đoàn Công ty Số {n}")
    tax_code = factory.Sequence(lambda n: f"{100000000 + n:010d}")
    sector = GrassrootsUnion.Sector.PRIVATE_ENTERPRISE
    workers = 30
    founded_on = date(2019, 1, 15)
    district_union = factory.SubFactory(DistrictUnionFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        unit = kwargs.pop("district_union")
        return grassroots_services.grassroots_found(district_union=unit, **kwargs)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Số {n}")
    gender = "male"
    birth_date = date(1990, 5, 3)
    cccd = factory.LazyFunction(next_cccd)
    phone = ""
    grassroots = factory.SubFactory(GrassrootsFactory)
    joined_on = date(2020, 6, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return member_services.member_admit(user=SYSTEM, **kwargs)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualTarget

    year = 2024
    # The figures, one TargetValue each (None: no target for that indicator); further
    # indicators as figures={code: target}.
    new_members = 100
    new_grassroots = 10
    new_grassroots_25plus = 5
    figures: dict = {}

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        figures = {code: kwargs.pop(code) for code in CORE_CODES}
        figures.update(kwargs.pop("figures"))
        target = super()._create(model_class, *args, **kwargs)
        for code, value in figures.items():
            if value is not None:
                TargetValue.objects.create(target=target, indicator=code, value=value)
        return target


def make_user(username: str, role: str | None = None, unit=None, **extra):
    """A user with a role: role in UserRole.Role values, `unit` the federation or district union."""
    user = get_user_model().objects.create_user(
        username=username, password="x-test-pass-123", **extra
    )
    if role == UserRole.Role.DISTRICT_OFFICER:
        UserRole.objects.create(user=user, role=role, district_union=unit)
    elif role == UserRole.Role.FEDERATION_STAFF:
        UserRole.objects.create(user=user, role=role, federation=unit)
    elif role in (UserRole.Role.ADMIN, UserRole.Role.NATIONAL_STAFF):
        UserRole.objects.create(user=user, role=role)
    return user


def make_enterprise(unit, n: int, *, name: str | None = None, **extra):
    """Enterprise number `n` of `unit` in the register: a 10-digit tax code whatever the
    unit's id (PostgreSQL's sequences pass 999 in a full run), 30 workers, from the tax list."""
    from django.utils import timezone

    from organising.models import Enterprise

    now = timezone.now()
    fields = {
        "tax_code": f"0107{unit.pk % 1000:03d}{n:03d}",
        "name": name or f"Công ty TNHH Số {n}",
        "source": "tax_office",
        "district_union": unit,
        "workers": 30,
        "created_at": now,
        "updated_at": now,
        **extra,
    }
    return Enterprise.objects.create(**fields)
