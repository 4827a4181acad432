"""The enterprise import's writes, over more than one chunk (issue 17 speed): on PostgreSQL the
new rows go as COPY lines built by organising.bulk and sent by a helper thread while the next
chunk is checked; on SQLite through bulk_create. Both must store the same values, write nothing
when any row is wrong (also after a chunk was sent), and update known enterprises as before."""

import csv
from datetime import date

import pytest
from django.utils import timezone

from grassroots.access import SYSTEM
from imports.engine import run_import
from organising.bulk import copy_columns_as_expected
from organising.models import (
    Enterprise,
    EnterpriseTally,
    Stage,
    WorkerCountChange,
    enterprise_search_text,
)
from organising.tally import tally_refresh
from tests.factories import GrassrootsFactory

HEADER = [
    "STT",
    "Mã số thuế",
    "Tên doanh nghiệp",
    "Địa chỉ",
    "Mã phường/xã",
    "Khu vực",
    "Số lao động",
    "Lao động nữ",
    "Ngày thành lập",
    "Nguồn",
    "Mã công đoàn cấp trên",
    "Điện thoại",
]
ROWS = 2600  # two chunks of the engine (2.000 + 600)


def _tax(i: int) -> str:
    return f"{4700000000 + i:010d}"


def _row(i: int) -> list:
    tax = _tax(i) + ("-002" if i % 10 == 3 else "")
    return [
        i,
        tax,
        f"Công ty TNHH Đầu tư \\ Xây dựng Số {i}" if i % 7 == 0 else f"Công ty Mặt Trời {i}",
        "" if i % 5 == 0 else f"Số {i} đường Nguyễn Trãi",
        "",
        "Doanh nghiệp nhà nước" if i % 9 == 0 else "",
        f"{30 + i % 40} người" if i % 4 == 0 else 3 + i % 60,
        "" if i % 3 == 0 else i % 3,
        f"{1 + i % 28:02d}/0{1 + i % 9}/2015" if i % 2 else "",
        "BHXH" if i % 11 == 0 else "",
        "TX" if i % 2 else "CG",
        "0912345678",
    ]


