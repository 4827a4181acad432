"""The admin's import and export of the reference tables (django-import-export): the units
import's columns and rules, all or nothing, admins only; exports over what the user sees."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from grassroots.models import DistrictUnion, Federation
from grassroots.resources import ADMIN_UNIT_COLUMNS, DistrictUnionResource

pytestmark = pytest.mark.django_db

IMPORT_URL = "/quan-tri/grassroots/districtunion/import/"
PROCESS_URL = "/quan-tri/grassroots/districtunion/process_import/"
HEADERS = [c.header for c in ADMIN_UNIT_COLUMNS]


def csv_file(rows: list[list[str]]) -> SimpleUploadedFile:
    lines = [",".join(HEADERS)] + [",".join(row) for row in rows]
    return SimpleUploadedFile("don-vi.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


def csv_format() -> str:
    model_admin = admin.site._registry[DistrictUnion]
    titles = [f().get_title() for f in model_admin.get_import_formats()]
    return str(titles.index("csv"))


def upload(client, rows):
    return client.post(
        IMPORT_URL, {"import_file": csv_file(rows), "format": csv_format(), "resource": "0"}
    )


def test_the_admin_imports_units_with_the_import_columns_and_history(org, users, client):
    client.force_login(users.admin)
    page = upload(
        client,
        [
            ["TX", "LĐLĐ quận Thanh Xuân mới", "HN", ""],
            ["hd", "LĐLĐ quận Hà Đông", "hn", "LĐLĐ quận/huyện"],
            ["GD-HN", "Công đoàn ngành Giáo dục", "HN", "công đoàn ngành"],
        ],
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "errorlist" not in html and "Lỗi" not in html
    form = page.context["confirm_form"]
    done = client.post(PROCESS_URL, {**form.initial, "resource": "0"})
    assert done.status_code == 302
    assert DistrictUnion.objects.get(code="TX").name == "LĐLĐ quận Thanh Xuân mới"
    created = DistrictUnion.objects.get(code="HD")
    assert created.federation == org.federation and created.kind == "district"
    assert DistrictUnion.objects.get(code="GD-HN").kind == "sector"
    record = created.history.get()
    assert record.history_user == users.admin
    assert record.history_change_reason == "Nhập từ trang quản trị"


def test_the_admin_import_applies_the_units_rules_all_or_nothing(org, users, client):
    client.force_login(users.admin)
    page = upload(
        client,
        [
            ["HD", "LĐLĐ quận Hà Đông", "HN", ""],
            ["X2", "Đơn vị X2", "HN", "Công đoàn phường"],
            ["X3", "Đơn vị X3", "KHONGCO", ""],
            ["LC", "LĐLĐ quận Lê Chân", "HN", ""],  # belongs to HP
        ],
    )
    html = page.content.decode().replace("&#x27;", "'")
    # The units import's words (grassroots.rules).
    assert "Loại 'Công đoàn phường' không có trong danh sách: LĐLĐ quận/huyện;" in html
    assert "Không có LĐLĐ tỉnh/thành phố mã 'KHONGCO'." in html
    assert "Đơn vị LC đang thuộc 'HP': nhập file không chuyển đơn vị sang LĐLĐ khác." in html
    assert "confirm_form" not in page.context or page.context["confirm_form"] is None
    assert not DistrictUnion.objects.filter(code__in=["HD", "X2", "X3"]).exists()
    assert DistrictUnion.objects.get(code="LC").federation == org.other_federation


def test_only_admins_import_and_exports_follow_the_scope(org, users, client):
    staff = users.staff  # federation staff of HN
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_districtunion", "change_districtunion", "view_districtunion"]
        )
    )
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, [["HD", "LĐLĐ quận Hà Đông", "HN", ""]]).status_code == 403
    assert not DistrictUnion.objects.filter(code="HD").exists()

    model_admin = admin.site._registry[DistrictUnion]
    request = RequestFactory().get("/quan-tri/grassroots/districtunion/")
    request.user = staff
    assert model_admin.has_export_permission(request)
    exported = DistrictUnionResource().export(queryset=model_admin.get_queryset(request))
    assert exported.headers == HEADERS
    assert sorted(row[0] for row in exported) == ["CG", "TX"]  # not HP's LC
    assert {tuple(row) for row in exported} >= {("TX", org.unit_a.name, "HN", "LĐLĐ quận/huyện")}


def test_the_admin_federation_import_does_not_turn_a_union_into_a_federation(org, users, client):
    client.force_login(users.admin)
    model_admin = admin.site._registry[Federation]
    titles = [f().get_title() for f in model_admin.get_import_formats()]
    content = "Mã đơn vị,Tên đơn vị\nTX,LĐLĐ Thanh Xuân\nDN,LĐLĐ thành phố Đà Nẵng\n"
    page = client.post(
        "/quan-tri/grassroots/federation/import/",
        {
            "import_file": SimpleUploadedFile("lien-doan.csv", content.encode(), "text/csv"),
            "format": str(titles.index("csv")),
            "resource": "0",
        },
    )
    html = page.content.decode().replace("&#x27;", "'")
    assert "Mã TX là công đoàn cấp trên thuộc 'HN': không đổi thành LĐLĐ bằng nhập file." in html
    assert not Federation.objects.filter(code__in=["TX", "DN"]).exists()
