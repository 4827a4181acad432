"""The floor of the import benchmark: read the members file with python-calamine (a .csv with the
csv module) and COPY it into the members table, nothing else (no validation, no placements, no
history, no figures).

    python -m benchmarks.import_floor FILE DATABASE_URL [--same-rows | --enterprises]

Plain Python (no Django), so its time and memory are the least any import of that file can take
on this machine: that is why it keeps its own COPY loop instead of unionportal.bulk (which needs
Django's connection); it shares only the column order, members.copy_columns. Only what COPY needs is converted: dates to ISO text, Nam/Nữ to the stored
value, the CĐCS code to its id. With --same-rows it also COPYs what the import must write besides
the member rows (one placement and one history row per member), still without any check: the
floor of writing the same rows into this schema.

With --enterprises the file is a list of enterprises (benchmarks.import_data.ENTERPRISE_HEADER)
and the rows are COPYed into the enterprise register: the tax code split at '-', the worker count
read from its leading digits ("45 người"), the unit code to its id, the other columns as they
are (stage "chưa tiếp cận", no search text): the least an enterprises import can take.
"""

from __future__ import annotations

import csv
import io
import sys
import unicodedata
from datetime import date, datetime
from urllib.parse import urlparse

import psycopg2
import python_calamine

from members.copy_columns import HISTORY_COLUMNS, MEMBER_COLUMNS, PLACEMENT_COLUMNS

# The import's own column order (members.copy_columns is plain constants: no Django here).
COLUMNS = MEMBER_COLUMNS[1:]  # the floor lets the sequence number the members
GENDERS = {"Nam": "male", "Nữ": "female"}
REASONS = {
    "Chuyển công tác": "job_change",
    "Nghỉ hưu": "retirement",
    "Thôi việc": "resignation",
    "Khai trừ": "expulsion",
    "Khác": "other",
}


