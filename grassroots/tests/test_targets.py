"""The targets page: federation staff set their units' and federation's targets for a year."""

import pytest

from grassroots.models import AnnualTarget
from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db
URL = "/cdcs/chi-tieu/"


def post_data(org, year=2025, **overrides):
    data = {"year": year, "lien_doan": org.federation.code}
    for key in (f"f{org.federation.pk}", f"u{org.unit_a.pk}", f"u{org.unit_b.pk}"):
        data |= {
            f"{key}-new_members": "",
            f"{key}-new_grassroots": "",
            f"{key}-new_grassroots_25plus": "",
        }
    data |= overrides
    return data


def test_staff_set_unit_and_federation_targets(org, users, login):
    client = login(users.staff)
    page = client.get(URL + "?year=2025")
    assert page.status_code == 200
    assert org.unit_a.name in page.text and org.unit_c.name not in page.text
    assert "Giao chỉ tiêu năm 2025" in page.text and 'value="2025" selected' in page.text
    a, f = f"u{org.unit_a.pk}", f"f{org.federation.pk}"
    response = client.post(
        URL,
        post_data(
            org,
            **{
                f"{a}-new_members": "6500",
                f"{a}-new_grassroots": "20",
                f"{a}-new_grassroots_25plus": "15",
            },
            **{
                f"{f}-new_members": "50000",
                f"{f}-new_grassroots": "300",
                f"{f}-new_grassroots_25plus": "150",
            },
        ),
    )
    assert response.status_code == 302
    target = AnnualTarget.objects.get(district_union=org.unit_a, year=2025)
    assert (target.new_members, target.new_grassroots, target.new_grassroots_25plus) == (
        6500,
        20,
        15,
    )
    assert AnnualTarget.objects.get(federation=org.federation, year=2025).new_members == 50000
    assert not AnnualTarget.objects.filter(district_union=org.unit_b).exists()  # left blank
    assert target.history.first().history_user == users.staff


def test_bad_input_saves_nothing_and_names_the_unit(org, users, login):
    TargetFactory(district_union=org.unit_b, year=2025, new_members=100)
    client = login(users.staff)
    a, b = f"u{org.unit_a.pk}", f"u{org.unit_b.pk}"
    response = client.post(
        URL,
        post_data(
            org,
            **{
                f"{a}-new_members": "10",
                f"{a}-new_grassroots": "-3",
                f"{a}-new_grassroots_25plus": "1",
            },
            **{
                f"{b}-new_members": "abc",
                f"{b}-new_grassroots": "1",
                f"{b}-new_grassroots_25plus": "1",
            },
        ),
    )
    assert response.status_code == 200
    # The import's words (grassroots.rules), after the unit's name.
    assert f"{org.unit_a.name}: Chỉ tiêu thành lập CĐCS không được âm." in response.text
    assert (
        f"{org.unit_b.name}: Chỉ tiêu kết nạp đoàn viên phải là số nguyên (ô này là &#x27;abc&#x27;)."
        in response.text
    )
    assert not AnnualTarget.objects.filter(district_union=org.unit_a).exists()
    assert AnnualTarget.objects.get(district_union=org.unit_b).new_members == 100


def test_half_filled_row_is_refused(org, users, login):
    client = login(users.staff)
    a = f"u{org.unit_a.pk}"
    response = client.post(URL, post_data(org, **{f"{a}-new_members": "10"}))
    assert "nhập đủ ba chỉ tiêu" in response.text
    assert not AnnualTarget.objects.exists()


def test_clearing_a_row_removes_the_target(org, users, login):
    TargetFactory(district_union=org.unit_a, year=2025)
    login(users.staff).post(URL, post_data(org))
    assert not AnnualTarget.objects.filter(district_union=org.unit_a, year=2025).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer_a", 404),
        ("norole", 404),
        ("staff", 200),
        ("other_staff", 200),
        ("admin", 200),
    ],
)
def test_who_may_open_the_page(org, users, login, role, status):
    assert login(getattr(users, role)).get(URL).status_code == status


def test_other_federation_staff_cannot_touch_this_federation(org, users, login):
    client = login(users.other_staff)
    page = client.get(URL + f"?lien_doan={org.federation.code}")
    assert org.unit_c.name in page.text and org.unit_a.name not in page.text  # falls back to own
    a = f"u{org.unit_a.pk}"
    client.post(
        URL,
        post_data(
            org,
            **{
                f"{a}-new_members": "1",
                f"{a}-new_grassroots": "1",
                f"{a}-new_grassroots_25plus": "1",
            },
        ),
    )
    assert not AnnualTarget.objects.filter(district_union=org.unit_a).exists()


def test_bad_year_is_a_message_not_a_crash(org, users, login):
    response = login(users.staff).get(URL + "?year=20x5", follow=True)
    assert response.status_code == 200
    assert "không hợp lệ" in response.text
