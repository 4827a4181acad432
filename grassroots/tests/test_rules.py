"""One rule, one message: the same bad value refused by the form or the service and by the CĐCS
or targets import, in the same words (the import adds only its row and column;
grassroots/rules.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from grassroots.forms import GrassrootsForm
from grassroots.models import AnnualTarget
from grassroots.rules import MAX_YEAR, MIN_YEAR, target_fields, year_problem
from grassroots.services import grassroots_found, grassroots_move, grassroots_update
from grassroots.targets import targets_save
from imports.engine import run_import
from imports.tests.importfiles import GRASSROOTS_HEADERS, TARGET_HEADERS, write_xlsx
from reports.periods import PeriodError, parse_year

pytestmark = pytest.mark.django_db
TARGETS_URL = "/cdcs/chi-tieu/"


def one_error(tmp_path, kind, headers, row, user) -> tuple[str, str]:
    path = write_xlsx(tmp_path / f"{kind}.xlsx", headers, [row])
    outcome = run_import(kind, path, user=user, commit=False)
    assert [e.row for e in outcome.errors] == [2], outcome.errors
    return outcome.errors[0].column, outcome.errors[0].message


def grassroots_row(org, **values) -> list:
    row = {
        "code": "TX-NEW-1",
        "name": "Công đoàn Công ty Sao Mai",
        "unit": org.unit_a.code,
        "tax": "0101234567",
        "sector": "Doanh nghiệp ngoài nhà nước",
        "workers": 40,
        "founded": date(2024, 3, 15),
    }
    row.update(values)
    return list(row.values())


def test_founding_in_the_future(org, users, tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = GrassrootsForm(
        {
            "name": "Công đoàn Sao Mai",
            "code": "TX-NEW-1",
            "tax_code": "",
            "sector": "private_enterprise",
            "workers": "40",
            "founded_on": tomorrow.strftime("%d/%m/%Y"),
            "district_union": str(org.unit_a.pk),
        },
        user=users.officer_a,
    )
    assert not form.is_valid()
    with pytest.raises(ValidationError) as raised:
        grassroots_found(
            district_union=org.unit_a,
            code="TX-NEW-1",
            name="Công đoàn Sao Mai",
            sector="private_enterprise",
            workers=40,
            founded_on=tomorrow,
        )
    imported = one_error(
        tmp_path,
        "grassroots",
        GRASSROOTS_HEADERS,
        grassroots_row(org, founded=tomorrow),
        users.admin,
    )
    expected = "Ngày thành lập không được ở tương lai."
    assert form.errors["founded_on"] == [expected]
    assert raised.value.message_dict["founded_on"] == [expected]
    assert imported == ("Ngày thành lập", expected)


def test_founding_moved_after_the_first_member(org, users, tmp_path):
    g = org.grassroots_a  # founded 01/03/2019, member_a admitted 01/06/2020
    with pytest.raises(ValidationError) as raised:
        grassroots_update(grassroots=g, founded_on=date(2021, 1, 1))
    row = grassroots_row(
        org,
        code=g.code,
        name=g.name,
        tax=g.tax_code,
        sector=g.get_sector_display(),
        workers=g.workers,
        founded=date(2021, 1, 1),
    )
    imported = one_error(tmp_path, "grassroots", GRASSROOTS_HEADERS, row, users.officer_a)
    expected = "Đã có đoàn viên vào CĐCS ngày 01/06/2020, trước ngày thành lập này."
    assert raised.value.message_dict["founded_on"] == [expected]
    assert imported == ("Ngày thành lập", expected)


def test_founding_moved_after_the_first_move(org, users, tmp_path):
    g = org.grassroots_b  # founded 01/03/2019, member_b admitted 01/06/2020
    grassroots_move(grassroots=g, district_union=org.unit_a, on=date(2020, 1, 1))
    g.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        grassroots_update(grassroots=g, founded_on=date(2020, 2, 1))
    row = grassroots_row(
        org,
        code=g.code,
        name=g.name,
        tax=g.tax_code,
        sector=g.get_sector_display(),
        workers=g.workers,
        founded=date(2020, 2, 1),
    )
    imported = one_error(tmp_path, "grassroots", GRASSROOTS_HEADERS, row, users.officer_a)
    expected = "Ngày thành lập phải trước ngày chuyển sang đơn vị cấp trên khác (01/01/2020)."
    assert raised.value.message_dict["founded_on"] == [expected]
    assert imported == ("Ngày thành lập", expected)


@pytest.mark.parametrize("tax", ["101234567", "01012345", "0101234567-1"])
def test_tax_code(org, users, tmp_path, tax):
    form = GrassrootsForm(
        {
            "name": "Công đoàn Sao Mai",
            "code": "TX-NEW-1",
            "tax_code": tax,
            "sector": "private_enterprise",
            "workers": "40",
            "founded_on": "15/03/2024",
            "district_union": str(org.unit_a.pk),
        },
        user=users.officer_a,
    )
    assert not form.is_valid()
    imported = one_error(
        tmp_path, "grassroots", GRASSROOTS_HEADERS, grassroots_row(org, tax=tax), users.admin
    )
    assert imported == ("Mã số thuế", form.errors["tax_code"][0])
    if len(tax) == 9:  # the Excel hint, in the form too now
        assert "có thể Excel đã bỏ mất số 0 ở đầu" in imported[1]


# ----- targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [MIN_YEAR - 1, MAX_YEAR + 1])
def test_target_year_bounds(org, users, tmp_path, year):
    with pytest.raises(ValidationError) as raised:
        targets_save(user=users.staff, federation=org.federation, year=year, values={})
    imported = one_error(
        tmp_path, "targets", TARGET_HEADERS, [org.unit_a.code, year, 1, 1, 1], users.staff
    )
    expected = f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}."
    assert raised.value.messages == [expected]
    assert imported == ("Năm", expected)
    assert year_problem(year) == expected
    # The reports' year and the targets page's year parameter use the same bounds.
    with pytest.raises(PeriodError):
        parse_year(str(year))
    parse_year(str(MIN_YEAR))
    response = staff_client(users).get(TARGETS_URL, {"year": year})
    assert f"Năm “{year}” không hợp lệ" in response.content.decode()


def staff_client(users) -> Client:
    client = Client()
    client.force_login(users.staff)
    return client


@pytest.mark.parametrize(
    ("typed", "cell"),
    [("-3", -3), ("nhiều", "nhiều"), ("10000001", 10_000_001)],
)
def test_target_values(org, users, tmp_path, typed, cell):
    client = staff_client(users)
    a = f"u{org.unit_a.pk}"
    fields = {
        f"{key}-{name}": "1"
        for key in (f"f{org.federation.pk}", a, f"u{org.unit_b.pk}")
        for name, _ in target_fields()
    }
    fields[f"{a}-new_members"] = typed
    response = client.post(
        TARGETS_URL, {**fields, "year": "2024", "lien_doan": org.federation.code}
    )
    imported = one_error(
        tmp_path, "targets", TARGET_HEADERS, [org.unit_a.code, 2024, cell, 1, 1], users.staff
    )
    column, message = imported
    assert column == "Chỉ tiêu kết nạp đoàn viên"
    # The page names the unit first; the words after it are the import's.
    assert f"{org.unit_a.name}: {message}".replace("'", "&#x27;") in response.content.decode()
    assert not AnnualTarget.objects.exists()
