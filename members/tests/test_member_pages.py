"""Member register pages as an officer uses them: admit (incl. save-and-admit-another and double
submits), edit (incl. two officers on one member), transfer, leave, rejoin, detail."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import AccessLog, LeaveReason, Member, Placement
from tests.factories import GrassrootsFactory, MemberFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("members:member-create")


def hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


def field_error(html: str, field: str) -> str:
    """The error text shown under one input (crispy: <div id="id_<field>_error">)."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error shown under {field}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def admit_data(org, **extra) -> dict:
    data = {
        "full_name": "  Phạm   Thị Hoa ",
        "gender": "female",
        "birth_date": "05/03/1990",
        "cccd": "001190000123",
        "phone": "0912 345 678",
        "occupation": "Công nhân",
        "card_number": "",
        "grassroots": str(org.grassroots_a.pk),
        "joined_on": "15/01/2024",
        "action": "save",
    }
    data.update(extra)
    return data


def snapshot():
    return (
        list(Member.objects.order_by("pk").values()),
        list(Placement.objects.order_by("pk").values()),
        Member.history.count(),
    )


# --- admit -----------------------------------------------------------------------------------


def test_admit_form_is_keyboard_friendly(org, users, login):
    html = login(users.officer_a).get(CREATE).content.decode()
    # the first field has the focus; dates say how to type them; every input has a label
    assert re.search(r'<input[^>]*name="full_name"[^>]*autofocus', html)
    assert html.count('placeholder="dd/mm/yyyy"') == 2
    for name in ("full_name", "birth_date", "cccd", "phone", "joined_on"):
        assert f'for="id_{name}"' in html
    assert 'id="btn-save-next"' in html and "Lưu và kết nạp tiếp" in html
    # only the officer's own CĐCS are offered
    assert org.grassroots_a.name in html
    assert org.grassroots_b.name not in html


def test_admit_normalises_and_shows_the_member(org, users, login):
    client = login(users.officer_a)
    response = client.post(CREATE, admit_data(org))
    member = Member.objects.get(cccd="001190000123")
    assert response.status_code == 302
    assert response.url == reverse("members:member-detail", args=[member.pk])
    assert member.full_name == "Phạm Thị Hoa"
    assert member.phone == "0912345678"
    assert member.joined_on == date(2024, 1, 15)
    assert member.birth_date == date(1990, 3, 5)  # dd/mm/yyyy, not mm/dd
    assert member.history.first().history_user == users.officer_a
    page = client.get(response.url).content.decode()
    assert "Đã kết nạp Phạm Thị Hoa" in page


def test_save_and_admit_another_keeps_grassroots_and_date(org, users, login):
    client = login(users.officer_a)
    second = GrassrootsFactory(district_union=org.unit_a, name="Công đoàn Công ty Delta")
    response = client.post(
        CREATE, admit_data(org, grassroots=str(second.pk), action="save_and_next")
    )
    member = Member.objects.get(cccd="001190000123")
    assert response.status_code == 302
    assert response.url.startswith(CREATE + "?")
    page = client.get(response.url).content.decode()
    # a fresh form: name empty and focused, but CĐCS and admission date kept
    assert re.search(rf'<option value="{second.pk}" selected>', page)
    assert 'name="joined_on" value="15/01/2024"' in page
    assert 'name="full_name" value=' not in page
    assert "Vừa kết nạp" in page and member.full_name in page
    # and the next one goes in with one more post
    token = hidden(page, "form_token")
    client.post(
        CREATE,
        admit_data(
            org,
            full_name="Lê Thu",
            cccd="001190000124",
            grassroots=str(second.pk),
            form_token=token,
            action="save_and_next",
        ),
    )
    assert Member.objects.filter(grassroots=second).count() == 2


def test_double_submitted_form_admits_once(org, users, login):
    client = login(users.officer_a)
    token = hidden(client.get(CREATE).content.decode(), "form_token")
    data = admit_data(org, form_token=token)
    first = client.post(CREATE, data)
    second = client.post(CREATE, data)  # the same form again (double click, back + submit)
    member = Member.objects.get(cccd="001190000123")
    assert Member.objects.filter(full_name="Phạm Thị Hoa").count() == 1
    assert Placement.objects.filter(member=member).count() == 1
    # the second submit lands on the member it created, not on an error
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert "Biểu mẫu này đã được lưu" in client.get(second.url).content.decode()


def test_same_cccd_in_a_new_form_is_refused_with_the_name(org, users, login):
    client = login(users.officer_a)
    response = client.post(CREATE, admit_data(org, cccd=org.member_a.cccd))
    assert response.status_code == 200
    assert "Số CCCD này đã là đoàn viên Nguyễn Văn Đạt" in response.content.decode()


