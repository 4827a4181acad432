"""Personal data (Law 91/2025/QH15): the full CCCD only where a person's record is opened or
edited, masked in every list and export; each opening and each export is logged."""

import io
import zipfile

import pytest
from django.urls import reverse

from members.models import AccessLog, mask_cccd

from .test_access_matrix import MATRIX, _clients

# Pages of one member's record: the only ones allowed to show the full number.
FULL_CCCD_PAGES = {"members:member-detail", "members:member-update"}


def test_mask_keeps_enough_to_tell_people_apart():
    assert mask_cccd("001090012345") == "0010******45"
    assert len(mask_cccd("001090012345")) == 12


# Downloads are compressed (xlsx): their cells are checked by the export tests below.
DOWNLOADS = {
    "members:member-export",
    "grassroots:grassroots-export",
    "imports:import-errors",
    "organising:enterprise-export",
    "organising:headroom-export",
}


def _text(response) -> str:
    """The answer's text: a page, or every part of a downloaded .xlsx (a zip of XML)."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return "".join(book.read(n).decode(errors="replace") for n in book.namelist())
    return raw.decode(errors="replace")


@pytest.mark.parametrize("name", sorted(set(MATRIX) - FULL_CCCD_PAGES - DOWNLOADS - {"logout"}))
def test_no_list_shows_a_full_cccd(name, org, users, reform):
    """Every other page of the project, as every role: the CCCD of unit A's member appears at
    most masked."""
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(org)) + row.query(org)
    clients = _clients(users, reform)
    shown = []
    for role in clients:
        body = _text(clients[role].get(url))
        if org.member_a.cccd in body:
            shown.append(role)
    assert not shown, f"{url} shows the full CCCD to {shown}"


def test_member_list_shows_the_masked_cccd(org, users, login):
    body = login(users.officer_a).get(reverse("members:member-list")).content.decode()
    assert org.member_a.full_name in body
    assert org.member_a.cccd_masked in body
    assert org.member_a.cccd not in body


def test_admin_member_list_masks_the_cccd(org, users, login):
    body = login(users.admin).get(reverse("admin:members_member_changelist")).content.decode()
    assert org.member_a.cccd_masked in body
    assert org.member_a.cccd not in body


def test_opening_a_record_is_logged(org, users, login):
    client = login(users.officer_a)
    response = client.get(
        reverse("members:member-detail", args=[org.member_a.pk]), REMOTE_ADDR="10.20.30.40"
    )
    assert response.status_code == 200
    assert org.member_a.cccd in response.content.decode()
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.VIEW_MEMBER
    assert (entry.user, entry.member) == (users.officer_a, org.member_a)
    assert entry.ip_address == "10.20.30.40"


def test_a_refused_record_logs_nothing_and_shows_nothing(org, users, login):
    response = login(users.officer_b).get(reverse("members:member-detail", args=[org.member_a.pk]))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_federation_staff_opening_a_record_is_logged_too(org, users, login):
    login(users.staff).get(reverse("members:member-detail", args=[org.member_a.pk]))
    assert AccessLog.objects.filter(user=users.staff, member=org.member_a).count() == 1


def test_dashboard_export_is_logged(org, users, login):
    response = login(users.staff).get(reverse("home"), {"year": 2024, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.EXPORT
    assert entry.user == users.staff
    assert entry.filters.get("export") == "xlsx"


def test_audit_page_shows_cccd_changes_masked(org, users, login):
    """The change history of all members is a list: a CCCD shows masked there too."""
    body = login(users.officer_a).get(reverse("members:audit-list")).content.decode()
    assert org.member_a.full_name in body
    assert org.member_a.cccd_masked in body
    assert org.member_a.cccd not in body


def _export_cells(client, fmt: str) -> list[str]:
    """Every cell of the member list download, as text."""
    import csv
    import io

    import openpyxl

    response = client.get(reverse("members:member-export", kwargs={"fmt": fmt}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    else:
        rows = openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    return [str(cell) for row in rows for cell in row if cell is not None]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_member_export_masks_the_cccd_for_federation_staff(org, users, login, fmt):
    """Federation staff export for meetings and reports: they do not need the numbers."""
    cells = _export_cells(login(users.staff), fmt)
    assert org.member_a.full_name in cells and org.member_b.full_name in cells
    assert org.member_a.cccd_masked in cells
    assert org.member_a.cccd not in cells and org.member_b.cccd not in cells
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert entry.user == users.staff and entry.row_count == 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_member_export_of_an_officer_holds_only_their_unit(org, users, login, fmt):
    """Officers keep the register of their unit: full numbers, and nobody else's members."""
    cells = _export_cells(login(users.officer_a), fmt)
    assert org.member_a.cccd in cells
    assert org.member_b.full_name not in cells and org.member_c.full_name not in cells
    cells_b = _export_cells(login(users.officer_b), fmt)
    assert org.member_a.full_name not in cells_b and org.member_a.cccd not in cells_b
