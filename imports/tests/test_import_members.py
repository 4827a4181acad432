"""Importing members: every rule of issue 5 with real .xlsx and .csv files."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from django.utils import timezone

from grassroots.access import SYSTEM
from grassroots.services import grassroots_dissolve
from imports.engine import run_import
from members.models import Member, Placement
from reports.models import UnitDayStat
from tests.factories import GrassrootsFactory, MemberFactory

from .importfiles import MEMBER_HEADERS, member_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def xlsx(tmp_path, rows, headers=MEMBER_HEADERS, name="dv.xlsx"):
    return write_xlsx(tmp_path / name, headers, rows, text_columns=["Số CCCD", "Số điện thoại"])


def csv_file(tmp_path, rows, headers=MEMBER_HEADERS, **kwargs):
    return write_csv(tmp_path / "dv.csv", headers, rows, **kwargs)


def run(path, user=SYSTEM, commit=True, **kwargs):
    return run_import("members", path, user=user, commit=commit, source_name="dv", **kwargs)


def messages(outcome) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in outcome.errors]


@pytest.fixture
def code(org):
    return org.grassroots_a.code


# ----- a good file ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [xlsx, csv_file])
def test_good_file_creates_members_placements_history_and_figures(tmp_path, org, users, code, make):
    year = timezone.localdate().year
    rows = [
        member_row(
            name="Phạm Thị Hoa",
            gender="Nữ",
            cccd="001190000001",
            code=code,
            joined=date(year, 1, 3),
            card="TH-01",
            job="Kế toán",
        ),
        member_row(
            name="Đỗ Văn Minh",
            cccd="001090000002",
            code=code,
            joined=date(year, 1, 3),
            left=date(year, 1, 5),
            reason="Nghỉ hưu",
            phone="",
        ),
    ]
    outcome = run(make(tmp_path, rows), user=users.admin)
    assert outcome.ok and outcome.committed, messages(outcome)
    assert (outcome.counts.new, outcome.counts.rows) == (2, 2)

    hoa = Member.objects.get(cccd="001190000001")
    assert (hoa.full_name, hoa.gender, hoa.birth_date) == (
        "Phạm Thị Hoa",
        "female",
        date(1990, 3, 5),
    )
    assert (hoa.grassroots, hoa.joined_on, hoa.card_number, hoa.occupation) == (
        org.grassroots_a,
        date(year, 1, 3),
        "TH-01",
        "Kế toán",
    )
    assert hoa.search_text == "pham thi hoa"
    stay = hoa.placements.get()
    assert (stay.start_kind, stay.start_on, stay.end_on, stay.created_by) == (
        "admission",
        date(year, 1, 3),
        None,
        users.admin,
    )
    history = hoa.history.get()
    assert (history.history_type, history.history_user, history.full_name) == (
        "+",
        users.admin,
        "Phạm Thị Hoa",
    )
    assert history.history_change_reason == "Nhập từ file dv"

    minh = Member.objects.get(cccd="001090000002")
    assert (minh.left_on, minh.leave_reason, minh.phone) == (date(year, 1, 5), "retirement", "")
    stay = minh.placements.get()
    assert (stay.end_on, stay.end_kind) == (date(year, 1, 5), "left")

    # Figures kept current in the same transaction (counting rules: admissions, leavers).
    day = UnitDayStat.objects.get(district_union=org.unit_a, day=date(year, 1, 3))
    assert day.admitted == 2
    assert UnitDayStat.objects.get(district_union=org.unit_a, day=date(year, 1, 5)).left == 1


def test_headers_match_ignoring_case_spaces_and_unicode_form(tmp_path, code):
    headers = [f"  {unicodedata.normalize('NFD', h).upper()}  " for h in MEMBER_HEADERS]
    path = csv_file(tmp_path, [member_row(cccd="001090000003", code=code)], headers=headers)
    outcome = run(path)
    assert outcome.ok, messages(outcome)
    assert Member.objects.filter(cccd="001090000003").exists()


def test_nfd_headers_in_xlsx(tmp_path, code):
    headers = [unicodedata.normalize("NFD", h) for h in MEMBER_HEADERS]
    outcome = run(xlsx(tmp_path, [member_row(cccd="001090000004", code=code)], headers=headers))
    assert outcome.ok, messages(outcome)


def test_header_without_diacritics_is_a_missing_column_with_a_hint(tmp_path, code):
    headers = ["Ho va ten", *MEMBER_HEADERS[1:]]
    outcome = run(xlsx(tmp_path, [member_row(code=code)], headers=headers))
    assert not outcome.committed
    assert messages(outcome) == [
        (
            1,
            "Họ và tên",
            "Thiếu cột bắt buộc 'Họ và tên' (có cột 'Ho va ten': tên cột phải "
            "viết đủ dấu như 'Họ và tên').",
        ),
    ]


def test_missing_required_column_is_one_clear_error(tmp_path, code):
    headers = [h for h in MEMBER_HEADERS if h != "Ngày kết nạp"]
    rows = [r[:6] + r[7:] for r in [member_row(code=code)] * 3]
    outcome = run(xlsx(tmp_path, rows, headers=headers))
    assert messages(outcome) == [(1, "Ngày kết nạp", "Thiếu cột bắt buộc 'Ngày kết nạp'.")]
    assert outcome.error_count == 1


def test_unknown_columns_are_ignored_with_a_notice(tmp_path, code):
    headers = [*MEMBER_HEADERS, "Ghi chú", "Quê quán"]
    rows = [[*member_row(cccd="001090000005", code=code), "x", "Hà Nội"]]
    outcome = run(xlsx(tmp_path, rows, headers=headers))
    assert outcome.ok
    assert outcome.notices == ["Các cột không dùng đến (bỏ qua): 'Ghi chú', 'Quê quán'."]


def test_optional_columns_may_be_absent(tmp_path, code):
    headers = MEMBER_HEADERS[:7]
    outcome = run(xlsx(tmp_path, [member_row(cccd="001090000006", code=code)[:7]], headers=headers))
    assert outcome.ok, messages(outcome)


def test_column_given_twice(tmp_path, code):
    headers = [*MEMBER_HEADERS, "Số CCCD"]
    outcome = run(xlsx(tmp_path, [[*member_row(code=code), "x"]], headers=headers))
    assert messages(outcome) == [(1, "Số CCCD", "Cột 'Số CCCD' xuất hiện hai lần.")]


# ----- cells -----------------------------------------------------------------------------------


def test_cccd_rules(tmp_path, code):
    rows = [
        member_row(cccd=1090012345, code=code),  # a number: Excel dropped the zeros
        member_row(cccd="01090012345", code=code),  # 11 digits as text
        member_row(cccd="123", code=code),
        member_row(cccd=123456789012, code=code),  # a 12-digit number is fine
        member_row(cccd="001 090 012 346", code=code),  # spaces as people type them
    ]
    outcome = run(xlsx(tmp_path, rows), commit=False)
    dropped = (
        "Số CCCD có 11 chữ số: có thể Excel đã bỏ mất số 0 ở đầu. Hãy định dạng cột là Văn bản "
        "(Text) và nhập đủ 12 chữ số."
    )
    assert messages(outcome) == [
        (2, "Số CCCD", dropped.replace("11 chữ số", "10 chữ số")),  # Hà Nội's 001 lost two zeros
        (3, "Số CCCD", dropped),
        (4, "Số CCCD", "Số CCCD phải gồm đúng 12 chữ số."),
    ]
    one_more = run(xlsx(tmp_path, [member_row(cccd=10900123456, code=code)]), commit=False)
    assert messages(one_more) == [(2, "Số CCCD", dropped)]


def test_dates_day_first_and_real_dates(tmp_path, code):
    rows = [
        member_row(cccd="001090000011", code=code, birth="05/03/1990"),
        member_row(cccd="001090000012", code=code, birth="31/02/1990"),
        member_row(cccd="001090000013", code=code, birth="03/31/1990"),
        member_row(cccd="001090000014", code=code, birth=32937),  # a serial number, not a date
        member_row(cccd="001090000015", code=code, birth="1990-03-05"),
        member_row(cccd="001090000016", code=code, birth="5/3/90"),
        member_row(cccd="001090000017", code=code, birth="5-3-1990"),
        member_row(cccd="001090000018", code=code, birth="05/03/1990 00:00:00"),
        member_row(cccd="001090000019", code=code, birth="1990-03-05T00:00"),
        member_row(cccd="001090000020", code=code, birth="05/03/1990 giờ"),
    ]
    outcome = run(xlsx(tmp_path, rows), commit=False)
    assert messages(outcome) == [
        (3, "Ngày sinh", "Ngày sinh '31/02/1990' không tồn tại (tháng 2/1990 không có ngày 31)."),
        (
            4,
            "Ngày sinh",
            "Ngày sinh '03/31/1990' không hợp lệ: tháng 31 không tồn tại (ngày "
            "ghi trước, tháng ghi sau: dd/mm/yyyy).",
        ),
        (
            5,
            "Ngày sinh",
            "Ngày sinh phải là ngày (ô định dạng Ngày trong Excel) hoặc chữ dạng "
            "dd/mm/yyyy; ô này là số 32937.",
        ),
        (7, "Ngày sinh", "Ngày sinh '5/3/90' không đúng dạng dd/mm/yyyy (ví dụ 05/03/1990)."),
        (
            11,
            "Ngày sinh",
            "Ngày sinh '05/03/1990 giờ' không đúng dạng dd/mm/yyyy (ví dụ 05/03/1990).",
        ),
    ]
    run(xlsx(tmp_path, [rows[0], rows[4], rows[6], rows[7], rows[8]]))
    good = ["001090000011", "001090000015", "001090000017", "001090000018", "001090000019"]
    birth_dates = Member.objects.filter(cccd__in=good).values_list("birth_date", flat=True)
    assert len(birth_dates) == 5 and set(birth_dates) == {date(1990, 3, 5)}


def test_february_31_in_a_csv(tmp_path, code):
    outcome = run(csv_file(tmp_path, [member_row(code=code, joined="31/02/2024")]))
    assert messages(outcome) == [
        (
            2,
            "Ngày kết nạp",
            "Ngày kết nạp '31/02/2024' không tồn tại (tháng 2/2024 không có ngày 31).",
        ),
    ]


def test_text_is_nfc_trimmed_and_collapsed(tmp_path, code):
    name = unicodedata.normalize("NFD", "  Nguyễn   Thị  Ánh ")
    run(xlsx(tmp_path, [member_row(name=name, cccd="001090000021", code=code, job=" Kỹ  sư ")]))
    member = Member.objects.get(cccd="001090000021")
    assert member.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", member.full_name)
    assert member.occupation == "Kỹ sư"


def test_blank_rows_are_skipped(tmp_path, code):
    rows = [
        member_row(cccd="001090000031", code=code),
        [None] * 11,
        ["  ", "", None, None, None, None, None, None, None, None, None],
        member_row(cccd="001090000032", code=code),
    ]
    outcome = run(xlsx(tmp_path, rows))
    assert outcome.ok and outcome.counts.rows == 2


def test_duplicate_cccd_in_the_file_names_both_rows(tmp_path, code):
    rows = [
        member_row(cccd="001090000041", code=code),
        member_row(cccd="001090000042", code=code),
        member_row(cccd="001090000041", code=code, name="Người khác"),
        member_row(
            cccd="001090000041", code=code, birth="99/99/1990"
        ),  # bad row, still a duplicate
    ]
    outcome = run(xlsx(tmp_path, rows))
    assert messages(outcome) == [
        (4, "Số CCCD", "Số CCCD 001090000041 trùng với dòng 2."),
        (
            5,
            "Ngày sinh",
            "Ngày sinh '99/99/1990' không hợp lệ: tháng 99 không tồn tại (ngày ghi "
            "trước, tháng ghi sau: dd/mm/yyyy).",
        ),
        (5, "Số CCCD", "Số CCCD 001090000041 trùng với dòng 2."),
    ]
    assert outcome.counts.invalid == 2
    assert not Member.objects.filter(cccd="001090000042").exists()


def test_unknown_cdcs_code(tmp_path):
    outcome = run(xlsx(tmp_path, [member_row(code="KHONG-CO")]))
    assert messages(outcome) == [(2, "Mã CĐCS", "Không có CĐCS mã 'KHONG-CO'.")]


def test_code_matches_whatever_case_was_typed(tmp_path, code):
    outcome = run(xlsx(tmp_path, [member_row(cccd="001090000051", code=f" {code.lower()} ")]))
    assert outcome.ok, messages(outcome)


def test_same_rules_as_the_admission_form(tmp_path, org, code):
    today = timezone.localdate()
    rows = [
        member_row(cccd="001090000061", code=code, birth=date(2015, 1, 1), joined=date(2024, 7, 1)),
        member_row(cccd="001090000062", code=code, joined=date(2019, 2, 28)),  # before founding
        member_row(cccd="001090000063", code=code, joined=today + timedelta(days=1)),
        member_row(cccd="001090000064", code=code, birth=today + timedelta(days=1)),
        member_row(cccd="001090000065", code=code, gender="Nam giới"),
        member_row(cccd="001090000066", code=code, phone="12345"),
        member_row(cccd="001090000067", code=code, name=""),
        member_row(cccd="001090000068", code=code, left=date(2024, 1, 1), reason="Nghỉ hưu"),
        member_row(cccd="001090000069", code=code, left=date(2024, 8, 1)),
        member_row(cccd="001090000070", code=code, reason="Nghỉ hưu"),
        member_row(cccd="001090000071", code=code, left=date(2024, 8, 1), reason="Bỏ đi"),
        member_row(cccd="001090000072", code=code, name="X" * 121),
    ]
    outcome = run(xlsx(tmp_path, rows), commit=False)
    assert messages(outcome) == [
        (
            2,
            "Ngày sinh",
            "Người được kết nạp phải đủ 15 tuổi vào ngày kết nạp (sinh ngày "
            "01/01/2015, kết nạp ngày 01/07/2024).",
        ),
        (3, "Ngày kết nạp", "Ngày kết nạp (28/02/2019) trước ngày thành lập CĐCS (01/03/2019)."),
        (4, "Ngày kết nạp", "Ngày kết nạp không được ở tương lai."),
        (5, "Ngày sinh", "Ngày sinh không được ở tương lai."),
        (6, "Giới tính", "Giới tính phải là Nam hoặc Nữ (ô này là 'Nam giới')."),
        (7, "Số điện thoại", "Số điện thoại không hợp lệ (ví dụ 0912345678)."),
        (8, "Họ và tên", "Cần nhập họ và tên."),
        (
            9,
            "Ngày ra khỏi công đoàn",
            "Ngày ra khỏi công đoàn (01/01/2024) không được trước ngày 15/07/2024 (bắt đầu "
            "sinh hoạt tại CĐCS hiện tại).",
        ),
        (10, "Lý do", "Cần nhập lý do ra khỏi công đoàn."),
        (11, "Ngày ra khỏi công đoàn", "Có lý do nhưng thiếu ngày ra khỏi công đoàn."),
        (
            12,
            "Lý do",
            "Lý do 'Bỏ đi' không có trong danh sách: Chuyển công tác, Nghỉ hưu, Thôi "
            "việc, Khai trừ, Khác.",
        ),
        (13, "Họ và tên", "Họ và tên dài quá 120 ký tự."),
    ]
    assert outcome.counts.invalid == 12


def test_phone_without_leading_zero_is_repaired_like_the_form(tmp_path, code):
    run(xlsx(tmp_path, [member_row(cccd="001090000081", code=code, phone=912345678)]))
    assert Member.objects.get(cccd="001090000081").phone == "0912345678"


def test_dissolved_cdcs(tmp_path, org, users):
    grassroots = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2020, 1, 1))
    grassroots_dissolve(grassroots=grassroots, on=date(2023, 1, 1), reason="Doanh nghiệp giải thể")
    rows = [
        member_row(cccd="001090000091", code=grassroots.code, joined=date(2023, 2, 1)),
        member_row(cccd="001090000092", code=grassroots.code, joined=date(2021, 2, 1)),
        member_row(
            cccd="001090000093",
            code=grassroots.code,
            joined=date(2021, 2, 1),
            left=date(2022, 12, 1),
            reason="Thôi việc",
        ),
    ]
    outcome = run(xlsx(tmp_path, rows), commit=False)
    assert messages(outcome) == [
        (2, "Ngày kết nạp", f"CĐCS '{grassroots.code}' đã giải thể từ ngày 01/01/2023."),
        (
            3,
            "Ngày ra khỏi công đoàn",
            f"CĐCS '{grassroots.code}' đã giải thể ngày 01/01/2023: "
            "đoàn viên phải có ngày ra khỏi công đoàn không sau ngày đó.",
        ),
    ]


# ----- keys: re-import and updates -------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(tmp_path, users, code):
    rows = [member_row(cccd=f"0010900001{i:02d}", code=code, name=f"Người {i}") for i in range(5)]
    path = xlsx(tmp_path, rows)
    first = run(path, user=users.admin)
    assert first.counts.new == 5
    snapshot = list(Member.objects.order_by("pk").values())
    history = Member.history.count()
    stays = Placement.objects.count()
    second = run(path, user=users.admin)
    assert second.ok and second.committed
    assert (second.counts.new, second.counts.updated, second.counts.unchanged) == (0, 0, 5)
    assert list(Member.objects.order_by("pk").values()) == snapshot
    assert Member.history.count() == history and Placement.objects.count() == stays
    # Exported-and-reimported formats count as the same too: CSV text dates, NFD names.
    rows_csv = [
        [unicodedata.normalize("NFD", str(v)) if isinstance(v, str) else v for v in r] for r in rows
    ]
    third = run(csv_file(tmp_path, rows_csv), user=users.admin)
    assert third.counts.unchanged == 5


def test_a_changed_row_updates_the_member_and_its_history(tmp_path, users, code):
    path = xlsx(tmp_path, [member_row(cccd="001090000201", code=code, phone="0912345678")])
    run(path, user=users.admin)
    member = Member.objects.get(cccd="001090000201")
    version = member.version
    changed = member_row(cccd="001090000201", code=code, phone="0987654321", name="Nguyễn Văn Ân")
    outcome = run(xlsx(tmp_path, [changed], name="v2.xlsx"), user=users.officer_a)
    assert (outcome.counts.updated, outcome.counts.new) == (1, 0)
    assert outcome.samples["updated"][0][-1] == (
        "Họ và tên: Nguyễn Văn An → Nguyễn Văn Ân; Số điện thoại: 0912345678 → 0987654321"
    )
    member.refresh_from_db()
    assert (member.full_name, member.phone, member.search_text) == (
        "Nguyễn Văn Ân",
        "0987654321",
        "nguyen van an",
    )
    assert member.version == version + 1
    latest = member.history.first()
    assert (latest.history_type, latest.history_user, latest.phone) == (
        "~",
        users.officer_a,
        "0987654321",
    )
    assert latest.history_change_reason == "Nhập từ file dv"


def test_setting_a_leaving_date_closes_the_stay_and_moves_the_figures(tmp_path, org, code):
    year = timezone.localdate().year
    joined = date(year, 1, 2)
    run(xlsx(tmp_path, [member_row(cccd="001090000301", code=code, joined=joined)]))
    left = date(year, 1, 10)
    row = member_row(cccd="001090000301", code=code, joined=joined, left=left, reason="Thôi việc")
    outcome = run(xlsx(tmp_path, [row], name="v2.xlsx"))
    assert outcome.counts.updated == 1, messages(outcome)
    member = Member.objects.get(cccd="001090000301")
    assert (member.left_on, member.leave_reason) == (left, "resignation")
    stay = member.placements.get()
    assert (stay.end_on, stay.end_kind) == (left, "left")
    assert UnitDayStat.objects.get(district_union=org.unit_a, day=left).left == 1


def test_correcting_the_admission_date_moves_the_stay(tmp_path, org, code):
    year = timezone.localdate().year
    run(xlsx(tmp_path, [member_row(cccd="001090000311", code=code, joined=date(year, 1, 2))]))
    outcome = run(
        xlsx(
            tmp_path,
            [member_row(cccd="001090000311", code=code, joined=date(year, 1, 4))],
            name="v2.xlsx",
        )
    )
    assert outcome.counts.updated == 1
    member = Member.objects.get(cccd="001090000311")
    assert member.joined_on == member.placements.get().start_on == date(year, 1, 4)
    assert UnitDayStat.objects.get(district_union=org.unit_a, day=date(year, 1, 4)).admitted == 1
    assert not UnitDayStat.objects.filter(
        district_union=org.unit_a, day=date(year, 1, 2), admitted__gt=0
    ).exists()


def test_another_cdcs_is_an_error_not_a_silent_transfer(tmp_path, org, users):
    other = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2019, 1, 1))
    member = org.member_a
    row = member_row(
        cccd=member.cccd,
        code=other.code,
        name=member.full_name,
        joined=member.joined_on,
        birth=member.birth_date,
    )
    outcome = run(xlsx(tmp_path, [row]), user=users.admin)
    assert messages(outcome) == [
        (
            2,
            "Mã CĐCS",
            f"Đoàn viên này đang sinh hoạt tại CĐCS '{org.grassroots_a.code}'. Nhập "
            "file không chuyển sinh hoạt: hãy dùng chức năng Chuyển sinh hoạt (có ngày chuyển).",
        ),
    ]
    member.refresh_from_db()
    assert member.grassroots == org.grassroots_a


def test_emptying_a_leaving_date_is_an_error(tmp_path, code):
    row = member_row(cccd="001090000321", code=code, left=date(2024, 8, 1), reason="Khác")
    run(xlsx(tmp_path, [row]))
    again = member_row(cccd="001090000321", code=code)
    outcome = run(xlsx(tmp_path, [again], name="v2.xlsx"))
    assert messages(outcome)[0][1] == "Ngày ra khỏi công đoàn"
    assert "Kết nạp lại" in messages(outcome)[0][2]
    assert Member.objects.get(cccd="001090000321").left_on == date(2024, 8, 1)


def test_admission_date_of_a_transferred_member_cannot_change(tmp_path, org):
    from members.services import member_transfer

    other = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2019, 1, 1))
    member = MemberFactory(grassroots=org.grassroots_a, joined_on=date(2020, 6, 1))
    member_transfer(user=SYSTEM, member=member, to_grassroots=other, on=date(2022, 1, 1))
    row = member_row(
        cccd=member.cccd,
        code=other.code,
        name=member.full_name,
        birth=member.birth_date,
        joined=date(2020, 6, 2),
        job="",
    )
    outcome = run(xlsx(tmp_path, [row]))
    assert messages(outcome) == [
        (2, "Ngày kết nạp", "Không sửa được ngày kết nạp sau khi đoàn viên đã chuyển sinh hoạt."),
    ]


# ----- all or nothing ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [xlsx, csv_file])
def test_five_bad_rows_out_of_a_thousand_write_nothing(tmp_path, org, code, make):
    rows = [member_row(cccd=f"0011{i:08d}", code=code, name=f"Người {i}") for i in range(1000)]
    bad = {17: "0123", 250: "31/02/2024", 499: "x", 700: "KHONG", 998: "dup"}
    rows[17][3] = "0123"
    rows[250][6] = "31/02/2024"
    rows[499][1] = "x"
    rows[700][5] = "KHONG"
    rows[998][3] = rows[3][3]
    members_before = Member.objects.count()
    stays_before = Placement.objects.count()
    history_before = Member.history.count()
    stats_before = list(UnitDayStat.objects.values())
    outcome = run(make(tmp_path, rows))
    assert not outcome.committed
    assert [e.row for e in outcome.errors] == [i + 2 for i in sorted(bad)]
    assert outcome.counts.invalid == 5 and outcome.counts.rows == 1000
    assert Member.objects.count() == members_before
    assert Placement.objects.count() == stays_before
    assert Member.history.count() == history_before
    assert list(UnitDayStat.objects.values()) == stats_before


def test_an_error_after_many_written_chunks_still_writes_nothing(tmp_path, code, monkeypatch):
    from imports.kinds.members import MemberImport

    monkeypatch.setattr(MemberImport, "chunk_size", 10)
    rows = [member_row(cccd=f"0012{i:08d}", code=code) for i in range(95)]
    rows[-1][3] = rows[0][3]  # the duplicate is found in the tenth chunk
    outcome = run(xlsx(tmp_path, rows))
    assert messages(outcome) == [(96, "Số CCCD", f"Số CCCD {rows[0][3]} trùng với dòng 2.")]
    assert not Member.objects.filter(cccd__startswith="0012").exists()


def test_known_and_new_members_mixed_across_chunks_each_get_their_own_rows(
    tmp_path, org, code, monkeypatch
):
    """Chunks of mostly known members, then of new ones, then mixed (on PostgreSQL the new
    rows' keys and COPY lines are prepared before the known ones are found): every new member
    gets exactly its own placement and history row, the known ones are updated, not doubled."""
    from imports.kinds.members import MemberImport

    monkeypatch.setattr(MemberImport, "chunk_size", 4)
    monkeypatch.setattr(MemberImport, "first_chunk_size", 2)
    known = [
        MemberFactory(grassroots=org.grassroots_a, cccd=f"0014{i:08d}", full_name=f"Cũ {i}")
        for i in range(6)
    ]
    rows, new_cccds = [], []
    for i in range(6):  # chunks 1-2 (2 + 4 rows): all known, one renamed
        name = "Cũ Đã Đổi Tên" if i == 3 else known[i].full_name
        rows.append(
            member_row(
                name=name,
                gender=known[i].get_gender_display(),
                birth=known[i].birth_date,
                cccd=known[i].cccd,
                phone=known[i].phone,
                code=code,
                joined=known[i].joined_on,
                card=known[i].card_number,
                job=known[i].occupation,
            )
        )
    for i in range(7):  # then only new members, the last chunk partly
        new_cccds.append(f"0015{i:08d}")
        rows.append(member_row(name=f"Mới Số {i}", cccd=new_cccds[-1], code=code))
    outcome = run(xlsx(tmp_path, rows))
    assert outcome.ok and outcome.committed, messages(outcome)
    assert (outcome.counts.new, outcome.counts.updated, outcome.counts.unchanged) == (7, 1, 5)
    assert Member.objects.get(cccd=known[3].cccd).full_name == "Cũ Đã Đổi Tên"
    assert Member.objects.filter(cccd__startswith="0014").count() == 6
    for i, cccd in enumerate(new_cccds):
        member = Member.objects.get(cccd=cccd)
        assert member.full_name == f"Mới Số {i}"
        assert [(p.grassroots_id, p.start_kind) for p in member.placements.all()] == [
            (org.grassroots_a.pk, "admission")
        ]
        assert [(h.history_type, h.full_name) for h in member.history.all()] == [
            ("+", f"Mới Số {i}")
        ]
    for i, member in enumerate(known):
        assert member.placements.count() == 1
        imported = member.history.filter(history_change_reason="Nhập từ file dv")
        assert [h.history_type for h in imported] == (["~"] if i == 3 else [])


def test_check_without_commit_writes_nothing(tmp_path, code):
    outcome = run(xlsx(tmp_path, [member_row(cccd="001090000401", code=code)]), commit=False)
    assert outcome.ok and not outcome.committed and outcome.counts.new == 1
    assert not Member.objects.filter(cccd="001090000401").exists()


def test_a_database_failure_midway_leaves_nothing(tmp_path, code, monkeypatch):
    from imports.kinds import members as kind

    calls = []

    def boom(self, plan):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return original(self, plan)

    original = kind.MemberImport.write_chunk
    monkeypatch.setattr(kind.MemberImport, "write_chunk", boom)
    monkeypatch.setattr(kind.MemberImport, "chunk_size", 3)
    rows = [member_row(cccd=f"0013{i:08d}", code=code) for i in range(9)]
    with pytest.raises(RuntimeError):
        run(xlsx(tmp_path, rows))
    assert not Member.objects.filter(cccd__startswith="0013").exists()


# ----- scope -------------------------------------------------------------------------------------


def test_officer_may_import_only_own_unit(tmp_path, org, users):
    rows = [
        member_row(cccd="001090000501", code=org.grassroots_a.code),
        member_row(cccd="001090000502", code=org.grassroots_b.code),
        member_row(cccd=org.member_b.cccd, code=org.grassroots_a.code, name="Tên khác"),
    ]
    outcome = run(xlsx(tmp_path, rows), user=users.officer_a)
    assert messages(outcome) == [
        (3, "Mã CĐCS", f"Không có CĐCS mã '{org.grassroots_b.code}' trong đơn vị của bạn."),
        (4, "Số CCCD", "Số CCCD này đã có trong hệ thống (đoàn viên thuộc đơn vị khác)."),
    ]
    assert not Member.objects.filter(cccd="001090000501").exists()
    assert org.member_b.full_name not in str(messages(outcome))


def test_federation_staff_and_users_without_role_cannot_import_members(tmp_path, users, code):
    path = xlsx(tmp_path, [member_row(cccd="001090000601", code=code)])
    for user in (users.staff, users.norole):
        outcome = run(path, user=user)
        assert messages(outcome) == [(None, "", "Bạn không có quyền nhập loại dữ liệu này.")]
    assert not Member.objects.filter(cccd="001090000601").exists()


def test_only_header_row(tmp_path):
    outcome = run(xlsx(tmp_path, []))
    assert messages(outcome) == [(None, "", "File chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")]


def test_separators_and_invisible_characters_copied_from_elsewhere(tmp_path, code):
    """A register pasted from a web page or Word: non-breaking and zero-width spaces, a
    soft hyphen, CCCD and phone written with separators. What is imported is what shows."""
    rows = [
        member_row(
            name="Hoàng\u200b Thị\xa0Mai\u00ad",
            cccd="001-190-000-951",
            phone="0912\u200b.345.678",
            code=code,
        ),
        member_row(name="Vũ Văn Khải", cccd="\ufeff001 090 000 952", code=code),
    ]
    outcome = run(xlsx(tmp_path, rows))
    assert outcome.ok and outcome.committed, messages(outcome)
    mai = Member.objects.get(cccd="001190000951")
    assert (mai.full_name, mai.phone) == ("Hoàng Thị Mai", "0912345678")
    assert Member.objects.filter(cccd="001090000952", full_name="Vũ Văn Khải").exists()