def test_cccd_of_another_units_member_reveals_nothing(org, users, login):
    client = login(users.officer_a)
    before = snapshot()
    response = client.post(CREATE, admit_data(org, cccd=org.member_c.cccd))
    html = response.content.decode()
    assert "đã có trong hệ thống (đoàn viên thuộc đơn vị khác)" in html
    assert org.member_c.full_name not in html and org.grassroots_c.name not in html
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"cccd": "119000012"}, "cccd", "Số CCCD phải gồm đúng 12 chữ số."),
        # Typed in the form: no talk of Excel (that hint is the import's).
        ({"cccd": "1190000123"}, "cccd", "Số CCCD có 10 chữ số: cần nhập đủ 12 chữ số"),
        ({"cccd": "01190000123"}, "cccd", "Số CCCD có 11 chữ số: cần nhập đủ 12 chữ số"),
        ({"cccd": "00119000012A"}, "cccd", "Số CCCD phải gồm đúng 12 chữ số."),
        ({"cccd": "0011900001234"}, "cccd", "Số CCCD phải gồm đúng 12 chữ số."),
        # Digits of another script (here Arabic-Indic) are not the CCCD's ASCII digits.
        ({"cccd": "٠٠١١٩٠٠٠٠١٢٣"}, "cccd", "Số CCCD phải gồm đúng 12 chữ số."),
        ({"phone": "٠٩١٢٣٤٥٦٧٨"}, "phone", "Số điện thoại không hợp lệ"),
        ({"full_name": "   "}, "full_name", "Cần nhập họ và tên."),
        ({"gender": ""}, "gender", "Cần chọn giới tính."),
        ({"birth_date": "1990-13-45"}, "birth_date", "Ngày sinh phải có dạng dd/mm/yyyy"),
        ({"birth_date": "31/02/1990"}, "birth_date", "Ngày sinh phải có dạng dd/mm/yyyy"),
        ({"birth_date": "01/06/2010"}, "birth_date", "phải đủ 15 tuổi vào ngày kết nạp"),
        ({"joined_on": ""}, "joined_on", "Cần nhập ngày kết nạp."),
        ({"joined_on": "01/01/2019"}, "joined_on", "trước ngày thành lập CĐCS (01/03/2019)"),
        ({"phone": "12345"}, "phone", "Số điện thoại không hợp lệ"),
        ({"grassroots": ""}, "grassroots", "Cần chọn CĐCS."),
    ],
)
def test_bad_admission_input_is_explained_and_changes_nothing(
    org, users, login, change, field, message
):
    client = login(users.officer_a)
    before = snapshot()
    response = client.post(CREATE, admit_data(org, **change))
    assert response.status_code == 200
    assert message in field_error(response.content.decode(), field)
    assert snapshot() == before


def test_future_admission_date_is_refused(org, users, login):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    client = login(users.officer_a)
    before = snapshot()
    response = client.post(CREATE, admit_data(org, joined_on=tomorrow))
    assert "Ngày kết nạp không được ở tương lai." in response.content.decode()
    assert snapshot() == before


def test_cccd_pasted_with_spaces_is_kept_as_its_12_digits(org, users, login):
    login(users.officer_a).post(CREATE, admit_data(org, cccd="001 190 000 123"))
    assert Member.objects.filter(cccd="001190000123").exists()


def test_dates_typed_without_slashes_are_read_day_first(org, users, login):
    login(users.officer_a).post(
        CREATE, admit_data(org, birth_date="05031990", joined_on="02012024")
    )
    member = Member.objects.get(cccd="001190000123")
    assert (member.birth_date, member.joined_on) == (date(1990, 3, 5), date(2024, 1, 2))


def test_posting_another_units_grassroots_is_refused(org, users, login):
    before = snapshot()
    response = login(users.officer_a).post(
        CREATE, admit_data(org, grassroots=str(org.grassroots_b.pk))
    )
    assert "CĐCS đã chọn không thuộc đơn vị của bạn." in response.content.decode()
    assert snapshot() == before


def test_grassroots_preselected_from_a_link_only_when_writable(org, users, login):
    client = login(users.officer_a)
    html = client.get(CREATE + f"?grassroots={org.grassroots_a.pk}").content.decode()
    assert f'<option value="{org.grassroots_a.pk}" selected>' in html
    html = client.get(CREATE + f"?grassroots={org.grassroots_b.pk}").content.decode()
    assert org.grassroots_b.name not in html


# --- edit ---------------------------------------------------------------------------------------


def edit_data(member, version, **extra) -> dict:
    data = {
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date.strftime("%d/%m/%Y"),
        "cccd": member.cccd,
        "phone": member.phone,
        "occupation": member.occupation,
        "card_number": member.card_number,
        "joined_on": member.joined_on.strftime("%d/%m/%Y"),
        "version": str(version),
    }
    data.update(extra)
    return data


