"""The targets import's campaign column ("Đợt thi đua"): campaign targets in the same file as
the annual ones; a file without the column imports as it always did."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from grassroots.models import AnnualTarget, Campaign, CampaignTarget, PeriodLock
from imports.engine import run_import

from .importfiles import TARGET_HEADERS, write_xlsx

pytestmark = pytest.mark.django_db
HEADERS = [*TARGET_HEADERS, "Đợt thi đua"]


def messages(outcome) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in outcome.errors]


def targets(tmp_path, rows, user, headers=HEADERS, commit=True):
    path = write_xlsx(tmp_path / "ct.xlsx", headers, rows)
    return run_import("targets", path, user=user, commit=commit, source_name="ct.xlsx")


@pytest.fixture
def may(org):
    return Campaign.objects.create(
        federation=org.federation,
        name="Tháng Công nhân 2025",
        start_on=date(2025, 5, 1),
        end_on=date(2025, 5, 31),
    )


def test_annual_and_campaign_rows_in_one_file(tmp_path, org, users, may):
    outcome = targets(
        tmp_path,
        [
            ["TX", 2025, 6500, 20, 15, ""],
            ["TX", 2025, 900, "", "", "tháng  công nhân 2025"],
            ["HN", 2025, 3000, 5, "", "Tháng Công nhân 2025"],
        ],
        users.staff,
    )
    assert outcome.ok, messages(outcome)
    assert outcome.counts.new == 3
    assert (
        AnnualTarget.objects.get(district_union=org.unit_a, year=2025).value("new_members") == 6500
    )
    assert set(
        CampaignTarget.objects.values_list(
            "district_union_id", "federation_id", "indicator", "value"
        )
    ) == {
        (org.unit_a.pk, None, "new_members", 900),
        (None, org.federation.pk, "new_members", 3000),
        (None, org.federation.pk, "new_grassroots", 5),
    }
    history = CampaignTarget.objects.get(district_union=org.unit_a).history.get()
    assert history.history_user == users.staff
    # Again: unchanged; a new figure: updated, with the change named.
    again = targets(tmp_path, [["TX", 2025, 950, "", "", "Tháng Công nhân 2025"]], users.staff)
    assert again.counts.updated == 1
    assert again.samples["updated"][0][-1] == (
        "Chỉ tiêu kết nạp đoàn viên (Tháng Công nhân 2025): 900 → 950"
    )


def test_campaign_rows_are_checked_with_the_reason(tmp_path, org, users, may):
    Campaign.objects.create(
        federation=org.other_federation,
        name="Đợt của Hải Phòng",
        start_on=date(2025, 7, 1),
        end_on=date(2025, 7, 31),
    )
    outcome = targets(
        tmp_path,
        [
            ["TX", 2025, 1, "", "", "Tháng Năm"],
            ["TX", 2024, 1, "", "", "Tháng Công nhân 2025"],
            ["TX", 2025, "", "", "", "Tháng Công nhân 2025"],
            ["TX", 2025, 1, "", "", "Đợt của Hải Phòng"],
            ["CG", 2025, 1, "", "", "Tháng Công nhân 2025"],
            ["CG", 2025, 2, "", "", "Tháng Công nhân 2025"],
        ],
        users.staff,
    )
    assert messages(outcome) == [
        (
            2,
            "Đợt thi đua",
            "LĐLĐ của đơn vị TX không có đợt thi đua «Tháng Năm» (khai báo đợt ở trang Chỉ tiêu"
            " trước khi nhập).",
        ),
        (3, "Năm", "Đợt thi đua «Tháng Công nhân 2025» thuộc năm 2025, không phải năm 2024."),
        (4, "Đợt thi đua", "Cần nhập ít nhất một chỉ tiêu của Tháng Công nhân 2025."),
        (
            5,
            "Đợt thi đua",
            "LĐLĐ của đơn vị TX không có đợt thi đua «Đợt của Hải Phòng» (khai báo đợt ở trang"
            " Chỉ tiêu trước khi nhập).",
        ),
        (7, "Mã đơn vị", "Chỉ tiêu Tháng Công nhân 2025 của đơn vị CG trùng với dòng 6."),
    ]
    assert not CampaignTarget.objects.exists()


def test_a_file_without_the_column_imports_as_before(tmp_path, org, users, may):
    outcome = targets(tmp_path, [["TX", 2025, 10, 2, 1]], users.staff, headers=TARGET_HEADERS)
    assert outcome.ok and outcome.counts.new == 1
    assert AnnualTarget.objects.filter(district_union=org.unit_a, year=2025).exists()
    assert not CampaignTarget.objects.exists()


def test_a_locked_campaign_window_refuses_the_row(tmp_path, org, users, may):
    PeriodLock.objects.create(
        unit=org.unit_a,
        year=2025,
        kind="quy-2",
        start=date(2025, 4, 1),
        end=date(2025, 6, 30),
        label="Quý II/2025",
        approver_name="Trần Duyệt",
        approved_at=timezone.now(),
        contact="Ban Tổ chức LĐLĐ",
    )
    outcome = targets(tmp_path, [["TX", 2025, 1, "", "", "Tháng Công nhân 2025"]], users.staff)
    assert not outcome.ok
    assert "Quý II/2025" in messages(outcome)[0][2]
    assert not CampaignTarget.objects.exists()
