"""Importing a training attendance list (.xlsx) through the import engine."""

from datetime import date

import pytest

from activities.models import OfficerPosition, TrainingAttendance, TrainingCourse
from activities.services import position_assign
from grassroots.access import SYSTEM
from imports.engine import run_import
from tests.factories import MemberFactory

from .importfiles import write_xlsx

pytestmark = pytest.mark.django_db
HEADERS = ["Ngày tập huấn", "Chủ đề", "Đơn vị tổ chức", "Số CCCD", "Họ và tên"]
TOPIC, BY = "Kỹ năng thương lượng tập thể", "LĐLĐ quận Thanh Xuân"


def messages(outcome) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in outcome.errors]


def attendance(tmp_path, rows, user, commit=True):
    path = write_xlsx(tmp_path / "hv.xlsx", HEADERS, rows, text_columns=("Số CCCD",))
    return run_import("training", path, user=user, commit=commit, source_name="hv.xlsx")


@pytest.fixture
def officers(org):
    chair = MemberFactory(grassroots=org.grassroots_a, full_name="Nguyễn Văn An")
    member = MemberFactory(grassroots=org.grassroots_a, full_name="Trần Thị Bình")
    position_assign(
        user=SYSTEM, member=chair, role=OfficerPosition.Role.CHAIR, started_on=date(2025, 1, 1)
    )
    outside = MemberFactory(grassroots=org.grassroots_c, full_name="Lê Văn Cường")
    position_assign(
        user=SYSTEM, member=outside, role=OfficerPosition.Role.CHAIR, started_on=date(2025, 1, 1)
    )
    return chair, member, outside


def test_an_officer_imports_an_attendance_list_all_or_nothing(tmp_path, users, officers):
    chair, member, outside = officers
    rows = [
        ["15/03/2026", TOPIC, BY, chair.cccd, "Nguyễn Văn An"],
        ["15/03/2026", TOPIC, BY, member.cccd, "Trần Thị Bình"],
        ["15/03/2026", TOPIC, BY, outside.cccd, "Lê Văn Cường"],
        ["15/03/2026", TOPIC, BY, chair.cccd, "Nguyễn Văn Anh"],
        ["15/03/2026", TOPIC, BY, chair.cccd, "Nguyễn Văn An"],
    ]
    refused = attendance(tmp_path, rows, users.officer_a)
    found = messages(refused)
    assert found[0][:2] == (3, "Số CCCD") and "Không phải cán bộ CĐCS" in found[0][2]
    assert "15/03/2026" in found[0][2]
    assert found[1] == (
        4,
        "Số CCCD",
        f"Không có đoàn viên số CCCD {outside.cccd} trong đơn vị của bạn.",
    )
    assert found[2] == (
        5,
        "Họ và tên",
        f"Số CCCD {chair.cccd} là của đoàn viên Nguyễn Văn An, không phải Nguyễn Văn Anh.",
    )
    assert found[3] == (6, "Số CCCD", f"Học viên {chair.cccd} của lớp này trùng với dòng 2.")
    assert not TrainingCourse.objects.exists()

    outcome = attendance(tmp_path, rows[:1], users.officer_a)
    assert outcome.errors == [] and outcome.counts.new == 1
    course = TrainingCourse.objects.get()
    assert (course.held_on, course.topic, course.organiser) == (date(2026, 3, 15), TOPIC, BY)
    attended = TrainingAttendance.objects.get()
    assert (attended.member, attended.grassroots, attended.held_on) == (
        chair,
        chair.grassroots,
        date(2026, 3, 15),
    )
    again = attendance(tmp_path, rows[:1], users.officer_a)
    assert again.counts.unchanged == 1 and TrainingAttendance.objects.count() == 1
