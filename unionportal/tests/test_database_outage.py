"""The database going away during traffic: a Vietnamese 503 page, nothing half-written, and the
portal recovers by itself once the database is back.

The real restart of PostgreSQL under load is tests/load/db_restart.sh (not in CI: it would
break the other test runs sharing the server). Here the outage is simulated: every new cursor
raises the error psycopg2 raises while the server restarts.
"""

import html
import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Member, Placement

OUTAGE_MESSAGES = (
    "terminating connection due to administrator command",
    'connection to server at "127.0.0.1", port 5432 failed: Connection refused',
)
VIETNAMESE_503 = "Hệ thống tạm thời gián đoạn"


@contextmanager
def database_down(message: str = OUTAGE_MESSAGES[1]):
    """Every query from now on fails as if the database server were down."""
    wrapper = type(connections["default"])
    with mock.patch.object(wrapper, "_cursor", side_effect=OperationalError(message)):
        yield


def _assert_503_page(response):
    assert response.status_code == 503
    body = response.content.decode()
    assert VIETNAMESE_503 in body
    assert "Thao tác vừa rồi chưa được lưu" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert "5432" not in body  # nothing of the error text reaches the user
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]


def _client(user) -> Client:
    # raise_request_exception=False: see what the browser would see, not the exception.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("message", OUTAGE_MESSAGES, ids=["terminated", "refused"])
@pytest.mark.parametrize(
    "url_name",
    ["home", "members:member-list", "grassroots:grassroots-list", "members:member-create"],
)
def test_pages_answer_the_vietnamese_503_page_during_an_outage(users, url_name, message):
    """The first query of a logged-in request is the session's, in middleware, before the view:
    the outage must give the 503 page there too, not a bare "Internal Server Error"."""
    client = _client(users.officer_a)
    with database_down(message):
        response = client.get(reverse(url_name))
    _assert_503_page(response)


def test_an_outage_inside_a_view_answers_the_503_page(users, monkeypatch):
    """The session loads fine; the view's own query fails (the middleware's process_exception)."""
    from members import views

    def broken(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.MemberListView, "get_queryset", broken)
    _assert_503_page(_client(users.officer_a).get(reverse("members:member-list")))


def test_session_that_cannot_be_saved_answers_the_503_page(users, monkeypatch):
    """Found by tests/load/db_restart.sh: the page was rendered, then saving the session (every
    request) failed; Django turns that into "session interrupted", a 400 in English."""
    from django.contrib.sessions.models import Session

    client = _client(users.officer_a)

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Session, "save", down)
    _assert_503_page(client.get(reverse("members:member-list")))


def test_a_bad_request_page_is_vietnamese(users, monkeypatch):
    from django.core.exceptions import SuspiciousOperation

    from members import views

    def suspicious(self):
        raise SuspiciousOperation("tampered")

    monkeypatch.setattr(views.MemberListView, "get_queryset", suspicious)
    response = _client(users.officer_a).get(reverse("members:member-list"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Yêu cầu không hợp lệ" in body and "tampered" not in body


def test_a_bug_is_still_a_500_not_a_503(users, monkeypatch):
    """Only database outages are 'try again later'; a programming error stays a 500 page."""
    from members import views

    def broken(self):
        raise ValueError("bug")

    monkeypatch.setattr(views.MemberListView, "get_queryset", broken)
    response = _client(users.officer_a).get(reverse("members:member-list"))
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()


def test_the_portal_works_again_when_the_database_is_back(users):
    client = _client(users.officer_a)
    with database_down():
        _assert_503_page(client.get(reverse("members:member-list")))
    # Same browser, same session: no new login needed.
    response = client.get(reverse("members:member-list"))
    assert response.status_code == 200
    assert "Nguyễn Văn Đạt" in response.content.decode()


def test_connections_are_health_checked():
    """A persistent connection killed by a restart is noticed and replaced, not reused."""
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _form_data(page_html: str) -> dict:
    """The values a browser would send back: every <input> with its value (hidden tokens)."""
    data = {}
    for tag in re.findall(r"<input\b[^>]*>", page_html):
        name = re.search(r'\bname="([^"]+)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name and 'type="radio"' not in tag and 'type="checkbox"' not in tag:
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return data


@pytest.mark.django_db(transaction=True)
def test_admission_cut_off_mid_transaction_leaves_nothing(org, users):
    """The connection dies after the member row was written but before the figures were
    updated (the last step of member_admit): the transaction rolls back as a whole."""
    client = _client(users.officer_a)
    page = client.get(reverse("members:member-create"))
    data = _form_data(page.content.decode())
    data.update(
        full_name="Phạm Thị Hoa",
        gender="female",
        birth_date="05/03/1990",
        cccd="001190000777",
        grassroots=str(org.grassroots_a.pk),
        joined_on=timezone.localdate().strftime("%d/%m/%Y"),
    )
    members_before = Member.objects.count()
    placements_before = Placement.objects.count()
    history_before = Member.history.count()

    def cut(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch("members.services.figures_touch", side_effect=cut) as touched:
        response = client.post(reverse("members:member-create"), data)
    assert touched.called, "the form did not reach the service: fix the test data"
    _assert_503_page(response)
    assert not Member.objects.filter(cccd="001190000777").exists()
    assert Member.objects.count() == members_before
    assert Placement.objects.count() == placements_before
    assert Member.history.count() == history_before

    # Once the database is back the officer resubmits the same form and it works once.
    response = client.post(reverse("members:member-create"), data)
    assert response.status_code == 302
    assert Member.objects.filter(cccd="001190000777").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_connection_is_replaced_on_the_next_request(org, users):
    """PostgreSQL ends the portal's connection (what a restart does to every open connection).
    The next request must not fail on the dead connection: CONN_HEALTH_CHECKS tests it at the
    first query of the request and opens a new one."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    import psycopg2

    client = _client(users.officer_a)
    assert client.get(reverse("members:member-list")).status_code == 200
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()

    killer = psycopg2.connect(**connection.get_connection_params())
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()

    # Request boundary, as in a real server (the test client leaves this signal out).
    close_old_connections()
    response = client.get(reverse("members:member-list"))
    assert response.status_code == 200
    assert "Nguyễn Văn Đạt" in response.content.decode()
    assert connection.connection.get_backend_pid() != pid