def _write(tmp_path, rows, name="thue.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _tally() -> list[tuple]:
    return list(
        EnterpriseTally.objects.order_by(
            "district_union_id", "stage", "linked", "big", "reached", "unionised_year"
        ).values_list(
            "district_union_id",
            "stage",
            "linked",
            "big",
            "reached",
            "unionised_year",
            "n",
            "workers",
        )
    )


def _expected(i: int, org) -> dict:
    row = _row(i)
    tax, _, branch = row[1].partition("-")
    full = row[1]
    workers = row[6] if isinstance(row[6], int) else int(row[6].split()[0])
    return {
        "tax_code": tax,
        "branch": branch,
        "full_tax_code": full,
        "name": row[2],
        "address": row[3],
        "ward_code": None,
        "sector": "state_enterprise" if i % 9 == 0 else "private_enterprise",
        "workers": workers,
        "women": None if row[7] == "" else row[7],
        "founded_on": date(2015, 1 + i % 9, 1 + i % 28) if i % 2 else None,
        "source": "social_insurance" if i % 11 == 0 else "tax_office",
        "district_union_id": org.unit_a.pk if i % 2 else org.unit_b.pk,
        "unit_basis": "assigned",
        "officer_id": None,
        "stage": Stage.NOT_CONTACTED,
        "stage_on": None,
        "reached": 0,
        "grassroots_id": None,
        "unionised_on": None,
        "recruited_by_id": None,
        "recruited_grassroots_id": None,
        "notes": "",
        "search_text": enterprise_search_text(full, row[2], row[3]),
    }


@pytest.mark.django_db(transaction=True)
def test_two_chunks_store_every_value_as_typed(org, tmp_path):
    assert copy_columns_as_expected()  # the COPY fast path is taken on PostgreSQL
    g = GrassrootsFactory(district_union=org.unit_a, tax_code=_tax(1), founded_on=date(2020, 1, 1))
    path = _write(tmp_path, [_row(i) for i in range(1, ROWS + 1)])
    outcome = run_import("enterprises", path, user=SYSTEM, commit=True, source_name="thue.csv")
    assert outcome.ok, outcome.errors[:3]
    assert outcome.counts.new == ROWS and outcome.committed
    fields = [*_expected(1, org)]
    stored = {e["full_tax_code"]: e for e in Enterprise.objects.values(*fields, "created_at")}
    assert len(stored) == ROWS
    for i in range(2, ROWS + 1):
        row = stored[_row(i)[1]]
        created = row.pop("created_at")
        assert row == _expected(i, org), i
        assert abs(created - timezone.now()).total_seconds() < 600
    # The enterprise a CĐCS already carries is linked at once; the others are not.
    linked = Enterprise.objects.get(full_tax_code=_tax(1))
    assert linked.grassroots_id == g.pk and linked.unionised_on == date(2020, 1, 1)
    # The per-unit counts were rebuilt (a rebuild from scratch changes nothing).
    before = _tally()
    assert sum(n for *_, n, _workers in before) == ROWS
    tally_refresh(None)
    assert _tally() == before
    # Saving one by hand keeps the search text the import wrote.
    one = Enterprise.objects.get(full_tax_code=_row(7)[1])
    text = one.search_text
    one.save()
    assert one.search_text == text and "\\" in text


@pytest.mark.django_db(transaction=True)
def test_a_wrong_row_after_the_first_chunk_writes_nothing(org, tmp_path):
    rows = [_row(i) for i in range(1, ROWS + 1)]
    rows[2399][6] = "khoảng 30"  # row 2401 of the file (the header is row 1)
    rows[2499][1] = rows[10][1]  # row 2501 repeats row 12's tax code
    path = _write(tmp_path, rows)
    outcome = run_import("enterprises", path, user=SYSTEM, commit=True, source_name="thue.csv")
    assert not outcome.committed
    problems = [(e.row, e.column, e.message) for e in outcome.errors]
    assert problems[0][:2] == (2401, "Số lao động") and "khoảng 30" in problems[0][2]
    assert problems[1] == (2501, "Mã số thuế", f"Mã số thuế {rows[10][1]} trùng với dòng 12.")
    assert Enterprise.objects.count() == 0
    assert _tally() == []
    # The preview of the corrected file writes nothing either, and counts what would happen.
    rows[2399][6], rows[2499][1] = 30, _tax(9999)
    outcome = run_import("enterprises", _write(tmp_path, rows), user=SYSTEM, commit=False)
    assert outcome.ok and outcome.counts.new == ROWS
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_reimport_over_two_chunks_updates_counts_only(org, users, tmp_path):
    path = _write(tmp_path, [_row(i) for i in range(1, ROWS + 1)])
    assert run_import("enterprises", path, user=SYSTEM, commit=True, source_name="a.csv").ok
    worked = Enterprise.objects.get(full_tax_code=_row(2101)[1])  # in the second chunk
    worked.officer = users.officer_a
    worked.notes = "Đã gặp giám đốc"
    worked.stage = Stage.CONTACTED
    worked.save()
    rows = [_row(i) for i in range(1, ROWS + 1)]
    rows[2100][6] = 250  # new worker count for 2101
    rows[2100][3] = "Địa chỉ khác"  # an address already there is not overwritten
    rows[9][3] = "Số 10 phố Huế"  # enterprise 10 had no address: filled in
    rows[9][10] = "TX"  # its unit (CG) is not moved by a file
    rows.append([9999, _tax(9999), "Công ty Mới", "", "", "", 40, "", "", "", "TX", ""])
    path = _write(tmp_path, rows, "b.csv")
    outcome = run_import("enterprises", path, user=SYSTEM, commit=True, source_name="b.csv")
    assert outcome.ok, outcome.errors[:3]
    assert (outcome.counts.new, outcome.counts.updated) == (1, 2)
    worked.refresh_from_db()
    assert worked.workers == 250 and worked.address == _row(2101)[3]
    assert worked.officer == users.officer_a and worked.notes == "Đã gặp giám đốc"
    assert worked.stage == Stage.CONTACTED
    change = WorkerCountChange.objects.get()
    assert (change.enterprise_id, change.workers_after, change.source_name) == (
        worked.pk,
        250,
        "b.csv",
    )
    change_before = _expected(2101, org)["workers"]
    assert change.workers_before == change_before
    tenth = Enterprise.objects.get(full_tax_code=_row(10)[1])
    assert tenth.address == "Số 10 phố Huế" and tenth.district_union_id == org.unit_b.pk
    assert Enterprise.objects.get(full_tax_code=_tax(9999)).name == "Công ty Mới"
