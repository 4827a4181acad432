"""The floor of the import benchmark: read the members file with python-calamine and COPY it
into the members table, nothing else (no validation, no placements, no history, no figures).

    python -m benchmarks.import_floor FILE DATABASE_URL [--same-rows]

Plain Python (no Django), so its time and memory are the least any import of that file can take
on this machine: that is why it keeps its own COPY loop instead of unionportal.bulk (which needs
Django's connection); it shares only the column order, members.copy_columns. Only what COPY needs is converted: dates to ISO text, Nam/Nữ to the stored
value, the CĐCS code to its id. With --same-rows it also COPYs what the import must write besides
the member rows (one placement and one history row per member), still without any check: the
floor of writing the same rows into this schema.
"""

from __future__ import annotations

import io
import sys
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
    return "\\N"


def main(path: str, url: str, same_rows: bool = False) -> int:
    parts = urlparse(url)
    connection = psycopg2.connect(
        dbname=parts.path.lstrip("/"),
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM grassroots_grassrootsunion")
        grassroots = dict(cursor.fetchall())
        now = datetime.now().astimezone().isoformat()
        sheet = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        rows = sheet.iter_rows()
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
        copies = [(members, ("id", *COLUMNS) if same_rows else COLUMNS, "members_member")]
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
    sys.exit(main(sys.argv[1], sys.argv[2], same_rows="--same-rows" in sys.argv[3:]))
