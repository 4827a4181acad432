"""Closed books: every kind of dated write into an approved period is refused, for everyone,
with a message naming the period, who approved it and when, and whom to ask; an import with
such rows writes nothing and lists them; a lock exception lets the write in as a correction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approvals.services import lock_exception_open, report_approve, report_submit
from grassroots.access import SYSTEM
from grassroots.locks import period_lock_check
from grassroots.models import Affiliation, GrassrootsUnion, LateCorrection
from grassroots.restructuring import PlanRefused, grassroots_move_bulk, unit_end
from grassroots.services import grassroots_found, grassroots_move, grassroots_update
from imports.engine import run_import
from imports.tests.importfiles import GRASSROOTS_HEADERS, MEMBER_HEADERS, member_row, write_xlsx
from members.models import Member
from members.services import (
    grassroots_dissolve_with_members,
    member_admit,
    member_leave,
    member_rejoin,
    member_transfer,
    member_update,
)
from tests.factories import GrassrootsFactory, MemberFactory

pytestmark = pytest.mark.django_db

LOCKED = (
    "Ngày {day} thuộc kỳ báo cáo Năm 2024 của LĐLĐ quận Thanh Xuân, đã được staff duyệt ngày"
    " {approved} nên đã khóa sổ: không ghi thêm hay sửa số liệu của kỳ này được. Nếu cần điều"
    " chỉnh, đề nghị LĐLĐ thành phố Hà Nội (người duyệt: staff) mở khóa kỳ này cho đơn vị"
    " (ngoại lệ khóa sổ)."
)


@pytest.fixture
def locked(org, users):
    """Thanh Xuân's year 2024 submitted by its officer and approved by the federation."""
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    return report_approve(user=users.staff, report=report)


def message(day: str) -> str:
    return LOCKED.format(day=day, approved=f"{timezone.localdate():%d/%m/%Y}")


def admit(user, grassroots, day, cccd="001090000555"):
    return member_admit(
        user=user,
        grassroots=grassroots,
        joined_on=day,
        cccd=cccd,
        full_name="Đỗ Văn Khóa",
        gender="male",
        birth_date=date(1990, 1, 1),
    )


@pytest.mark.parametrize("who", ["officer_a", "admin"])
def test_admission_in_an_approved_period_is_refused_for_everyone(org, users, locked, who):
    with pytest.raises(ValidationError) as refused:
        admit(getattr(users, who), org.grassroots_a, date(2024, 9, 10))
    assert refused.value.message_dict == {"joined_on": [message("10/09/2024")]}
    assert not Member.objects.filter(cccd="001090000555").exists()
    admit(getattr(users, who), org.grassroots_a, date(2025, 1, 2))  # after the period: fine


def test_other_units_are_not_locked(org, users, locked):
    admit(users.officer_b, org.grassroots_b, date(2024, 9, 10))


def test_leaving_rejoining_and_editing_the_admission_day(org, users, locked):
    member = org.member_a  # admitted 01/06/2020 into Thanh Xuân's CĐCS
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):
        member_leave(user=users.admin, member=member, on=date(2024, 3, 1), reason="retirement")
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):
        member_update(user=users.officer_a, member=member, joined_on=date(2024, 2, 1))
    member = member_leave(
        user=users.officer_a, member=member, on=date(2025, 3, 1), reason="retirement"
    )
    assert member.left_on == date(2025, 3, 1)
    member_rejoin(
        user=users.officer_a, member=member, grassroots=org.grassroots_a, on=date(2025, 6, 1)
    )


def test_transfer_into_or_out_of_a_locked_unit(org, users, locked):
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):
        member_transfer(
            user=SYSTEM, member=org.member_b, to_grassroots=org.grassroots_a, on=date(2024, 5, 1)
        )
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):
        member_transfer(
            user=SYSTEM, member=org.member_a, to_grassroots=org.grassroots_b, on=date(2024, 5, 1)
        )


