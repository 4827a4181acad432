"""Shared fixtures: a small organisation tree and users of every role.

Also the CI guards: with UNIONPORTAL_REQUIRE_BROWSER=1 a skipped browser test fails the run, and
with UNIONPORTAL_REQUIRE_POSTGRES=1 the run fails unless the tests really ran on PostgreSQL.
"""

import os
from dataclasses import dataclass
from datetime import date

import pytest

from grassroots.models import UserRole
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    make_user,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live_server

_required_skips: list[str] = []


def _required(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


def pytest_runtest_logreport(report):
    if report.skipped and _required("UNIONPORTAL_REQUIRE_BROWSER") and "browser" in report.keywords:
        _required_skips.append(f"{report.nodeid}: {report.longrepr}")
    if (
        report.skipped
        and _required("UNIONPORTAL_REQUIRE_POSTGRES")
        and "postgres" in report.keywords
    ):
        _required_skips.append(f"{report.nodeid}: {report.longrepr}")


def pytest_sessionstart(session):
    if _required("UNIONPORTAL_REQUIRE_POSTGRES") and not os.environ.get(
        "DATABASE_URL", ""
    ).startswith(("postgres://", "postgresql://")):
        pytest.exit(
            "UNIONPORTAL_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL", returncode=3
        )


def pytest_sessionfinish(session, exitstatus):
    if _required_skips:
        print("\nRequired tests were skipped (CI must run them):")
        for line in _required_skips:
            print("  ", line)
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _required_skips:
        terminalreporter.write_line(
            f"FAILED: {len(_required_skips)} required browser/PostgreSQL tests were skipped",
            red=True,
        )


@dataclass
class Org:
    """Two federations; units A and B in the first, C in the other; one CĐCS and member each."""

    federation: object
    other_federation: object
    unit_a: object
    unit_b: object
    unit_c: object
    grassroots_a: object
    grassroots_b: object
    grassroots_c: object
    member_a: object
    member_b: object
    member_c: object


@pytest.fixture
def org(db) -> Org:
    federation = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    other = FederationFactory(code="HP", name="LĐLĐ thành phố Hải Phòng")
    unit_a = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=federation)
    unit_b = DistrictUnionFactory(code="CG", name="LĐLĐ quận Cầu Giấy", federation=federation)
    unit_c = DistrictUnionFactory(code="LC", name="LĐLĐ quận Lê Chân", federation=other)
    g_a = GrassrootsFactory(
        district_union=unit_a, name="Công đoàn Công ty Alpha", founded_on=date(2019, 3, 1)
    )
    g_b = GrassrootsFactory(
        district_union=unit_b, name="Công đoàn Công ty Beta", founded_on=date(2019, 3, 1)
    )
    g_c = GrassrootsFactory(
        district_union=unit_c, name="Công đoàn Công ty Gamma", founded_on=date(2019, 3, 1)
    )
    return Org(
        federation=federation,
        other_federation=other,
        unit_a=unit_a,
        unit_b=unit_b,
        unit_c=unit_c,
        grassroots_a=g_a,
        grassroots_b=g_b,
        grassroots_c=g_c,
        member_a=MemberFactory(grassroots=g_a, full_name="Nguyễn Văn Đạt"),
        member_b=MemberFactory(grassroots=g_b, full_name="Trần Thị Bình"),
        member_c=MemberFactory(grassroots=g_c, full_name="Lê Văn Cường"),
    )


@dataclass
class Users:
    officer_a: object
    officer_b: object
    officer_c: object
    staff: object
    other_staff: object
    admin: object
    norole: object


@pytest.fixture
def users(org) -> Users:
    Role = UserRole.Role
    return Users(
        officer_a=make_user("officer_a", Role.DISTRICT_OFFICER, org.unit_a),
        officer_b=make_user("officer_b", Role.DISTRICT_OFFICER, org.unit_b),
        officer_c=make_user("officer_c", Role.DISTRICT_OFFICER, org.unit_c),
        staff=make_user("staff", Role.FEDERATION_STAFF, org.federation),
        other_staff=make_user("other_staff", Role.FEDERATION_STAFF, org.other_federation),
        admin=make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        norole=make_user("norole"),
    )


@pytest.fixture
def login(client):
    """`login(user)` -> the test client logged in as `user` (force_login: axes blocks login())."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
