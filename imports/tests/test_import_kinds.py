"""Importing units, CĐCS and targets: keys, rules, scope, updates with history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from grassroots.access import SYSTEM
from grassroots.models import AnnualTarget, DistrictUnion, Federation, GrassrootsUnion
from imports.engine import run_import
from reports.models import UnitDayStat
from tests.factories import DistrictUnionFactory, GrassrootsFactory, TargetFactory

from .importfiles import GRASSROOTS_HEADERS, TARGET_HEADERS, UNIT_HEADERS, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def messages(outcome) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in outcome.errors]


# ----- units -------------------------------------------------------------------------------------


def units(tmp_path, rows, user=SYSTEM, commit=True):
    path = write_xlsx(tmp_path / "units.xlsx", UNIT_HEADERS, rows)
    return run_import("units", path, user=user, commit=commit, source_name="units.xlsx")


def test_units_federations_and_their_unions_in_any_order(tmp_path, users):
    outcome = units(
        tmp_path,
        [
            ["dn-hc", "LĐLĐ quận Hải Châu", "DN", ""],
            ["DN", "LĐLĐ thành phố Đà Nẵng", "", None],
            ["DN-GD", "Công đoàn ngành Giáo dục Đà Nẵng", "dn", "công đoàn ngành"],
            ["HN-BD", "LĐLĐ quận Ba Đình", "HN", "LĐLĐ quận/huyện"],
        ],
        user=users.admin,
    )
    assert outcome.ok, messages(outcome)
    assert outcome.counts.new == 4
    danang = Federation.objects.get(code="DN")
    assert DistrictUnion.objects.get(code="DN-HC").federation == danang
    assert DistrictUnion.objects.get(code="DN-GD").kind == "sector"
    assert DistrictUnion.objects.get(code="HN-BD").federation.code == "HN"
    assert DistrictUnion.objects.get(code="DN-HC").history.get().history_user == users.admin


def test_units_rules(tmp_path, org):
    outcome = units(
        tmp_path,
        [
            ["X1", "Đơn vị X1", "KHONGCO", ""],
            ["X2", "Đơn vị X2", "HN", "Công đoàn phường"],
            ["X3", "LĐLĐ X3", "", "Công đoàn ngành"],
            ["X4", "", "HN", ""],
            ["X4", "Trùng", "HN", ""],
            [org.unit_a.code, org.unit_a.name, "HP", ""],
            ["HN", "LĐLĐ Hà Nội", "HP", ""],
            [org.unit_b.code, "CG", "", ""],
        ],
        commit=False,
    )
    assert messages(outcome) == [
        (
            3,
            "Loại",
            "Loại 'Công đoàn phường' không có trong danh sách: LĐLĐ quận/huyện; Công "
            "đoàn xã/phường; Công đoàn ngành; Công đoàn khu công nghiệp.",
        ),
        (4, "Loại", "LĐLĐ tỉnh/thành phố (không có đơn vị cấp trên) không có loại."),
        (5, "Tên đơn vị", "Cần nhập tên đơn vị."),
        (6, "Mã đơn vị", "Mã đơn vị X4 trùng với dòng 5."),
        (2, "Mã đơn vị cấp trên", "Không có LĐLĐ tỉnh/thành phố mã 'KHONGCO'."),
        (
            7,
            "Mã đơn vị cấp trên",
            "Đơn vị TX đang thuộc 'HN': nhập file không chuyển đơn vị sang LĐLĐ khác. Ghi"
            " «Ngày hiệu lực» để chuyển đơn vị từ ngày đó.",
        ),
        (
            8,
            "Mã đơn vị cấp trên",
            "Mã HN là một LĐLĐ tỉnh/thành phố: không đổi thành công đoàn cấp trên bằng nhập file.",
        ),
        (
            9,
            "Mã đơn vị cấp trên",
            "Mã CG là công đoàn cấp trên thuộc 'HN': không đổi thành LĐLĐ bằng nhập file.",
        ),
    ]


def test_units_reimport_unchanged_and_rename_updates(tmp_path, org, users):
    rows = [["HN", "LĐLĐ thành phố Hà Nội", "", ""], ["TX", "LĐLĐ quận Thanh Xuân", "HN", ""]]
    first = units(tmp_path, rows, user=users.admin)
    assert (first.counts.unchanged, first.counts.new) == (2, 0)
    rows[1][1] = "LĐLĐ quận Thanh Xuân (mới)"
    rows[1][3] = "Công đoàn xã/phường"
    second = units(tmp_path, rows, user=users.admin)
    assert second.counts.updated == 1
    unit = DistrictUnion.objects.get(code="TX")
    assert (unit.name, unit.kind) == ("LĐLĐ quận Thanh Xuân (mới)", "commune")
    assert unit.history.first().history_change_reason == "Nhập từ file units.xlsx"


DATED_HEADERS = [*UNIT_HEADERS, "Ngày thành lập", "Ngày kết thúc hoạt động", "Ngày hiệu lực"]


def dated_units(tmp_path, rows, user=SYSTEM, commit=True):
    path = write_xlsx(tmp_path / "units.xlsx", DATED_HEADERS, rows)
    return run_import("units", path, user=user, commit=commit, source_name="units.xlsx")


def test_units_dated_columns_found_move_and_end_through_the_restructuring(tmp_path, org, users):
    from grassroots.models import Restructuring
    from grassroots.restructuring import national_code, restructuring_undo

    TargetFactory(district_union=org.unit_c, year=2025)
    empty = DistrictUnionFactory(code="OLD", name="LĐLĐ huyện Cũ", federation=org.federation)
    outcome = dated_units(
        tmp_path,
        [
            # A federation under the national code; a ward union founded on 01/10/2025.
            ["QN", "LĐLĐ tỉnh Quảng Ninh", national_code(), "", "", "", ""],
            [
                "P-TX",
                "Công đoàn phường Thanh Xuân",
                "HN",
                "Công đoàn xã/phường",
                "01/10/2025",
                "",
                "",
            ],
            # Lê Chân moves from HP to HN from 01/07/2025; an empty unit ends on 30/06/2025.
            ["LC", "LĐLĐ quận Lê Chân", "HN", "", "", "", "01/07/2025"],
            ["OLD", "LĐLĐ huyện Cũ", "HN", "", "", "30/06/2025", ""],
        ],
        user=users.admin,
    )
    assert outcome.ok, messages(outcome)
    assert Federation.objects.filter(code="QN").exists()
    ward = DistrictUnion.objects.get(code="P-TX")
    assert ward.founded_on == date(2025, 10, 1) and ward.kind == "commune"
    assert ward.memberships.get().valid_from == date(2025, 10, 1)
    moved = DistrictUnion.objects.get(code="LC")
    assert moved.federation == org.federation
    assert list(
        moved.memberships.order_by("valid_from").values_list("federation__code", "valid_to")
    ) == [
        ("HP", date(2025, 7, 1)),
        ("HN", None),
    ]
    empty.refresh_from_db()
    assert empty.ended_on == date(2025, 6, 30)
    # Dated, recorded, reversible like any restructuring; the moved unit keeps its targets.
    record = Restructuring.objects.get()
    assert AnnualTarget.objects.filter(district_union=moved, year=2025).exists()
    restructuring_undo(record)
    moved.refresh_from_db()
    assert moved.federation == org.other_federation
    # Re-running the file after undo redoes it; re-running again changes nothing.
    again = dated_units(tmp_path, [["LC", "LĐLĐ quận Lê Chân", "HN", "", "", "", "01/07/2025"]])
    assert again.ok, messages(again)
    twice = dated_units(tmp_path, [["LC", "LĐLĐ quận Lê Chân", "HN", "", "", "", "01/07/2025"]])
    assert twice.ok and twice.counts.unchanged == 1, messages(twice)
    assert DistrictUnion.objects.get(code="LC").memberships.count() == 2


def test_units_a_dated_move_or_end_counts_as_an_update_with_what_it_does(tmp_path, org, users):
    """A row whose only change is a dated move or end is not "unchanged": the preview and the
    result count it as updated and say what happens on which day."""
    DistrictUnionFactory(code="OLD", name="LĐLĐ huyện Cũ", federation=org.federation)
    rows = [
        ["LC", "LĐLĐ quận Lê Chân", "HN", "", "", "", "01/07/2025"],
        ["OLD", "LĐLĐ huyện Cũ", "HN", "", "", "30/06/2025", ""],
        ["CG", "LĐLĐ quận Cầu Giấy", "HN", "", "", "", ""],
    ]
    preview = dated_units(tmp_path, rows, user=users.admin, commit=False)
    assert preview.ok, messages(preview)
    assert (preview.counts.updated, preview.counts.unchanged) == (2, 1)
    changes = {row[1]: row[-1] for row in preview.samples["updated"]}
    assert changes == {
        "LC": "Mã đơn vị cấp trên: HP → HN từ 01/07/2025",
        "OLD": "Kết thúc hoạt động ngày 30/06/2025",
    }
    assert [row[1] for row in preview.samples["unchanged"]] == ["CG"]
    done = dated_units(tmp_path, rows, user=users.admin)
    assert (done.counts.updated, done.counts.unchanged) == (2, 1), messages(done)
    # The same file again: both are done, nothing changes.
    again = dated_units(tmp_path, rows, user=users.admin)
    assert (again.counts.updated, again.counts.unchanged) == (0, 3), messages(again)


def test_units_dated_columns_errors_by_row_and_column(tmp_path, org):
    outcome = dated_units(
        tmp_path,
        [
            ["N1", "Đơn vị N1", "HN", "", "32/13/2025", "", ""],
            ["N2", "Đơn vị N2", "HN", "", "01/10/2025", "30/09/2025", ""],
            ["CG", "LĐLĐ quận Cầu Giấy", "HN", "", "", "", "01/07/2025"],
            ["TX", "LĐLĐ quận Thanh Xuân", "HN", "", "", "30/06/2025", ""],
            ["HP", "LĐLĐ thành phố Hải Phòng", "", "", "01/01/2020", "", ""],
            ["LC", "LĐLĐ quận Lê Chân", "HN", "", "", "", ""],
        ],
        commit=False,
    )
    errors = messages(outcome)
    by_row = {row: (column, message) for row, column, message in errors}
    assert by_row[2][0] == "Ngày thành lập" and "32/13/2025" in by_row[2][1]
    assert by_row[3] == (
        "Ngày kết thúc hoạt động",
        "Ngày kết thúc hoạt động 30/09/2025 ở trước ngày thành lập 01/10/2025.",
    )
    assert by_row[4] == (
        "Ngày hiệu lực",
        "Chỉ ghi «Ngày hiệu lực» khi đổi «Mã đơn vị cấp trên» của một công đoàn cấp trên đã có.",
    )
    # TX still holds a CĐCS after 30/06/2025: the restructuring's own message, on its row.
    assert by_row[5][0] == "Ngày kết thúc hoạt động", errors
    assert by_row[6][0] == "Ngày thành lập"
    assert by_row[7] == (
        "Mã đơn vị cấp trên",
        "Đơn vị LC đang thuộc 'HP': nhập file không chuyển đơn vị sang LĐLĐ khác. Ghi «Ngày"
        " hiệu lực» để chuyển đơn vị từ ngày đó.",
    )
    assert not DistrictUnion.objects.filter(code__in=["N1", "N2"]).exists()


def test_units_only_admins(tmp_path, users):
    for user in (users.officer_a, users.staff):
        assert messages(units(tmp_path, [["Z", "Z", "", ""]], user=user)) == [
            (None, "", "Bạn không có quyền nhập loại dữ liệu này.")
        ]


# ----- CĐCS -------------------------------------------------------------------------------------


def grassroots(tmp_path, rows, user=SYSTEM, commit=True, csv=False):
    if csv:
        path = write_csv(tmp_path / "cs.csv", GRASSROOTS_HEADERS, rows)
    else:
        path = write_xlsx(
            tmp_path / "cs.xlsx", GRASSROOTS_HEADERS, rows, text_columns=["Mã số thuế"]
        )
    return run_import("grassroots", path, user=user, commit=commit, source_name="cs")


def cs_row(
    code="CS-N1",
    name="Công đoàn Công ty Mới",
    unit="TX",
    tax="0101234567",
    sector="Doanh nghiệp ngoài nhà nước",
    workers=30,
    founded=None,
):
    founded = founded or date(timezone.localdate().year, 1, 5)
    return [code, name, unit, tax, sector, workers, founded]


@pytest.mark.parametrize("csv", [False, True])
def test_new_cdcs_get_their_affiliation_history_and_figures(tmp_path, org, users, csv):
    day = date(timezone.localdate().year, 1, 5)
    outcome = grassroots(
        tmp_path,
        [cs_row(), cs_row(code="cs-n2", workers=10, tax="", sector="hợp tác xã")],
        user=users.officer_a,
        csv=csv,
    )
    assert outcome.ok, messages(outcome)
    new = GrassrootsUnion.objects.get(code="CS-N1")
    assert (new.district_union, new.tax_code, new.sector, new.workers, new.founded_on) == (
        org.unit_a,
        "0101234567",
        "private_enterprise",
        30,
        day,
    )
    assert GrassrootsUnion.objects.get(code="CS-N2").sector == "cooperative"
    affiliation = new.affiliations.get()
    assert (affiliation.district_union, affiliation.valid_from, affiliation.valid_to) == (
        org.unit_a,
        day,
        None,
    )
    assert new.history.get().history_user == users.officer_a
    assert "cong doan cong ty moi" in new.search_text
    stat = UnitDayStat.objects.get(district_union=org.unit_a, day=day)
    assert (stat.founded, stat.founded_25plus) == (2, 1)


def test_cdcs_rules(tmp_path, org):
    future = timezone.localdate() + timedelta(days=1)
    outcome = grassroots(
        tmp_path,
        [
            cs_row(code="A1", tax="123"),
            cs_row(code="A2", tax=101234567),  # Excel dropped the zero
            cs_row(code="A3", sector="Tư nhân"),
            cs_row(code="A4", workers=-3),
            cs_row(code="A5", workers=2.5),
            cs_row(code="A6", founded=future),
            cs_row(code="A7", unit="KHONGCO"),
            cs_row(code="A8", founded="30/02/2024"),
            cs_row(code="A1"),
            cs_row(code="A9", tax="0101234567-001", workers="1.450"),
        ],
        commit=False,
    )
    assert messages(outcome) == [
        (
            2,
            "Mã số thuế",
            "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số "
            "(ví dụ 0101234567-001).",
        ),
        (
            3,
            "Mã số thuế",
            "Mã số thuế có 9 chữ số: có thể Excel đã bỏ mất số 0 ở đầu. Hãy định "
            "dạng cột là Văn bản (Text) và nhập đủ 10 chữ số.",
        ),
        (
            4,
            "Khu vực",
            "Khu vực 'Tư nhân' không có trong danh sách: Cơ quan hành chính nhà nước; "
            "Đơn vị sự nghiệp công lập; Doanh nghiệp nhà nước; Doanh nghiệp ngoài nhà nước; Doanh "
            "nghiệp có vốn đầu tư nước ngoài; Hợp tác xã; Khác.",
        ),
        (5, "Số lao động", "Số lao động không được âm."),
        (6, "Số lao động", "Số lao động phải là số nguyên (ô này là 2.5)."),
        (7, "Ngày thành lập", "Ngày thành lập không được ở tương lai."),
        (8, "Mã công đoàn cấp trên", "Không có công đoàn cấp trên mã 'KHONGCO'."),
        (
            9,
            "Ngày thành lập",
            "Ngày thành lập '30/02/2024' không tồn tại (tháng 2/2024 không có ngày 30).",
        ),
        (10, "Mã CĐCS", "Mã CĐCS A1 trùng với dòng 2."),
    ]
    assert outcome.counts.new == 1  # A9: 1.450 workers written the Vietnamese way


def test_cdcs_officer_scope(tmp_path, org, users):
    outcome = grassroots(
        tmp_path,
        [cs_row(code="B1", unit=org.unit_b.code), cs_row(code=org.grassroots_b.code, unit="TX")],
        user=users.officer_a,
    )
    assert messages(outcome) == [
        (2, "Mã công đoàn cấp trên", "Không có công đoàn cấp trên mã 'CG' trong phạm vi của bạn."),
        (3, "Mã CĐCS", "Mã CĐCS này đã được dùng cho một CĐCS của đơn vị khác."),
    ]
    assert messages(grassroots(tmp_path, [cs_row()], user=users.staff)) == [
        (None, "", "Bạn không có quyền nhập loại dữ liệu này.")
    ]


def test_cdcs_reimport_update_and_no_silent_move(tmp_path, org, users):
    existing = org.grassroots_a
    row = [
        existing.code,
        existing.name,
        "TX",
        existing.tax_code,
        "Doanh nghiệp ngoài nhà nước",
        existing.workers,
        existing.founded_on,
    ]
    assert grassroots(tmp_path, [row], user=users.admin).counts.unchanged == 1
    row[1] = "Công đoàn Công ty Alpha (đổi tên)"
    row[5] = 12
    outcome = grassroots(tmp_path, [row], user=users.admin)
    assert outcome.counts.updated == 1
    existing.refresh_from_db()
    assert (existing.name, existing.workers) == ("Công đoàn Công ty Alpha (đổi tên)", 12)
    assert existing.history.first().history_type == "~"
    row[2] = "CG"
    outcome = grassroots(tmp_path, [row], user=users.admin)
    assert messages(outcome)[0][:2] == (2, "Mã công đoàn cấp trên")
    assert "Chuyển đơn vị" in messages(outcome)[0][2]
    existing.refresh_from_db()
    assert existing.district_union == org.unit_a


def test_cdcs_new_founding_date_moves_the_first_affiliation(tmp_path, org):
    fresh = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2021, 5, 1), code="CS-F")
    row = [
        "CS-F",
        fresh.name,
        "TX",
        fresh.tax_code,
        "Doanh nghiệp ngoài nhà nước",
        fresh.workers,
        date(2021, 4, 1),
    ]
    assert grassroots(tmp_path, [row]).counts.updated == 1
    assert fresh.affiliations.get().valid_from == date(2021, 4, 1)
    # Members admitted before a later founding date: refused.
    row[6] = date(2021, 4, 1)
    row[6] = org.member_a.joined_on + timedelta(days=1)
    row[0] = org.grassroots_a.code
    row[1] = org.grassroots_a.name
    row[3] = org.grassroots_a.tax_code
    outcome = grassroots(tmp_path, [row])
    assert "Đã có đoàn viên vào CĐCS ngày" in messages(outcome)[0][2]


# ----- targets ----------------------------------------------------------------------------------


def targets(tmp_path, rows, user=SYSTEM, commit=True):
    path = write_xlsx(tmp_path / "ct.xlsx", TARGET_HEADERS, rows)
    return run_import("targets", path, user=user, commit=commit, source_name="ct.xlsx")


def test_federation_staff_set_targets_of_their_federation(tmp_path, org, users):
    outcome = targets(
        tmp_path,
        [["TX", 2025, 6500, 20, 15], ["HN", 2025, 20000, 100, 60], ["LC", 2025, 1, 1, 1]],
        user=users.staff,
    )
    assert messages(outcome) == [(4, "Mã đơn vị", "Không có đơn vị mã 'LC' trong LĐLĐ của bạn.")]
    assert not AnnualTarget.objects.filter(year=2025).exists()
    outcome = targets(
        tmp_path, [["TX", 2025, 6500, 20, 15], ["hn", 2025, 20000, 100, 60]], user=users.staff
    )
    assert outcome.ok and outcome.counts.new == 2
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
    assert target.history.get().history_user == users.staff
    assert (
        AnnualTarget.objects.get(federation=org.federation, year=2025).value("new_members") == 20000
    )


def test_targets_rules(tmp_path, org):
    outcome = targets(
        tmp_path,
        [
            ["TX", 1999, 1, 1, 1],
            ["TX", 2025, -1, 1, 1],
            ["TX", 2027, 1, "", 1],
            ["CG", 2025, "nhiều", 1, 1],
            ["CG", 2025, 5, 1, 1],
            ["CG", 2025, 6, 1, 1],
            ["TX", 2026, 20_000_000, 1, 1],
        ],
        commit=False,
    )
    assert messages(outcome) == [
        (2, "Năm", "Năm phải từ 2000 đến 2100."),
        (3, "Chỉ tiêu kết nạp đoàn viên", "Chỉ tiêu kết nạp đoàn viên không được âm."),
        (4, "Chỉ tiêu thành lập CĐCS", "Cần nhập chỉ tiêu thành lập CĐCS."),
        (
            5,
            "Chỉ tiêu kết nạp đoàn viên",
            "Chỉ tiêu kết nạp đoàn viên phải là số nguyên (ô này là 'nhiều').",
        ),
        # Keys of a row with a wrong value still count: duplicates are always reported.
        (6, "Mã đơn vị", "Chỉ tiêu năm 2025 của đơn vị CG trùng với dòng 5."),
        (7, "Mã đơn vị", "Chỉ tiêu năm 2025 của đơn vị CG trùng với dòng 5."),
        (8, "Chỉ tiêu kết nạp đoàn viên", "Chỉ tiêu kết nạp đoàn viên quá lớn."),
    ]


def test_targets_update_and_reimport(tmp_path, org, users):
    TargetFactory(district_union=org.unit_a, year=2024, new_members=100)
    outcome = targets(tmp_path, [["TX", 2024, 150, 10, 5]], user=users.admin)
    assert outcome.counts.updated == 1
    assert outcome.samples["updated"][0][-1] == "Chỉ tiêu kết nạp đoàn viên: 100 → 150"
    target = AnnualTarget.objects.get(district_union=org.unit_a, year=2024)
    assert target.value("new_members") == 150
    assert target.history.first().history_type == "~"
    assert targets(tmp_path, [["TX", 2024, 150, 10, 5]], user=users.admin).counts.unchanged == 1


def test_officers_do_not_import_targets(tmp_path, users):
    assert messages(targets(tmp_path, [["TX", 2025, 1, 1, 1]], user=users.officer_a)) == [
        (None, "", "Bạn không có quyền nhập loại dữ liệu này.")
    ]


def test_targets_across_a_reform_part_of_the_year(tmp_path, org, users):
    from grassroots.restructuring import unit_end, units_found

    unit_end(org.unit_a, date(2025, 6, 30), to_federation=True)
    units_found(
        org.federation,
        [("P1", "Công đoàn phường Một", DistrictUnion.Kind.COMMUNE)],
        date(2025, 10, 1),
    )
    outcome = targets(
        tmp_path,
        [
            ["TX", 2025, 3000, 10, 5],  # the ended unit keeps its year's targets
            ["P1", 2025, 400, 2, 1],  # the new unit gets the rest of the year
            ["HN", 2025, 9000, 30, 10],  # the federation's own
            ["P1", 2024, 400, 2, 1],
            ["TX", 2026, 3000, 10, 5],
        ],
        user=users.admin,
        commit=False,
    )
    assert messages(outcome) == [
        (5, "Mã đơn vị", "Đơn vị P1 thành lập ngày 01/10/2025: không có chỉ tiêu năm 2024."),
        (
            6,
            "Mã đơn vị",
            "Đơn vị TX đã kết thúc hoạt động ngày 30/06/2025: không có chỉ tiêu năm 2026.",
        ),
    ]
    fixed = targets(
        tmp_path,
        [["TX", 2025, 3000, 10, 5], ["P1", 2025, 400, 2, 1], ["HN", 2025, 9000, 30, 10]],
        user=users.admin,
    )
    assert fixed.ok, messages(fixed)
    assert (
        AnnualTarget.objects.get(district_union__code="P1", year=2025).value("new_members") == 400
    )
    assert AnnualTarget.objects.get(federation__code="HN", year=2025).value("new_members") == 9000


def test_targets_import_takes_a_declared_indicator_and_keeps_what_it_leaves_out(
    tmp_path, org, users
):
    from grassroots.indicators import Counting, Indicator, declared

    trained = Indicator(
        "trainees_reported", "Cán bộ CĐCS được tập huấn", "cán bộ", Counting.REPORTED
    )
    TargetFactory(district_union=org.unit_a, year=2026, figures={"trainees_reported": 900})
    headers = [*TARGET_HEADERS, "Chỉ tiêu cán bộ CĐCS được tập huấn"]
    with declared(trained):
        path = write_xlsx(
            tmp_path / "ct.xlsx",
            headers,
            [
                ["TX", 2026, 100, 10, 5, 1160],
                ["CG", 2026, 50, 2, 1, None],
                ["HN", 2026, 9, 9, 9, "x"],
            ],
        )
        refused = run_import("targets", path, user=users.staff, commit=False, source_name="ct.xlsx")
        assert messages(refused) == [
            (4, "Chỉ tiêu cán bộ CĐCS được tập huấn", refused.errors[0].message)
        ]
        assert "số" in refused.errors[0].message
        path = write_xlsx(
            tmp_path / "ct.xlsx",
            headers,
            [["TX", 2026, 100, 10, 5, 1160], ["CG", 2026, 50, 2, 1, None]],
        )
        outcome = run_import("targets", path, user=users.staff, commit=True, source_name="ct.xlsx")
        assert (outcome.counts.updated, outcome.counts.new) == (1, 1)
        assert outcome.samples["updated"][0][-1] == (
            "Chỉ tiêu cán bộ CĐCS được tập huấn: 900 → 1160"
        )
        # An older file with the three columns only leaves the training target as it is.
        targets(tmp_path, [["TX", 2026, 120, 10, 5]], user=users.staff)
    tx = AnnualTarget.objects.get(district_union=org.unit_a, year=2026).figures()
    assert tx == {
        "new_members": 120,
        "new_grassroots": 10,
        "new_grassroots_25plus": 5,
        "trainees_reported": 1160,
    }
    cg = AnnualTarget.objects.get(district_union=org.unit_b, year=2026).figures()
    assert "trainees_reported" not in cg