def test_founding_editing_the_founding_day_and_dissolving(org, users, locked):
    with pytest.raises(ValidationError) as refused:
        GrassrootsFactory(district_union=org.unit_a, founded_on=date(2024, 4, 1))
    assert refused.value.message_dict == {"founded_on": [message("01/04/2024")]}
    empty = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2023, 5, 1))
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):
        grassroots_update(grassroots=empty, founded_on=date(2024, 2, 1))
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):
        grassroots_dissolve_with_members(
            user=users.admin, grassroots=org.grassroots_a, on=date(2024, 6, 30), reason="Phá sản"
        )
    assert GrassrootsUnion.objects.get(pk=org.grassroots_a.pk).dissolved_on is None
    assert Member.objects.get(pk=org.member_a.pk).left_on is None
    grassroots_found(
        district_union=org.unit_a,
        code="TX-2025",
        name="Công đoàn Công ty Mới",
        founded_on=date(2025, 2, 1),
        workers=30,
        sector=GrassrootsUnion.Sector.PRIVATE_ENTERPRISE,
    )


def test_moves_one_by_one_and_by_restructuring_plan(org, users, locked):
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):
        grassroots_move(grassroots=org.grassroots_a, district_union=org.unit_b, on=date(2024, 7, 1))
    with pytest.raises(ValidationError, match="thuộc kỳ báo cáo Năm 2024"):  # into the locked unit
        grassroots_move(grassroots=org.grassroots_b, district_union=org.unit_a, on=date(2024, 7, 1))
    with pytest.raises(PlanRefused) as refused:
        grassroots_move_bulk([(org.grassroots_a.code, org.unit_b.code)], date(2024, 7, 1))
    assert [p.message for p in refused.value.checked.problems] == [message("01/07/2024")]
    with pytest.raises(PlanRefused, match="thuộc kỳ báo cáo Năm 2024"):
        unit_end(org.unit_a, date(2024, 10, 31), org.unit_b)
    assert Affiliation.objects.filter(grassroots=org.grassroots_a).count() == 1


def test_the_lock_check_is_one_query(org, locked, django_assert_num_queries):
    with django_assert_num_queries(1):
        period_lock_check(
            grassroots=[
                (org.grassroots_a.pk, date(2025, 1, 1)),
                (org.grassroots_b.pk, date(2024, 1, 1)),
            ],
            units=[(org.unit_b.pk, date(2024, 1, 1))],
            what="x",
        )


def test_member_import_with_rows_in_the_period_writes_nothing(tmp_path, org, users, locked):
    path = write_xlsx(
        tmp_path / "dv.xlsx",
        MEMBER_HEADERS,
        [
            member_row(cccd="001090000601", code=org.grassroots_a.code, joined=date(2025, 2, 1)),
            member_row(cccd="001090000602", code=org.grassroots_a.code, joined=date(2024, 9, 3)),
            member_row(cccd="001090000603", code=org.grassroots_b.code, joined=date(2024, 9, 3)),
        ],
        text_columns=["Số CCCD", "Số điện thoại"],
    )
    outcome = run_import("members", path, user=users.admin, commit=True, source_name="dv")
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (3, "Ngày kết nạp", message("03/09/2024"))
    ]
    assert not outcome.committed
    assert not Member.objects.filter(cccd__startswith="0010900006").exists()


def test_member_import_reimporting_unchanged_2024_members_is_fine(tmp_path, org, users, locked):
    """Only a change is a write: the same register sent again passes the lock."""
    member = org.member_a
    path = write_xlsx(
        tmp_path / "dv.xlsx",
        MEMBER_HEADERS,
        [
            member_row(
                name=member.full_name,
                cccd=member.cccd,
                code=org.grassroots_a.code,
                joined=member.joined_on,
                birth=member.birth_date,
                phone=member.phone,
                gender="Nam",
                job=member.occupation,
                card=member.card_number,
            )
        ],
        text_columns=["Số CCCD", "Số điện thoại"],
    )
    outcome = run_import("members", path, user=users.admin, commit=False, source_name="dv")
    assert not [e for e in outcome.errors if "khóa sổ" in e.message]


