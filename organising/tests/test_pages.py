"""The organising pages as a user notices them: the list and its filters, the detail, stage
change, contact log, assignment, "my enterprises", exports (recorded), the import, out-of-scope
404; and query counts of the headroom page and the list, constant at 1 and 25 units/rows."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grassroots.models import UserRole
from members.models import AccessLog
from organising.models import Enterprise, Stage
from organising.selectors import headroom_for
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    TargetFactory,
    make_enterprise,
    make_user,
)

pytestmark = pytest.mark.django_db


def _enterprise(unit, n, **extra):
    return make_enterprise(unit, n, **extra)


def _names(response) -> set[str]:
    return {e.name for e in response.context["object_list"]}


# --- query counts ---------------------------------------------------------------------------


def _federation(units: int):
    federation = FederationFactory()
    year = timezone.localdate().year
    for _ in range(units):
        unit = DistrictUnionFactory(federation=federation)
        TargetFactory(district_union=unit, year=year)
        for n in range(3):
            _enterprise(
                unit,
                n,
                workers=10 + 10 * n,
                stage=[Stage.NOT_CONTACTED, Stage.CONTACTED, Stage.COMMITTEE][n],
            )
    return federation


@pytest.mark.parametrize("units", [1, 25])
def test_headroom_selector_queries(units, django_assert_num_queries):
    federation = _federation(units)
    staff = make_user(f"staff{units}", UserRole.Role.FEDERATION_STAFF, federation)
    today = timezone.localdate()
    # 1 the scope (role), 2 the units in scope, 3 the enterprises grouped by unit, stage, linked,
    # 25+, converted and furthest step, 4 the units' CĐCS targets, 5 the CĐCS founded in the
    # year per unit, 6 the federation's own target.
    with django_assert_num_queries(6):
        page = headroom_for(staff, year=today.year, today=today)
    assert len(page.rows) == units
    assert page.total.without_union == 3 * units and page.total.without_union_25 == units


@pytest.mark.parametrize("units", [1, 25])
def test_headroom_page_queries(units, client, django_assert_num_queries):
    federation = _federation(units)
    client.force_login(make_user(f"staff{units}", UserRole.Role.FEDERATION_STAFF, federation))
    url = reverse("organising:headroom")
    client.get(url)
    # session, user, role (scope); the selector's units, enterprise groups, targets, CĐCS
    # founded, federation targets; the session save (savepoint, update, release).
    with django_assert_num_queries(HEADROOM_PAGE_QUERIES):
        response = client.get(url)
    assert len(response.context["rows"]) == units
    assert response["Cache-Control"].count("no-store")


@pytest.mark.parametrize("rows", [1, 25])
def test_enterprise_list_queries(rows, org, users, client, django_assert_num_queries):
    for n in range(rows):
        _enterprise(org.unit_a, n, officer=users.officer_a)
    client.force_login(users.officer_a)
    url = reverse("organising:enterprise-list")
    client.get(url)
    # session, user, role (scope); the page of enterprises with unit, officer and CĐCS (one
    # query, the capped paginator counts the rows it fetched); the filter form's officer
    # choices; the session save (savepoint, update, release).
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert len(response.context["object_list"]) == rows


HEADROOM_PAGE_QUERIES = 11
LIST_QUERIES = 8


# --- pages and actions ----------------------------------------------------------------------


@pytest.fixture
def register(org, users):
    today = timezone.localdate()
    return {
        "big": _enterprise(org.unit_a, 1, name="Công ty May Thành Công", workers=120, women=80),
        "small": _enterprise(org.unit_a, 2, name="Công ty In Ánh Dương", workers=10),
        "committee": _enterprise(
            org.unit_a,
            3,
            name="Công ty Cơ khí Hoàng Long",
            workers=60,
            stage=Stage.COMMITTEE,
            stage_on=today,
            officer=users.officer_a,
        ),  # fmt: skip
        "closed": _enterprise(
            org.unit_a, 4, name="Công ty Đã Giải Thể", workers=40, stage=Stage.CLOSED
        ),
        "other": _enterprise(org.unit_b, 5, name="Công ty Cầu Giấy", workers=50),
    }


def test_list_filters_as_the_officer_sees_them(register, users, client):
    client.force_login(users.officer_a)
    url = reverse("organising:enterprise-list")
    everything = _names(client.get(url))
    assert "Công ty Cầu Giấy" not in everything and "Công ty May Thành Công" in everything
    assert _names(client.get(url, {"plus25": "on", "no_union": "on"})) == {
        "Công ty May Thành Công",
        "Công ty Cơ khí Hoàng Long",
    }
    assert _names(client.get(url, {"stage": Stage.COMMITTEE})) == {"Công ty Cơ khí Hoàng Long"}
    assert _names(client.get(url, {"q": "thanh cong"})) == {"Công ty May Thành Công"}  # no accents
    assert _names(client.get(url, {"officer": users.officer_a.pk})) == {"Công ty Cơ khí Hoàng Long"}
    response = client.get(url, {"converted_year": "abc"})
    assert "Năm phải là một số" in response.content.decode()
    # "My enterprises": only the ones assigned to me.
    assert _names(client.get(reverse("organising:enterprise-mine"))) == {
        "Công ty Cơ khí Hoàng Long"
    }


def test_federation_staff_see_every_unit_and_change_nothing(register, users, client):
    client.force_login(users.staff)
    names = _names(client.get(reverse("organising:enterprise-list")))
    assert {"Công ty Cầu Giấy", "Công ty May Thành Công"} <= names
    e = register["big"]
    response = client.post(
        reverse("organising:enterprise-stage", args=[e.pk]),
        {"stage": Stage.CONTACTED, "on": "01/02/2025", "note": ""},
    )
    assert response.status_code == 404
    e.refresh_from_db()
    assert e.stage == Stage.NOT_CONTACTED


def test_detail_stage_contact_assign_as_the_officer_works_them(register, users, client):
    client.force_login(users.officer_a)
    e = register["big"]
    detail = reverse("organising:enterprise-detail", args=[e.pk])
    page = client.get(detail)
    text = page.content.decode()
    assert "Công ty May Thành Công" in text and "Chưa tiếp cận" in text and "nữ 80" in text
    assert "no-store" in page["Cache-Control"]  # the contact log names people
    # Assign to myself: it shows on "Doanh nghiệp của tôi".
    response = client.post(
        reverse("organising:enterprise-assign", args=[e.pk]),
        {"officer": users.officer_a.pk, "on": "03/02/2025"},
    )
    assert response.status_code == 302 and response["Location"] == detail
    assert "Công ty May Thành Công" in _names(client.get(reverse("organising:enterprise-mine")))
    # A visit: logged with its date, the people met and the outcome; the first one moves it on.
    response = client.post(
        reverse("organising:enterprise-contact", args=[e.pk]),
        {
            "on": "05/02/2025",
            "people": "Ông Nguyễn Văn An, giám đốc",
            "outcome": "Hẹn họp công nhân",
        },
    )
    assert response.status_code == 302
    text = client.get(detail).content.decode()
    assert "Ông Nguyễn Văn An, giám đốc" in text and "05/02/2025" in text
    e.refresh_from_db()
    assert e.stage == Stage.CONTACTED
    # A step with its date and note, on the timeline.
    response = client.post(
        reverse("organising:enterprise-stage", args=[e.pk]),
        {"stage": Stage.COMMITTEE, "on": "10/02/2025", "note": "Bầu ban vận động 5 người"},
    )
    assert response.status_code == 302
    text = client.get(detail).content.decode()
    assert "Đã thành lập ban vận động" in text and "Bầu ban vận động 5 người" in text
    change = e.stage_changes.get(stage=Stage.COMMITTEE)
    assert (change.on, change.by, change.previous) == (
        date(2025, 2, 10),
        users.officer_a,
        Stage.CONTACTED,
    )
    # A date in the future is refused with a message, nothing changes.
    response = client.post(
        reverse("organising:enterprise-stage", args=[e.pk]),
        {"stage": Stage.REFUSED, "on": "01/01/2100", "note": "x"},
    )
    assert response.status_code == 200
    e.refresh_from_db()
    assert e.stage == Stage.COMMITTEE


def test_out_of_scope_ids_answer_404(register, users, client):
    client.force_login(users.officer_b)
    e = register["big"]
    for name in ("enterprise-detail", "enterprise-stage", "enterprise-assign", "enterprise-contact",
                 "enterprise-notes", "enterprise-found"):  # fmt: skip
        assert client.get(reverse(f"organising:{name}", args=[e.pk])).status_code == 404, name
    response = client.post(
        reverse("organising:enterprise-contact", args=[e.pk]),
        {"on": "05/02/2025", "people": "X", "outcome": "Y"},
    )
    assert response.status_code == 404 and not e.contacts.exists()
    assert client.get(reverse("organising:enterprise-detail", args=[999999])).status_code == 404
    assert "Công ty May Thành Công" not in _names(client.get(reverse("organising:enterprise-list")))


def test_exports_are_downloads_recorded_in_the_access_log(register, users, client):
    client.force_login(users.officer_a)
    response = client.get(reverse("organising:enterprise-export"), {"plus25": "on"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    log = AccessLog.objects.get(user=users.officer_a, action=AccessLog.Action.EXPORT)
    assert log.row_count == 3  # big, committee, closed (25+, of unit A)
    response = client.get(reverse("organising:headroom-export"))
    assert response.status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 2


def test_headroom_page_shows_the_gap_sentence_and_links_to_lists(register, org, users, client):
    year = timezone.localdate().year
    TargetFactory(district_union=org.unit_a, year=year, new_grassroots=8)
    client.force_login(users.officer_a)
    text = client.get(reverse("organising:headroom")).content.decode()
    assert (
        "còn 8 CĐCS để đạt chỉ tiêu; có 2 doanh nghiệp từ 25 lao động chưa có CĐCS, 1 đã có ban vận động"
        in text
    )
    assert reverse("organising:enterprise-list") + "?" in text


def test_import_command_dry_run_then_real(org, users, tmp_path, capsys):
    path = tmp_path / "bhxh.csv"
    path.write_text(
        "STT,Mã số thuế,Tên doanh nghiệp,Số lao động,Lao động nữ,Ghi chú BHXH\n"
        '1,0108999001,Công ty Một,30 người,12,x\n2,0108999002-001,Chi nhánh Hai,"1.200",,y\n',
        encoding="utf-8-sig",
    )
    call_command("import_enterprises", str(path), "--dry-run", "--user", "officer_a")
    assert not Enterprise.objects.exists()
    call_command("import_enterprises", str(path), "--user", "officer_a")
    assert dict(Enterprise.objects.values_list("full_tax_code", "workers")) == {
        "0108999001": 30,
        "0108999002-001": 1200,
    }
    assert set(Enterprise.objects.values_list("district_union", flat=True)) == {org.unit_a.pk}
