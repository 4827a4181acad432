"""The one door: `for_user` / `editable_by` as a matrix of roles x own unit / other unit /
other federation, for every scoped model."""

import pytest

from grassroots.models import AnnualTarget, DistrictUnion, Federation, GrassrootsUnion
from members.models import Member, Placement
from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db

OWN, OTHER_UNIT, OTHER_FED = "A", "B", "C"

# role -> which of the three units' records it may read / write.
READ = {
    "officer_a": {OWN},
    "staff": {OWN, OTHER_UNIT},
    "other_staff": {OTHER_FED},
    "admin": {OWN, OTHER_UNIT, OTHER_FED},
    "norole": set(),
}
WRITE = {
    "officer_a": {OWN},
    "staff": set(),  # federation staff read the registers, they do not enter them
    "other_staff": set(),
    "admin": {OWN, OTHER_UNIT, OTHER_FED},
    "norole": set(),
}


def records(org, model):
    by_unit = {
        GrassrootsUnion: (org.grassroots_a, org.grassroots_b, org.grassroots_c),
        Member: (org.member_a, org.member_b, org.member_c),
        DistrictUnion: (org.unit_a, org.unit_b, org.unit_c),
        Placement: tuple(m.placements.get() for m in (org.member_a, org.member_b, org.member_c)),
    }[model]
    return dict(zip((OWN, OTHER_UNIT, OTHER_FED), by_unit, strict=True))


@pytest.mark.parametrize("model", [GrassrootsUnion, Member, DistrictUnion, Placement])
@pytest.mark.parametrize("role", sorted(READ))
def test_read_scope(org, users, model, role):
    user = getattr(users, role)
    visible = set(model.objects.for_user(user).values_list("pk", flat=True))
    expected = {obj.pk for unit, obj in records(org, model).items() if unit in READ[role]}
    assert visible == expected


@pytest.mark.parametrize("model", [GrassrootsUnion, Member])
@pytest.mark.parametrize("role", sorted(WRITE))
def test_write_scope(org, users, model, role):
    user = getattr(users, role)
    writable = set(model.objects.editable_by(user).values_list("pk", flat=True))
    expected = {obj.pk for unit, obj in records(org, model).items() if unit in WRITE[role]}
    assert writable == expected


def test_anonymous_sees_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    for model in (Federation, DistrictUnion, GrassrootsUnion, Member, AnnualTarget):
        assert not model.objects.for_user(AnonymousUser()).exists()


def test_targets_scope_includes_the_federation_own_target_for_its_staff(org, users):
    own_fed = TargetFactory(federation=org.federation)
    unit_a = TargetFactory(district_union=org.unit_a)
    unit_b = TargetFactory(district_union=org.unit_b)
    other = TargetFactory(district_union=org.unit_c)

    def ids(qs):
        return set(qs.values_list("pk", flat=True))

    assert ids(AnnualTarget.objects.for_user(users.staff)) == {own_fed.pk, unit_a.pk, unit_b.pk}
    assert ids(AnnualTarget.objects.for_user(users.officer_a)) == {unit_a.pk}
    assert ids(AnnualTarget.objects.for_user(users.other_staff)) == {other.pk}
    assert ids(AnnualTarget.objects.editable_by(users.staff)) == {own_fed.pk, unit_a.pk, unit_b.pk}
    assert not AnnualTarget.objects.editable_by(users.officer_a).exists()


def test_federations_visible(org, users):
    assert list(Federation.objects.for_user(users.officer_a)) == [org.federation]
    assert list(Federation.objects.for_user(users.staff)) == [org.federation]
    assert set(Federation.objects.for_user(users.admin)) == {org.federation, org.other_federation}
    assert not Federation.objects.for_user(users.norole).exists()


def test_admin_site_lists_go_through_for_user(org, users, client):
    """A staff-flagged federation user sees only their federation's CĐCS in the admin."""
    users.staff.is_staff = True
    users.staff.save()
    from django.contrib.auth.models import Permission

    users.staff.user_permissions.add(Permission.objects.get(codename="view_grassrootsunion"))
    client.force_login(users.staff)
    response = client.get("/quan-tri/grassroots/grassrootsunion/")
    assert response.status_code == 200
    assert org.grassroots_a.name in response.text and org.grassroots_b.name in response.text
    assert org.grassroots_c.name not in response.text
    assert client.get(
        f"/quan-tri/grassroots/grassrootsunion/{org.grassroots_c.pk}/change/"
    ).status_code in (302, 404)
