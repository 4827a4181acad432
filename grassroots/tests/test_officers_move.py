"""The admin action that gives many officers of an ended unit their new unit at once."""

from datetime import date

import pytest

from grassroots.models import DistrictUnion, UserRole
from grassroots.restructuring import NewUnit, units_merge
from tests.factories import make_user


@pytest.mark.django_db
def test_admin_moves_many_officers_at_once(org, users, client):
    units_merge(
        [org.unit_a],
        NewUnit("PTX", "Công đoàn phường Thanh Xuân", "HN", date(2025, 7, 1)),
        date(2025, 7, 1),
    )
    second = make_user("officer_a2", UserRole.Role.DISTRICT_OFFICER, org.unit_a)
    ward = DistrictUnion.objects.get(code="PTX")
    client.force_login(users.admin)
    roles = UserRole.objects.filter(district_union=org.unit_a)
    ids = [str(pk) for pk in roles.values_list("pk", flat=True)]
    page = client.post(
        "/quan-tri/grassroots/userrole/", {"action": "move_officers", "_selected_action": ids}
    )
    assert page.status_code == 200 and "officer_a2" in page.content.decode()
    done = client.post(
        "/quan-tri/grassroots/userrole/",
        {
            "action": "move_officers",
            "_selected_action": ids,
            "apply": "1",
            "district_union": ward.pk,
        },
    )
    assert done.status_code == 302
    assert set(UserRole.objects.filter(district_union=ward).values_list("user", flat=True)) == {
        users.officer_a.pk,
        second.pk,
    }
