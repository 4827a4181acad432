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
    assert (
        target.value("new_members"),
        target.value("new_grassroots"),
        target.value("new_grassroots_25plus"),
    ) == (
        6500,
        20,
        15,
    )
    assert (
        AnnualTarget.objects.get(federation=org.federation, year=2025).value("new_members") == 50000
    )
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
    assert AnnualTarget.objects.get(district_union=org.unit_b).value("new_members") == 100


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


def test_targets_show_thousands_separators_and_read_them_back(org, users, login):
    TargetFactory(district_union=org.unit_a, year=2025, new_members=21710)
    client = login(users.staff)
    page = client.get(URL + "?year=2025")
    assert 'value="21.710"' in page.text and "21710" not in page.text
    a = f"u{org.unit_a.pk}"
    data = post_data(
        org,
        **{
            f"{a}-new_members": "32.500",
            f"{a}-new_grassroots": "20",
            f"{a}-new_grassroots_25plus": "1.015",
        },
    )
    assert client.post(URL, data).status_code == 302
    target = AnnualTarget.objects.get(district_union=org.unit_a, year=2025)
    assert (target.value("new_members"), target.value("new_grassroots_25plus")) == (32500, 1015)


def test_every_target_input_is_named_for_screen_readers(org, users, login):
    page = login(users.staff).get(URL + "?year=2025").text
    key = f"u{org.unit_a.pk}-new_members"
    assert f'aria-label="{org.unit_a.name}: Kết nạp đoàn viên"' in page
    assert page.count("aria-label=") >= 3 * 3 and f'name="{key}"' in page


def test_units_are_listed_in_vietnamese_order(org, users, login):
    from tests.factories import DistrictUnionFactory

    for name in ("LĐLĐ quận Đống Đa", "LĐLĐ quận Ba Đình", "LĐLĐ quận Zeta", "LĐLĐ quận Ánh"):
        DistrictUnionFactory(federation=org.federation, name=name)
    page = login(users.staff).get(URL + "?year=2025").text
    order = [page.index(n) for n in ("quận Ánh", "quận Ba Đình", "quận Đống Đa", "quận Zeta")]
    assert order == sorted(order)


def _reform(org):
    from datetime import date

    from grassroots.models import DistrictUnion
    from grassroots.restructuring import unit_end, units_found

    unit_end(org.unit_a, date(2025, 6, 30), to_federation=True)
    units_found(
        org.federation,
        [("P1", "Công đoàn phường Một", DistrictUnion.Kind.COMMUNE)],
        date(2025, 10, 1),
    )
    return DistrictUnion.objects.get(code="P1")


def test_units_of_part_of_the_year_get_targets_and_the_federation_keeps_its_own(org, users, login):
    own = TargetFactory(federation=org.federation, year=2025, new_members=9000)
    TargetFactory(district_union=org.unit_a, year=2025, new_members=3000)
    ward = _reform(org)
    client = login(users.staff)
    page = client.get(URL + "?year=2025").text
    assert "LĐLĐ quận Thanh Xuân (kết thúc 30/06/2025)" in page
    assert "Công đoàn phường Một (từ 01/10/2025)" in page
    assert "Công đoàn phường Một" not in client.get(URL + "?year=2024").text
    later = client.get(URL + "?year=2026").text
    assert "LĐLĐ quận Thanh Xuân" not in later and "Công đoàn phường Một" in later
    # The ward gets the rest of 2025's targets; the ended unit keeps its own.
    w = f"u{ward.pk}"
    data = post_data(
        org,
        **{
            f"u{org.unit_a.pk}-new_members": "3000",
            f"u{org.unit_a.pk}-new_grassroots": "1",
            f"u{org.unit_a.pk}-new_grassroots_25plus": "1",
            f"{w}-new_members": "400",
            f"{w}-new_grassroots": "2",
            f"{w}-new_grassroots_25plus": "1",
            f"f{org.federation.pk}-new_members": "9000",
            f"f{org.federation.pk}-new_grassroots": str(own.value("new_grassroots")),
            f"f{org.federation.pk}-new_grassroots_25plus": str(own.value("new_grassroots_25plus")),
        },
    )
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    assert AnnualTarget.objects.get(district_union=ward, year=2025).value("new_members") == 400
    assert (
        AnnualTarget.objects.get(district_union=org.unit_a, year=2025).value("new_members") == 3000
    )
    own.refresh_from_db()
    assert own.value("new_members") == 9000  # the federation's own target did not change


def test_no_target_for_a_year_the_unit_did_not_exist(org, users):
    from django.core.exceptions import ValidationError

    from grassroots.targets import targets_save

    ward = _reform(org)
    with pytest.raises(ValidationError, match="thành lập ngày 01/10/2025: không có chỉ tiêu năm"):
        targets_save(
            user=users.staff, federation=org.federation, year=2024, values={ward: (1, 1, 1)}
        )


def test_a_declared_indicator_gets_a_column_and_its_own_target(org, users, login):
    from grassroots.indicators import Counting, Indicator, declared

    trained = Indicator(
        "trainees_reported", "Cán bộ CĐCS được tập huấn", "cán bộ", Counting.REPORTED
    )
    client = login(users.staff)
    a = f"u{org.unit_a.pk}"
    with declared(trained):
        page = client.get(URL + "?year=2026")
        assert "Cán bộ CĐCS được tập huấn" in page.text
        assert f'name="{a}-trainees_reported"' in page.text
        # Only the new indicator: the first three stay without a target.
        response = client.post(
            URL, post_data(org, year=2026, **{f"{a}-trainees_reported": "1.160"})
        )
        assert response.status_code == 302
        target = AnnualTarget.objects.get(district_union=org.unit_a, year=2026)
        assert target.figures() == {"trainees_reported": 1160}
        assert 'value="1.160"' in client.get(URL + "?year=2026").text
        bad = client.post(URL, post_data(org, year=2026, **{f"{a}-trainees_reported": "-3"}))
        assert "Chỉ tiêu cán bộ CĐCS được tập huấn" in bad.text
        assert target.figures() == {"trainees_reported": 1160}
        # Blank again: no target left for the unit.
        client.post(URL, post_data(org, year=2026, **{f"{a}-trainees_reported": ""}))
        assert not AnnualTarget.objects.filter(district_union=org.unit_a, year=2026).exists()
