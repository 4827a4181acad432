"""One rule, one message: the same bad value refused by the form or the service and by the member
import, in the same words (the import adds only its row and column; members/rules.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grassroots.services import grassroots_dissolve
from imports.engine import run_import
from imports.tests.importfiles import MEMBER_HEADERS, member_row, write_xlsx
from members.forms import MemberForm, MemberLeaveForm
from members.rules import (
    admission_age_problem,
    admission_checked_here,
    day_in_grassroots_problem,
    leaving_day_problem,
    unknown_reason_message,
)
from members.services import member_admit, member_leave, member_transfer
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db


def import_error(tmp_path, users, **row) -> tuple[str, str]:
    """(column, message) of the one error of a one-row member file imported by officer_a."""
    path = write_xlsx(tmp_path / "m.xlsx", MEMBER_HEADERS, [member_row(**row)])
    outcome = run_import("members", path, user=users.officer_a, commit=False)
    assert [e.row for e in outcome.errors] == [2], outcome.errors
    return outcome.errors[0].column, outcome.errors[0].message


def service_error(field: str, call, **kwargs) -> str:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict[field][0]


def admit(org, users, **fields):
    data = {
        "user": users.officer_a,
        "grassroots": org.grassroots_a,
        "joined_on": date(2024, 7, 15),
        "cccd": "001090000777",
        "full_name": "Nguyễn Văn An",
        "gender": "male",
        "birth_date": date(1990, 3, 5),
    }
    data.update(fields)
    return data


def member_form(org, users, **fields) -> MemberForm:
    data = {
        "full_name": "Nguyễn Văn An",
        "gender": "male",
        "birth_date": "05/03/1990",
        "cccd": "001090000777",
        "phone": "",
        "grassroots": str(org.grassroots_a.pk),
        "joined_on": "15/07/2024",
    }
    data.update(fields)
    form = MemberForm(data, user=users.officer_a)
    assert not form.is_valid()
    return form


def test_admission_age(org, users, tmp_path):
    expected = admission_age_problem(date(2015, 1, 1), date(2024, 7, 1))
    form = member_form(org, users, birth_date="01/01/2015", joined_on="01/07/2024")
    service = service_error(
        "birth_date",
        member_admit,
        **admit(org, users, birth_date=date(2015, 1, 1), joined_on=date(2024, 7, 1)),
    )
    imported = import_error(
        tmp_path,
        users,
        code=org.grassroots_a.code,
        birth=date(2015, 1, 1),
        joined=date(2024, 7, 1),
    )
    assert form.errors["birth_date"] == [expected]
    assert service == expected
    assert imported == ("Ngày sinh", expected)
    assert "phải đủ 15 tuổi vào ngày kết nạp" in expected


def test_admission_before_the_founding(org, users, tmp_path):
    day = date(2019, 2, 28)  # the CĐCS was founded on 01/03/2019
    form = member_form(org, users, joined_on="28/02/2019")
    service = service_error("joined_on", member_admit, **admit(org, users, joined_on=day))
    imported = import_error(tmp_path, users, code=org.grassroots_a.code, joined=day)
    expected = "Ngày kết nạp (28/02/2019) trước ngày thành lập CĐCS (01/03/2019)."
    assert form.errors["joined_on"] == [expected]
    assert service == expected
    assert imported == ("Ngày kết nạp", expected)


def test_admission_after_the_dissolution(org, users, tmp_path):
    grassroots = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2020, 1, 1))
    grassroots_dissolve(grassroots=grassroots, on=date(2023, 1, 1), reason="Giải thể")
    grassroots.refresh_from_db()
    service = service_error(
        "joined_on",
        member_admit,
        **admit(org, users, grassroots=grassroots, joined_on=date(2023, 2, 1)),
    )
    imported = import_error(tmp_path, users, code=grassroots.code, joined=date(2023, 2, 1))
    expected = f"CĐCS '{grassroots.code}' đã giải thể từ ngày 01/01/2023."
    assert service == expected
    assert imported == ("Ngày kết nạp", expected)


def test_admission_in_the_future(org, users, tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = member_form(org, users, joined_on=tomorrow.strftime("%d/%m/%Y"))
    service = service_error("joined_on", member_admit, **admit(org, users, joined_on=tomorrow))
    imported = import_error(tmp_path, users, code=org.grassroots_a.code, joined=tomorrow)
    expected = "Ngày kết nạp không được ở tương lai."
    assert form.errors["joined_on"] == [expected]
    assert service == expected
    assert imported == ("Ngày kết nạp", expected)
    assert expected == day_in_grassroots_problem(
        tomorrow,
        founded_on=date(2019, 3, 1),
        dissolved_on=None,
        code="X",
        today=timezone.localdate(),
    )


def test_leaving_before_the_stay_began(org, users, tmp_path):
    member = org.member_a  # admitted 01/06/2020
    service = service_error(
        "on",
        member_leave,
        user=users.officer_a,
        member=member,
        on=date(2020, 1, 1),
        reason="retirement",
    )
    imported = import_error(
        tmp_path,
        users,
        code=org.grassroots_a.code,
        joined=date(2020, 6, 1),
        left=date(2020, 1, 1),
        reason="Nghỉ hưu",
    )
    expected = leaving_day_problem(
        date(2020, 1, 1), start_on=date(2020, 6, 1), today=timezone.localdate()
    )
    assert service == expected
    assert imported == ("Ngày ra khỏi công đoàn", expected)
    assert expected == (
        "Ngày ra khỏi công đoàn (01/01/2020) không được trước ngày 01/06/2020 (bắt đầu sinh hoạt "
        "tại CĐCS hiện tại)."
    )


def test_leaving_in_the_future(org, users, tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    service = service_error(
        "on",
        member_leave,
        user=users.officer_a,
        member=org.member_a,
        on=tomorrow,
        reason="retirement",
    )
    form = MemberLeaveForm(
        {"on": tomorrow.strftime("%d/%m/%Y"), "reason": "retirement", "version": 1},
        member=org.member_a,
    )
    assert not form.is_valid()
    imported = import_error(
        tmp_path, users, code=org.grassroots_a.code, left=tomorrow, reason="Nghỉ hưu"
    )
    expected = "Ngày ra khỏi công đoàn không được ở tương lai."
    assert service == expected
    assert form.errors["on"] == [expected]
    assert imported == ("Ngày ra khỏi công đoàn", expected)


def test_unknown_leaving_reason(org, users, tmp_path):
    form = MemberLeaveForm(
        {"on": "30/06/2024", "reason": "Bỏ đi", "version": 1}, member=org.member_a
    )
    assert not form.is_valid()
    service = service_error(
        "reason",
        member_leave,
        user=users.officer_a,
        member=org.member_a,
        on=date(2024, 6, 30),
        reason="Bỏ đi",
    )
    imported = import_error(
        tmp_path, users, code=org.grassroots_a.code, left=date(2024, 8, 1), reason="Bỏ đi"
    )
    expected = unknown_reason_message("Bỏ đi")
    assert form.errors["reason"] == [expected]
    assert service == expected
    assert imported == ("Lý do", expected)
    assert expected.startswith("Lý do 'Bỏ đi' không có trong danh sách: Chuyển công tác, ")


def test_leaving_without_a_reason(org, users, tmp_path):
    form = MemberLeaveForm({"on": "30/06/2024", "reason": "", "version": 1}, member=org.member_a)
    assert not form.is_valid()
    imported = import_error(tmp_path, users, code=org.grassroots_a.code, left=date(2024, 8, 1))
    assert form.errors["reason"] == ["Cần nhập lý do ra khỏi công đoàn."]
    assert imported == ("Lý do", "Cần nhập lý do ra khỏi công đoàn.")


@pytest.mark.parametrize(
    "cccd",
    [
        "01090012345",  # Excel dropped the leading zero
        "1090012345",
        "12345",
        "00109001234X",
    ],
)
def test_cccd(org, users, tmp_path, cccd):
    form = member_form(org, users, cccd=cccd)
    service = service_error("cccd", member_admit, **admit(org, users, cccd=cccd))
    imported = import_error(tmp_path, users, code=org.grassroots_a.code, cccd=cccd)
    assert form.errors["cccd"] == [service]
    if cccd.isdigit() and len(cccd) in (10, 11):
        # Same rule, said for where the value came from: Excel's lost zeros only in a file.
        head = f"Số CCCD có {len(cccd)} chữ số:"
        assert service.startswith(head) and "Excel" not in service
        assert imported[0] == "Số CCCD" and imported[1].startswith(head)
        assert "Excel đã bỏ mất số 0" in imported[1]
    else:
        assert imported == ("Số CCCD", service)


@pytest.mark.parametrize("phone", ["12345", "09123456789012", "abc"])
def test_phone(org, users, tmp_path, phone):
    form = member_form(org, users, phone=phone)
    service = service_error("phone", member_admit, **admit(org, users, phone=phone))
    imported = import_error(tmp_path, users, code=org.grassroots_a.code, phone=phone)
    expected = "Số điện thoại không hợp lệ (ví dụ 0912345678)."
    assert form.errors["phone"] == [expected]
    assert service == expected
    assert imported == ("Số điện thoại", expected)


def test_a_moved_members_admission_is_checked_in_the_cdcs_of_the_admission(
    org, users, client, tmp_path
):
    """Re-importing the portal's own export: a member admitted on 01/06/2020 who moved to a CĐCS
    founded in 2022 is unchanged, not "admitted before the founding" (members.rules.
    admission_checked_here); a new member on that day in that CĐCS still is."""
    younger = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2022, 1, 1))
    member_transfer(
        user=users.officer_a, member=org.member_a, to_grassroots=younger, on=date(2022, 6, 1)
    )
    client.force_login(users.officer_a)
    export = client.get(reverse("members:member-export", args=["xlsx"]))
    path = tmp_path / "doan-vien.xlsx"
    path.write_bytes(b"".join(export.streaming_content))
    outcome = run_import("members", path, user=users.officer_a, commit=False)
    assert outcome.ok, outcome.errors
    assert outcome.counts.unchanged == 1 and outcome.counts.new == 0

    new = import_error(
        tmp_path, users, code=younger.code, joined=date(2020, 6, 1), cccd="001090000778"
    )
    assert new == (
        "Ngày kết nạp",
        "Ngày kết nạp (01/06/2020) trước ngày thành lập CĐCS (01/01/2022).",
    )
    assert admission_checked_here(date(2020, 6, 1), registered_joined_on=None)
    assert not admission_checked_here(date(2020, 6, 1), registered_joined_on=date(2020, 6, 1))