def test_member_import_leaving_day_in_the_period(tmp_path, org, users, locked):
    member = org.member_a
    path = write_xlsx(
        tmp_path / "dv.xlsx",
        MEMBER_HEADERS,
        [
            member_row(
                name=member.full_name,
                cccd=member.cccd,
                code=org.grassroots_a.code,
                joined=member.joined_on,
                left=date(2024, 11, 30),
                reason="Nghỉ hưu",
            )
        ],
        text_columns=["Số CCCD", "Số điện thoại"],
    )
    outcome = run_import("members", path, user=users.officer_a, commit=True, source_name="dv")
    assert (2, "Ngày ra khỏi công đoàn", message("30/11/2024")) in [
        (e.row, e.column, e.message) for e in outcome.errors
    ]
    assert Member.objects.get(pk=member.pk).left_on is None


def test_grassroots_import_founding_in_the_period(tmp_path, org, users, locked):
    path = write_xlsx(
        tmp_path / "cdcs.xlsx",
        GRASSROOTS_HEADERS,
        [
            [
                "TX-N1",
                "Công đoàn Công ty Một",
                org.unit_a.code,
                "0101234567",
                "Doanh nghiệp ngoài nhà nước",
                40,
                date(2024, 3, 15),
            ],
            [
                "TX-N2",
                "Công đoàn Công ty Hai",
                org.unit_a.code,
                "0101234568",
                "Doanh nghiệp ngoài nhà nước",
                40,
                date(2025, 3, 15),
            ],
        ],
    )
    outcome = run_import("grassroots", path, user=users.admin, commit=True, source_name="cdcs")
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (2, "Ngày thành lập", message("15/03/2024"))
    ]
    assert not GrassrootsUnion.objects.filter(code__startswith="TX-N").exists()


def test_units_import_ending_a_unit_in_the_period(tmp_path, org, users, locked):
    headers = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Mã đơn vị cấp trên",
        "Loại",
        "Ngày thành lập",
        "Ngày kết thúc hoạt động",
        "Ngày hiệu lực",
    ]
    path = write_xlsx(
        tmp_path / "units.xlsx",
        headers,
        [
            [
                org.unit_a.code,
                org.unit_a.name,
                "HN",
                "LĐLĐ quận/huyện",
                None,
                date(2024, 10, 31),
                None,
            ]
        ],
    )
    outcome = run_import("units", path, user=SYSTEM, commit=True, source_name="units")
    assert (2, message("31/10/2024")) in [(e.row, e.message) for e in outcome.errors]
    org.unit_a.refresh_from_db()
    assert org.unit_a.ended_on is None


def test_a_lock_exception_lets_the_late_write_in_and_then_closes(org, users, locked):
    lock_exception_open(
        user=users.staff,
        report=locked,
        reason="Sót hồ sơ",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    admit(users.officer_a, org.grassroots_a, date(2024, 9, 10))
    assert LateCorrection.objects.filter(day=date(2024, 9, 10)).count() == 1
    locked.lock.exceptions.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="khóa sổ"):
        admit(users.officer_a, org.grassroots_a, date(2024, 9, 11), cccd="001090000556")


def test_member_factory_still_works_outside_the_period(org, locked):
    MemberFactory(grassroots=org.grassroots_a, joined_on=date(2025, 5, 5))


def test_undoing_a_restructuring_into_an_approved_period_is_refused(org, users):
    from grassroots.restructuring import UndoRefused, restructuring_undo

    record = grassroots_move_bulk([(org.grassroots_a.code, org.unit_b.code)], date(2024, 7, 1))
    report = report_submit(user=users.officer_b, unit=org.unit_b, year=2024, kind="quy-3")
    report_approve(user=users.staff, report=report)
    with pytest.raises(UndoRefused, match="Không hoàn tác được: Ngày 01/07/2024 thuộc kỳ báo cáo"):
        restructuring_undo(record)
    assert Affiliation.objects.filter(grassroots=org.grassroots_a).count() == 2


def test_targets_import_for_an_approved_year_writes_nothing(tmp_path, org, users, locked):
    from grassroots.models import AnnualTarget
    from imports.tests.importfiles import TARGET_HEADERS

    path = write_xlsx(
        tmp_path / "ct.xlsx",
        TARGET_HEADERS,
        [[org.unit_a.code, 2024, 6500, 20, 15], [org.unit_a.code, 2025, 7000, 20, 15]],
    )
    outcome = run_import("targets", path, user=SYSTEM, commit=True, source_name="ct")
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (2, "Năm", message("31/12/2024"))
    ]
    assert not AnnualTarget.objects.exists()