def test_edit_records_who_changed_what(org, users, login):
    client = login(users.officer_a)
    member = org.member_a
    url = reverse("members:member-update", args=[member.pk])
    version = int(hidden(client.get(url).content.decode(), "version"))
    response = client.post(url, edit_data(member, version, phone="0987654321"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "0987654321" and member.version == version + 1
    page = client.get(reverse("members:member-detail", args=[member.pk])).content.decode()
    history = page.split("Lịch sử thay đổi hồ sơ", 1)[1]
    assert "officer_a" in history
    assert "Số điện thoại" in history and "0987654321" in history
    assert "Sửa" in history


def test_two_officers_editing_the_same_member_later_stale_save_is_refused(org, users, login):
    from django.test import Client

    member = org.member_a
    url = reverse("members:member-update", args=[member.pk])
    first, second = Client(), Client()
    first.force_login(users.officer_a)
    second.force_login(users.admin)
    version_first = int(hidden(first.get(url).content.decode(), "version"))
    version_second = int(hidden(second.get(url).content.decode(), "version"))
    assert first.post(url, edit_data(member, version_first, phone="0911111111")).status_code == 302
    response = second.post(url, edit_data(member, version_second, occupation="Kỹ sư"))
    assert response.status_code == 200
    assert "vừa được người khác cập nhật" in response.content.decode()
    member.refresh_from_db()
    assert member.phone == "0911111111"  # the first save stands
    assert member.occupation == ""  # the stale form changed nothing


def test_edit_without_version_is_refused(org, users, login):
    member = org.member_a
    url = reverse("members:member-update", args=[member.pk])
    data = edit_data(member, 0, full_name="Tên Khác")
    del data["version"]
    response = login(users.officer_a).post(url, data)
    assert "hãy tải lại trang" in response.content.decode()
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn Đạt"


def test_edit_to_a_cccd_taken_changes_nothing(org, users, login):
    other = MemberFactory(grassroots=org.grassroots_a, full_name="Đỗ Minh")
    member = org.member_a
    url = reverse("members:member-update", args=[member.pk])
    before = snapshot()
    response = login(users.officer_a).post(
        url, edit_data(member, member.version, cccd=other.cccd, full_name="X")
    )
    assert "Số CCCD này đã là đoàn viên Đỗ Minh" in response.content.decode()
    assert snapshot() == before


# --- transfer, leave, rejoin ---------------------------------------------------------------------


def test_transfer_keeps_both_stays_and_is_not_an_admission(org, users, login):
    target = GrassrootsFactory(district_union=org.unit_a, name="Công đoàn Công ty Epsilon")
    member = org.member_a
    client = login(users.officer_a)
    url = reverse("members:member-transfer", args=[member.pk])
    html = client.get(url).content.decode()
    assert target.name in html and org.grassroots_b.name not in html
    version = hidden(html, "version")
    response = client.post(
        url, {"to_grassroots": target.pk, "on": "01/02/2024", "version": version}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.grassroots == target and member.joined_on == date(2020, 6, 1)
    stays = list(member.placements.order_by("start_on"))
    assert [(p.grassroots_id, p.start_kind, p.end_kind) for p in stays] == [
        (org.grassroots_a.pk, "admission", "transfer"),
        (target.pk, "transfer", ""),
    ]
    detail = client.get(reverse("members:member-detail", args=[member.pk])).content.decode()
    assert "Chuyển đến" in detail and "Chuyển đi" in detail


def test_transfer_to_another_units_grassroots_is_refused(org, users, login):
    member = org.member_a
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("members:member-transfer", args=[member.pk]),
        {"to_grassroots": org.grassroots_b.pk, "on": "01/02/2024", "version": member.version},
    )
    assert "CĐCS đã chọn không có trong danh sách." in response.content.decode()
    assert snapshot() == before


def test_transfer_before_the_current_stay_is_explained(org, users, login):
    target = GrassrootsFactory(district_union=org.unit_a)
    member = org.member_a
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("members:member-transfer", args=[member.pk]),
        {"to_grassroots": target.pk, "on": "01/01/2020", "version": member.version},
    )
    assert "Ngày chuyển phải sau ngày 01/06/2020" in response.content.decode()
    assert snapshot() == before


def test_leave_with_a_reason_from_the_list(org, users, login):
    member = org.member_a
    client = login(users.officer_a)
    url = reverse("members:member-leave", args=[member.pk])
    html = client.get(url).content.decode()
    for label in ("Chuyển công tác", "Nghỉ hưu", "Thôi việc", "Khai trừ", "Khác"):
        assert label in html
    response = client.post(
        url, {"on": "30/06/2024", "reason": "retirement", "note": "", "version": member.version}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == date(2024, 6, 30)
    assert member.leave_reason == LeaveReason.RETIREMENT
    detail = client.get(reverse("members:member-detail", args=[member.pk])).content.decode()
    assert "Nghỉ hưu" in detail and 'id="btn-member-rejoin"' in detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"on": "30/06/2024", "reason": "bored"},
            "Lý do &#x27;bored&#x27; không có trong danh sách: Chuyển công tác, Nghỉ hưu, "
            "Thôi việc, Khai trừ, Khác.",
        ),
        ({"on": "30/06/2024", "reason": ""}, "Cần nhập lý do ra khỏi công đoàn."),
        ({"on": "", "reason": "retirement"}, "Cần nhập ngày ra khỏi công đoàn."),
        ({"on": "01/01/2020", "reason": "retirement"}, "không được trước ngày 01/06/2020"),
    ],
)
def test_bad_leave_input_changes_nothing(org, users, login, data, message):
    member = org.member_a
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("members:member-leave", args=[member.pk]), {**data, "version": member.version}
    )
    assert message in response.content.decode()
    assert snapshot() == before


