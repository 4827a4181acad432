"""CĐCS list downloads: filters, scope, numbers kept numeric, formula escaping, access log."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imports.engine import run_import
from members.models import AccessLog
from tests.downloads import body
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã CĐCS",
    "Tên CĐCS",
    "Mã công đoàn cấp trên",
    "Công đoàn cấp trên",
    "Mã số thuế",
    "Khu vực",
    "Số lao động",
    "Ngày thành lập",
    "Địa chỉ trụ sở",
    "Ngày giải thể",
    "Lý do giải thể",
]


def export(client, fmt="xlsx", query=""):
    return client.get(reverse("grassroots:grassroots-export", args=[fmt]) + query)


def sheet(response):
    return load_workbook(io.BytesIO(body(response))).worksheets[0]


def test_xlsx_columns_numbers_and_dates(login, users, org):
    ws = sheet(export(login(users.admin)))
    rows = [[c for c in row] for row in ws.iter_rows()]
    assert [c.value for c in rows[0]] == HEADERS
    alpha = next(r for r in rows[1:] if r[1].value == "Công đoàn Công ty Alpha")
    assert alpha[2].value == "TX" and alpha[3].value == "LĐLĐ quận Thanh Xuân"
    assert alpha[5].value == "Doanh nghiệp ngoài nhà nước"
    assert alpha[6].value == 30 and alpha[6].data_type == "n"
    assert alpha[7].value.date() == date(2019, 3, 1)
    assert alpha[4].number_format == "@"


def test_scope_filters_and_log(login, users, org):
    GrassrootsFactory(
        district_union=org.unit_a, name="Công đoàn Trường Mầm non Hoa Sen", workers=10
    )

    def names(response) -> list[str]:
        return sorted(
            c.value for (c,) in sheet(response).iter_rows(min_row=2, min_col=2, max_col=2)
        )

    assert names(export(login(users.officer_b))) == ["Công đoàn Công ty Beta"]
    assert names(export(login(users.other_staff))) == ["Công đoàn Công ty Gamma"]
    client = login(users.staff)
    assert names(export(client, query="?q=hoa sen")) == ["Công đoàn Trường Mầm non Hoa Sen"]
    assert names(export(client, query="?workers_25=on")) == [
        "Công đoàn Công ty Alpha",
        "Công đoàn Công ty Beta",
    ]
    log = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).first()
    assert (log.user, log.row_count, log.filters) == (
        users.staff,
        2,
        {"workers_25": True, "format": "xlsx"},
    )
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 4
    assert export(login(users.norole)).status_code == 404


def test_csv_bom_escaping_and_reimport(login, users, org, tmp_path):
    GrassrootsFactory(district_union=org.unit_a, code="CS-X", name="+Công đoàn lạ", workers=40)
    response = export(login(users.admin), fmt="csv")
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    odd = next(r for r in rows if r[0] == "CS-X")
    assert odd[1] == "'+Công đoàn lạ"
    assert odd[6] == "40"
    path = tmp_path / "cdcs.csv"
    path.write_bytes(data)
    outcome = run_import("grassroots", path, user=users.admin, commit=True, source_name="cdcs")
    assert outcome.ok, outcome.errors
    assert outcome.counts.unchanged == outcome.counts.rows == 4