def _day(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value and isinstance(value, str):  # dd/mm/yyyy text of a CSV
        return f"{value[6:10]}-{value[3:5]}-{value[0:2]}"
    return "\\N"


def _rows(path: str):
    """The rows of the file: .xlsx and .xls through python-calamine; a .csv (Windows-1258 when
    it is not UTF-8) through the csv module, its text NFC-normalised (empty cells "" as calamine's)."""
    if not path.endswith(".csv"):
        return python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows()
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    return iter(list(csv.reader(io.StringIO(text))))


ENTERPRISE_COLUMNS = (
    "tax_code",
    "branch",
    "full_tax_code",
    "name",
    "address",
    "ward_code",
    "sector",
    "workers",
    "women",
    "founded_on",
    "source",
    "district_union_id",
    "unit_basis",
    "stage",
    "reached",
    "notes",
    "search_text",
    "created_at",
    "updated_at",
)


def _connect(url: str):
    parts = urlparse(url)
    return psycopg2.connect(
        dbname=parts.path.lstrip("/"),
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )


def _count(value) -> str:
    if isinstance(value, (int, float)):
        return str(int(value))
    digits = ""
    for char in str(value).strip():
        if not char.isdigit():
            break
        digits += char
    return digits or "0"


def _text(value) -> str:
    return "\\N" if value in (None, "") else str(value)


def enterprises(path: str, url: str) -> int:
    connection = _connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM grassroots_districtunion")
        units = {code: str(pk) for code, pk in cursor.fetchall()}
        now = datetime.now().astimezone().isoformat()
        rows = _rows(path)
        at = {h: i for i, h in enumerate(next(rows))}
        tax, name, address, ward = (
            at["Mã số thuế"],
            at["Tên doanh nghiệp"],
            at["Địa chỉ"],
            at["Mã phường/xã"],
        )
        workers, women, founded, unit = (
            at["Số lao động"],
            at["Lao động nữ"],
            at["Ngày thành lập"],
            at["Mã công đoàn cấp trên"],
        )
        buffer = io.StringIO()
        count = 0
        for row in rows:
            full = str(row[tax]).strip()
            code, _, branch = full.partition("-")
            buffer.write(
                "\t".join(
                    (
                        code,
                        branch,
                        full,
                        row[name],
                        row[address],
                        _text(row[ward]),
                        "private_enterprise",
                        _count(row[workers]),
                        _text(row[women] if row[women] == "" else _count(row[women])),
                        _day(row[founded]),
                        "tax_office",
                        units[row[unit]],
                        "assigned",
                        "not_contacted",
                        "0",
                        "",
                        "",
                        now,
                        now,
                    )
                )
                + "\n"
            )
            count += 1
        buffer.seek(0)
        cursor.copy_expert(
            f"COPY organising_enterprise ({', '.join(ENTERPRISE_COLUMNS)}) FROM STDIN",
            buffer,
            size=1 << 20,
        )
    connection.close()
    print(count)
    return 0


def main(path: str, url: str, same_rows: bool = False) -> int:
    connection = _connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM grassroots_grassrootsunion")
        grassroots = dict(cursor.fetchall())
        now = datetime.now().astimezone().isoformat()
        rows = _rows(path)
        headers = next(rows)
        at = {h: i for i, h in enumerate(headers)}
        name, gender, birth, cccd, phone = (
            at["Họ và tên"],
            at["Giới tính"],
            at["Ngày sinh"],
            at["Số CCCD"],
            at["Số điện thoại"],
        )
        code, joined, card, job = (
            at["Mã CĐCS"],
            at["Ngày kết nạp"],
            at["Số thẻ đoàn viên"],
            at["Nghề nghiệp"],
        )
        left, reason = at["Ngày ra khỏi công đoàn"], at["Lý do"]
        members, placements, history = io.StringIO(), io.StringIO(), io.StringIO()
        count = 0
        rows = list(rows) if same_rows else rows
        ids = iter(())
        if same_rows:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('members_member', 'id')) "
                "FROM generate_series(1, %s)",
                [len(rows)],
            )
            ids = (pk for (pk,) in cursor.fetchall())
        for row in rows:
            left_on = _day(row[left])
            fields = (
                row[name],
                GENDERS[row[gender]],
                _day(row[birth]),
                row[cccd],
                row[phone],
                row[job],
                row[card],
            )
            grassroots_id = str(grassroots[row[code]])
            joined_on = _day(row[joined])
            leave_reason = REASONS.get(row[reason], "")
            member = (
                *fields,
                grassroots_id,
                joined_on,
                left_on,
                leave_reason,
                "",
                "",
                "1",
                now,
                now,
            )
            if same_rows:
                pk = str(next(ids))
                members.write("\t".join((pk, *member)) + "\n")
                end_kind = "left" if left_on != "\\N" else ""
                placements.write(
                    "\t".join(
                        (pk, grassroots_id, joined_on, "admission", left_on, end_kind, "\\N", now)
                    )
                    + "\n"
                )
                history.write(
                    "\t".join(
                        (
                            pk,
                            *fields,
                            joined_on,
                            left_on,
                            leave_reason,
                            "",
                            "1",
                            now,
                            grassroots_id,
                            now,
                            "floor",
                            "+",
                            "\\N",
                        )
                    )
                    + "\n"
                )
            else:
                members.write("\t".join(member) + "\n")
            count += 1
        copies: list[tuple[io.StringIO, tuple[str, ...], str]] = [
            (members, ("id", *COLUMNS) if same_rows else COLUMNS, "members_member")
        ]
        if same_rows:
            copies += [
                (placements, PLACEMENT_COLUMNS, "members_placement"),
                (history, HISTORY_COLUMNS, "members_historicalmember"),
            ]
        for buffer, columns, table in copies:
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer, size=1 << 20
            )
    connection.close()
    print(count)
    return 0


if __name__ == "__main__":
    if "--enterprises" in sys.argv[3:]:
        sys.exit(enterprises(sys.argv[1], sys.argv[2]))
    sys.exit(main(sys.argv[1], sys.argv[2], same_rows="--same-rows" in sys.argv[3:]))