def test_the_targets_page_keeps_an_approved_years_targets(org, users, locked):
    from grassroots.models import AnnualTarget
    from grassroots.targets import targets_save

    with pytest.raises(ValidationError, match="31/12/2024 thuộc kỳ báo cáo Năm 2024"):
        targets_save(
            user=users.staff,
            federation=org.federation,
            year=2024,
            values={
                org.unit_a: {"new_members": 6500, "new_grassroots": 20, "new_grassroots_25plus": 15}
            },
        )
    assert not AnnualTarget.objects.exists()
    targets_save(
        user=users.staff,
        federation=org.federation,
        year=2024,
        values={org.unit_b: {"new_members": 100, "new_grassroots": 2, "new_grassroots_25plus": 1}},
    )


def test_a_day_in_several_approved_periods_names_the_longest_and_opens_with_any(org, users, locked):
    month = report_approve(
        user=users.staff,
        report=report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="thang-9"),
    )
    with pytest.raises(ValidationError) as refused:
        admit(users.officer_a, org.grassroots_a, date(2024, 9, 10))
    assert refused.value.message_dict == {"joined_on": [message("10/09/2024")]}  # Năm 2024
    lock_exception_open(
        user=users.staff,
        report=locked,
        reason="Sót",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    admit(users.officer_a, org.grassroots_a, date(2024, 9, 10))
    # A correction against the year and against September.
    assert set(LateCorrection.objects.values_list("lock_id", flat=True)) == {
        locked.lock_id,
        month.lock_id,
    }


def test_workers_crossing_25_in_a_locked_founding_period(org, users, locked):
    founded = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2023, 5, 1), workers=30)
    report_approve(
        user=users.staff,
        report=report_submit(user=users.officer_a, unit=org.unit_a, year=2023, kind="nam"),
    )
    with pytest.raises(ValidationError) as refused:
        grassroots_update(grassroots=founded, workers=20)
    assert "thuộc kỳ báo cáo Năm 2023" in refused.value.message_dict["workers"][0]
    grassroots_update(grassroots=founded, workers=40)  # still 25 or more: no figure moves


def test_a_restructuring_plan_under_a_lock_exception_is_recorded_as_late_corrections(
    org, users, locked, login
):
    """A plan's moves dated in an open approved period go in, each recorded as a late
    correction of that period (like a single write); the approved snapshot stays; undoing
    it into another open period is recorded too."""
    from django.urls import reverse

    from grassroots.restructuring import restructuring_undo

    lock_exception_open(
        user=users.staff,
        report=locked,
        reason="Quyết định sắp xếp về muộn",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    snapshot = dict(locked.lock.figures)
    record = grassroots_move_bulk(
        [(org.grassroots_a.code, org.unit_b.code)], date(2024, 7, 1), decision_number="12/QĐ"
    )
    assert record is not None
    late = list(LateCorrection.objects.filter(lock=locked.lock))
    assert [(c.grassroots_id, c.day) for c in late] == [(org.grassroots_a.pk, date(2024, 7, 1))]
    assert late[0].what.startswith("Phương án sắp xếp (QĐ 12/QĐ): ")
    locked.lock.refresh_from_db()
    assert locked.lock.figures == snapshot
    page = login(users.staff).get(
        reverse("approvals:report-detail", args=[org.unit_a.pk, 2024, "nam"])
    )
    assert "01/07/2024: Phương án sắp xếp (QĐ 12/QĐ)" in page.content.decode()

    # Cầu Giấy's Q3 2024 (it received the CĐCS) approved, then opened: the undo goes in too.
    report = report_submit(user=users.officer_b, unit=org.unit_b, year=2024, kind="quy-3")
    report = report_approve(user=users.staff, report=report)
    lock_exception_open(
        user=users.staff,
        report=report,
        reason="Hoàn tác",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    restructuring_undo(record)
    undo = LateCorrection.objects.get(lock=report.lock)
    assert undo.day == date(2024, 7, 1)
    assert undo.what.startswith("Hoàn tác phương án sắp xếp (QĐ 12/QĐ): ")
    assert Affiliation.objects.filter(grassroots=org.grassroots_a).count() == 1
