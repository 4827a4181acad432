"""Finding 10 of issue 14: a CĐCS cannot be dissolved on a day before stays that end later."""

from datetime import date

from django.urls import reverse

from grassroots.access.scope import SYSTEM
from members import services as member_services
from members.models import Placement


def test_dissolution_refused_before_a_stay_that_ended_later(org, users, login):
    """Member A was transferred away on 01/03/2024; dissolving on 31/12/2023 would have the
    member in a dissolved CĐCS for two months (and count them there)."""
    member_services.member_transfer(
        user=SYSTEM, member=org.member_a, to_grassroots=org.grassroots_b, on=date(2024, 3, 1)
    )
    client = login(users.officer_a)
    response = client.post(
        reverse("grassroots:grassroots-dissolve", args=[org.grassroots_a.pk]),
        {"on": "31/12/2023", "reason": "Doanh nghiệp ngừng hoạt động"},
    )
    assert response.status_code == 200
    assert "đến ngày 01/03/2024, sau ngày giải thể" in response.content.decode()
    org.grassroots_a.refresh_from_db()
    assert org.grassroots_a.dissolved_on is None
    # On the day the stay ended (or later) it is accepted.
    response = client.post(
        reverse("grassroots:grassroots-dissolve", args=[org.grassroots_a.pk]),
        {"on": "01/03/2024", "reason": "Doanh nghiệp ngừng hoạt động"},
    )
    assert response.status_code == 302
    assert (
        Placement.objects.filter(grassroots=org.grassroots_a, end_on__gt=date(2024, 3, 1)).count()
        == 0
    )