def test_rejoin_after_leaving(org, users, login):
    member = org.member_a
    client = login(users.officer_a)
    client.post(
        reverse("members:member-leave", args=[member.pk]),
        {"on": "30/06/2023", "reason": "resignation", "version": member.version},
    )
    member.refresh_from_db()
    response = client.post(
        reverse("members:member-rejoin", args=[member.pk]),
        {"grassroots": org.grassroots_a.pk, "on": "01/03/2024", "version": member.version},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on is None and member.joined_on == date(2024, 3, 1)
    assert member.placements.filter(start_kind=Placement.StartKind.REJOIN).count() == 1


def test_rejoin_of_an_active_member_is_explained(org, users, login):
    member = org.member_a
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("members:member-rejoin", args=[member.pk]),
        {"grassroots": org.grassroots_a.pk, "on": "01/03/2024", "version": member.version},
    )
    assert "Đoàn viên đang sinh hoạt, không cần kết nạp lại." in response.content.decode()
    assert snapshot() == before


def test_stale_transfer_form_is_refused(org, users, login):
    member = org.member_a
    target = GrassrootsFactory(district_union=org.unit_a)
    client = login(users.officer_a)
    stale_version = member.version
    client.post(
        reverse("members:member-update", args=[member.pk]),
        edit_data(member, member.version, occupation="Thợ hàn"),
    )
    response = client.post(
        reverse("members:member-transfer", args=[member.pk]),
        {"to_grassroots": target.pk, "on": "01/02/2024", "version": stale_version},
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    member.refresh_from_db()
    assert member.grassroots == org.grassroots_a


# --- detail and list: personal data ---------------------------------------------------------------


def test_cccd_full_only_on_the_detail_page_and_each_view_is_logged(org, users, login):
    member = org.member_a
    client = login(users.staff)
    listing = client.get(reverse("members:member-list")).content.decode()
    assert member.cccd not in listing
    assert member.cccd_masked in listing  # 0010******NN
    before = AccessLog.objects.count()
    detail = client.get(reverse("members:member-detail", args=[member.pk])).content.decode()
    assert member.cccd in detail
    log = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.user, log.action, log.member) == (
        users.staff,
        AccessLog.Action.VIEW_MEMBER,
        member,
    )


def test_detail_shows_the_full_history(org, users, login):
    member = org.member_a
    target = GrassrootsFactory(district_union=org.unit_a, name="Công đoàn Công ty Zeta")
    client = login(users.officer_a)
    client.post(
        reverse("members:member-update", args=[member.pk]),
        edit_data(member, member.version, full_name="Nguyễn Văn Đạt Em"),
    )
    member.refresh_from_db()
    client.post(
        reverse("members:member-transfer", args=[member.pk]),
        {"to_grassroots": target.pk, "on": "01/02/2024", "version": member.version},
    )
    member.refresh_from_db()
    client.post(
        reverse("members:member-leave", args=[member.pk]),
        {"on": "01/03/2024", "reason": "job_change", "version": member.version},
    )
    page = login(users.staff).get(reverse("members:member-detail", args=[member.pk]))
    html = page.content.decode()
    placements = html.split('id="placements-table"', 1)[1].split("</table>", 1)[0]
    assert "Kết nạp" in placements and "Chuyển đến" in placements
    assert "Ra khỏi công đoàn" in placements
    history = html.split('id="history-table"', 1)[1].split("</table>", 1)[0]
    assert history.count("officer_a") == 3  # edit, transfer, leave
    assert "Nguyễn Văn Đạt Em" in history  # the renamed name, old -> new
    assert "Công đoàn Công ty Zeta" in history  # the CĐCS change, by name
    assert "Chuyển công tác" in history
    assert "Tạo mới" in history  # the admission
