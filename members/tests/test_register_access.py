"""Access to the registers as a matrix: roles x objects of unit A / unit B (same federation) /
unit C (other federation) x actions -> status. Then the same rules at the other two doors:
form choice fields and services."""

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from grassroots.forms import GrassrootsForm
from grassroots.models import GrassrootsUnion
from members.forms import MemberForm, MemberRejoinForm, MemberTransferForm
from members.models import Member
from members.services import member_admit, member_leave, member_transfer, member_update

pytestmark = pytest.mark.django_db

ROLES = ("A", "B", "other", "staff", "admin", "norole")
# The role order of the URL matrix (unionportal/tests/test_access_matrix.py) without `anon`, plus
# `norole`: A, B: officers of units A and B (federation HN); other: staff of the other federation
# (HP, unit C); staff: HN federation staff; admin; norole: a logged-in user without a role.

# fmt: off
#  action          object      A    B  other staff admin norole
MATRIX = """
   list            -          200  200  200  200  200  404
   g-list          -          200  200  200  200  200  404
   audit           -          200  200  200  200  200  404
   create          -          200  200  404  404  200  404
   g-create        -          200  200  404  404  200  404
   detail          a          200  404  404  200  200  404
   detail          b          404  200  404  200  200  404
   detail          c          404  404  200  404  200  404
   g-detail        a          200  404  404  200  200  404
   g-detail        c          404  404  200  404  200  404
   edit            a          200  404  404  404  200  404
   edit            c          404  404  404  404  200  404
   transfer        a          200  404  404  404  200  404
   transfer        b          404  200  404  404  200  404
   leave           a          200  404  404  404  200  404
   leave           c          404  404  404  404  200  404
   rejoin          a          200  404  404  404  200  404
   g-edit          a          200  404  404  404  200  404
   g-edit          b          404  200  404  404  200  404
   g-dissolve      a          200  404  404  404  200  404
   g-dissolve      c          404  404  404  404  200  404
   g-move          a          404  404  404  404  200  404
"""
# fmt: on

URLS = {
    "list": ("members:member-list", None),
    "g-list": ("grassroots:grassroots-list", None),
    "audit": ("members:audit-list", None),
    "create": ("members:member-create", None),
    "g-create": ("grassroots:grassroots-create", None),
    "detail": ("members:member-detail", "member"),
    "edit": ("members:member-update", "member"),
    "transfer": ("members:member-transfer", "member"),
    "leave": ("members:member-leave", "member"),
    "rejoin": ("members:member-rejoin", "member"),
    "g-detail": ("grassroots:grassroots-detail", "grassroots"),
    "g-edit": ("grassroots:grassroots-update", "grassroots"),
    "g-dissolve": ("grassroots:grassroots-dissolve", "grassroots"),
    "g-move": ("grassroots:grassroots-move", "grassroots"),
}


def _rows():
    for line in MATRIX.strip().splitlines():
        action, obj, *statuses = line.split()
        yield action, obj, [int(s) for s in statuses]


def _clients(users):
    who = dict(
        zip(
            ROLES,
            (
                users.officer_a,
                users.officer_b,
                users.other_staff,
                users.staff,
                users.admin,
                users.norole,
            ),
            strict=True,
        )
    )
    clients = {}
    for role, user in who.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _url(org, action, obj):
    name, kind = URLS[action]
    if kind is None:
        return reverse(name)
    target = getattr(org, f"{kind}_{obj}")
    return reverse(name, args=[target.pk])


@pytest.mark.parametrize(("action", "obj", "expected"), list(_rows()))
def test_matrix_get_and_post(org, users, action, obj, expected):
    """GET answers the status of the table; a POST (of an empty form) too, and where refused it
    changes nothing."""
    clients = _clients(users)
    url = _url(org, action, obj)
    before = (
        list(Member.objects.order_by("pk").values()),
        list(GrassrootsUnion.objects.order_by("pk").values()),
    )
    problems = []
    for role, status in zip(ROLES, expected, strict=True):
        got = clients[role].get(url).status_code
        if got != status:
            problems.append(f"GET {action} {obj} as {role}: {got}, expected {status}")
        if action not in ("list", "g-list", "audit", "detail", "g-detail"):
            got = clients[role].post(url, {}).status_code
            if got != status:
                problems.append(f"POST {action} {obj} as {role}: {got}, expected {status}")
    assert not problems, "\n".join(problems)
    after = (
        list(Member.objects.order_by("pk").values()),
        list(GrassrootsUnion.objects.order_by("pk").values()),
    )
    assert after == before  # empty forms are refused with messages; refused roles write nothing


def test_every_register_url_is_in_the_matrix():
    """Every page of the two registers' views has rows (other helpers' pages in these URL
    modules, e.g. exports and targets, are tested with their own code)."""
    from members import grassroots_urls
    from members import urls as member_urls

    names = set()
    for app, module in (("members", member_urls), ("grassroots", grassroots_urls)):
        for pattern in module.urlpatterns:
            view_module = pattern.callback.view_class.__module__
            if view_module in ("members.views", "members.grassroots_views", "grassroots.views"):
                names.add(f"{app}:{pattern.name}")
    covered = {URLS[action][0] for action, _, _ in _rows()}
    assert names <= covered, names - covered


# --- the second door: choice fields ------------------------------------------------------------


def test_choice_fields_offer_only_writable_grassroots(org, users):
    for_officer = MemberForm(user=users.officer_a).fields["grassroots"].queryset
    assert list(for_officer) == [org.grassroots_a]
    assert list(MemberForm(user=users.staff).fields["grassroots"].queryset) == []
    assert set(MemberForm(user=users.admin).fields["grassroots"].queryset) == {
        org.grassroots_a,
        org.grassroots_b,
        org.grassroots_c,
    }
    transfer = MemberTransferForm(user=users.officer_a, member=org.member_a)
    assert list(transfer.fields["to_grassroots"].queryset) == []  # no other CĐCS in unit A
    rejoin = MemberRejoinForm(user=users.officer_b, member=org.member_b)
    assert list(rejoin.fields["grassroots"].queryset) == [org.grassroots_b]
    units = GrassrootsForm(user=users.officer_a).fields["district_union"].queryset
    assert list(units) == [org.unit_a]


# --- the third door: services ------------------------------------------------------------------


def test_services_refuse_out_of_scope_writes(org, users):
    before = list(Member.objects.order_by("pk").values())
    with pytest.raises(Http404):
        member_admit(
            user=users.officer_a,
            grassroots=org.grassroots_b,
            joined_on=org.member_a.joined_on,
            cccd="001199000001",
            full_name="X",
            gender="male",
            birth_date=org.member_a.birth_date,
        )
    with pytest.raises(Http404):
        member_update(user=users.officer_b, member=org.member_a, full_name="X")
    with pytest.raises(Http404):
        member_update(user=users.staff, member=org.member_a, full_name="X")
    with pytest.raises(Http404):
        member_transfer(
            user=users.officer_a,
            member=org.member_a,
            to_grassroots=org.grassroots_b,
            on=org.member_a.joined_on.replace(year=2024),
        )
    with pytest.raises(Http404):
        member_leave(
            user=users.officer_c,
            member=org.member_a,
            on=org.member_a.joined_on.replace(year=2024),
            reason="other",
        )
    assert list(Member.objects.order_by("pk").values()) == before
