"""PostgreSQL only: the search uses its indexes (so it stays fast at 1.000.000 members) and ICU
sorts like the Python collation used on SQLite."""

import random

import pytest
from django.db import connection
from django.http import QueryDict

from demo.names import person
from grassroots.collation import vi_sorted
from members.filters import filter_members
from members.models import Member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


def test_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN "
            "('members_member', 'grassroots_grassrootsunion')"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "member_search_trgm_idx",
        "member_phone_prefix_idx",
        "member_name_vi_idx",
        "grassroots_search_trgm_idx",
        "grassroots_name_vi_idx",
    } <= names


def _plan(users, query: str) -> str:
    queryset, _ = filter_members(
        Member.objects.for_user(users.admin), QueryDict(f"q={query}"), user=users.admin
    )
    sql, params = queryset[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: show the usable index
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("nguyen van dat", "member_search_trgm_idx"),
        ("0010", "members_member_cccd_"),  # Django's varchar_pattern_ops index (..._like)
        ("0912", "member_phone_prefix_idx"),
        ("001000000001", "members_member_cccd_"),  # either CCCD index
    ],
)
def test_each_kind_of_search_can_use_an_index(org, users, query, index):
    assert index in _plan(users, query)


def test_icu_and_python_collation_agree(org):
    rng = random.Random(7)
    names = [person(rng)[0] for _ in range(300)] + ["Đào An", "Dương Ánh", "Zung", "Ánh"]
    with connection.cursor() as cursor:
        cursor.execute('SELECT n FROM unnest(%s::text[]) n ORDER BY n COLLATE "vi-x-icu"', [names])
        icu = [row[0] for row in cursor.fetchall()]
    assert icu == vi_sorted(names)
