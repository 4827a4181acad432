"""The floor of the import benchmark: read the members file with python-calamine and COPY it
into the members table, nothing else (no validation, no placements, no history, no figures).

    python -m members.imports.benchfloor FILE DATABASE_URL

Plain Python (no Django), so its time and memory are the least any import of that file can take
on this machine. Only what COPY needs is converted: dates to ISO text, Nam/Nữ to the stored
value, the CĐCS code to its id.
"""

from __future__ import annotations

import io
import sys
from datetime import date, datetime
from urllib.parse import urlparse

import psycopg2
import python_calamine

COLUMNS = (
    "full_name",
    "gender",
    "birth_date",
    "cccd",
    "phone",
    "occupation",
    "card_number",
    "grassroots_id",
    "joined_on",
    "left_on",
    "leave_reason",
    "leave_note",
    "search_text",
    "version",
    "created_at",
    "updated_at",
)
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


def main(path: str, url: str) -> int:
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
        buffer = io.StringIO()
        count = 0
        for row in rows:
            buffer.write(
                "\t".join(
                    (
                        row[name],
                        GENDERS[row[gender]],
                        _day(row[birth]),
                        row[cccd],
                        row[phone],
                        row[job],
                        row[card],
                        str(grassroots[row[code]]),
                        _day(row[joined]),
                        _day(row[left]),
                        REASONS.get(row[reason], ""),
                        "",
                        "",
                        "1",
                        now,
                        now,
                    )
                )
            )
            buffer.write("\n")
            count += 1
        buffer.seek(0)
        cursor.copy_expert(
            f"COPY members_member ({', '.join(COLUMNS)}) FROM STDIN", buffer, size=1 << 20
        )
    connection.close()
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
