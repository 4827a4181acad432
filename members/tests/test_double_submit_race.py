"""PostgreSQL only: the same admission form submitted twice at the same moment (a double click
on a slow connection). Both requests pass the "already saved?" check before either has written;
the unique CCCD lets one through, and the other lands on the member the first one created."""

import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from members import services
from members.models import Member, Placement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_submits_admit_once(org, users, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    url = reverse("members:member-create")
    first = Client()
    first.force_login(users.officer_a)
    page = first.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = {
        "full_name": "Vũ Thị Lan",
        "gender": "female",
        "birth_date": "05/03/1990",
        "cccd": "001190000555",
        "grassroots": org.grassroots_a.pk,
        "joined_on": "15/01/2024",
        "form_token": token,
        "action": "save",
    }
    # Hold both requests inside member_admit, past their checks, until both got there.
    barrier = threading.Barrier(2, timeout=20)
    original = services.cccd_taken_message

    def both_checked(cccd, user):
        answer = original(cccd, user)
        barrier.wait()
        return answer

    monkeypatch.setattr(services, "cccd_taken_message", both_checked)
    responses = {}

    def submit(name):
        client = Client()
        client.force_login(users.officer_a)
        try:
            responses[name] = client.post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    member = Member.objects.get(cccd="001190000555")
    assert Member.objects.filter(full_name="Vũ Thị Lan").count() == 1
    assert Placement.objects.filter(member=member).count() == 1
    detail = reverse("members:member-detail", args=[member.pk])
    assert [responses[n].status_code for n in ("one", "two")] == [302, 302]
    assert {responses[n].url for n in ("one", "two")} == {detail}
