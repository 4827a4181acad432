"""The drill-down lists as a user meets them: the .xlsx of the same list, jumping to a page,
back to the dashboard they came from, and a bad date that keeps the rest of the form."""

from io import BytesIO
from urllib.parse import quote

import openpyxl
import pytest

from members.models import AccessLog, mask_cccd
from reports.views import DrillDownView

pytestmark = pytest.mark.django_db

NEW_IN_A = (
    "old 01/01/2024",
    "old 30/06/2024",
    "old 01/07/2024",
    "old 31/12/2024",
    "moved 31/12/2024",
)


def _sheet(response):
    workbook = openpyxl.load_workbook(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return workbook.worksheets[0], workbook.worksheets[1]


def test_the_xlsx_is_the_same_list_with_masked_cccd_for_federation_staff(counted, login):
    client = login(counted.staff)
    url = f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&period=nam&unit={counted.a.pk}"
    page = client.get(url).content.decode()
    assert 'id="drill-xlsx" href="?year=2024&amp;period=nam&amp;unit=' in page
    response = client.get(f"{url}&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="danh-sach-doan-vien-moi-2024-nam-'
    )
    data, info = _sheet(response)
    rows = list(data.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Họ và tên", "Ngày sinh", "Số CCCD")
    assert len(rows) - 1 == len(NEW_IN_A)  # the 5 people behind A's number
    cccds = {row[3] for row in rows[1:]}
    assert cccds == {mask_cccd(counted.members[key].cccd) for key in NEW_IN_A}
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.user == counted.staff and log.row_count == 5
    assert log.filters["cccd"] == "masked" and log.filters["unit"] == str(counted.a.pk)
    assert ("Số CCCD", "đã che bớt (chỉ cán bộ đơn vị và quản trị xem đầy đủ)") in list(
        info.iter_rows(values_only=True)
    )


def test_the_units_officer_gets_full_cccd_and_it_is_logged(counted, login):
    client = login(counted.officer_a)
    url = f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&period=nam&unit={counted.a.pk}&export=xlsx"
    data, _ = _sheet(client.get(url))
    cccds = {row[3] for row in list(data.iter_rows(values_only=True))[1:]}
    assert cccds == {counted.members[key].cccd for key in NEW_IN_A}
    assert AccessLog.objects.get(action=AccessLog.Action.EXPORT).filters["cccd"] == "full"
    # Out of scope stays 404, also for the download.
    other = f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={counted.b.pk}&export=xlsx"
    assert client.get(other).status_code == 404


def test_a_cdcs_list_downloads_too(counted, login):
    client = login(counted.staff)
    url = f"/tien-do/chi-tiet/cdcs-moi-25/?year=2024&period=nam&unit={counted.a.pk}&export=xlsx"
    data, _ = _sheet(client.get(url))
    rows = list(data.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Mã", "Tên CĐCS")
    assert {row[1] for row in rows[1:]} == {counted.g[k].code for k in ("jan1", "jul1", "moved")}


def test_jump_to_any_page(counted, login, monkeypatch):
    monkeypatch.setattr(DrillDownView, "paginate_by", 2)
    client = login(counted.staff)
    url = f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&period=nam&unit={counted.a.pk}"
    html = client.get(url).content.decode()
    assert "Đến trang" in html and 'name="page"' in html and 'max="3"' in html
    assert f'<input type="hidden" name="unit" value="{counted.a.pk}">' in html
    third = client.get(f"{url}&page=3").content.decode()
    assert 'aria-current="page"><span class="page-link">3</span>' in third


def test_back_goes_to_the_page_the_list_was_opened_from_with_its_sort(counted, login):
    client = login(counted.staff)
    dashboard = client.get("/?year=2024&sort=-pct_new_members").content.decode()
    back = quote("/?year=2024&sort=-pct_new_members", safe="")
    assert f"back={back}" in dashboard  # every number's link carries the page it is on
    drill = f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&period=nam&unit={counted.a.pk}"
    html = client.get(f"{drill}&back={back}").content.decode()
    assert 'href="/?year=2024&amp;sort=-pct_new_members" id="link-back"' in html
    # No open redirect: another site, a scheme-relative or a backslash path falls back.
    for evil in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ):
        html = client.get(f"{drill}&back={quote(evil, safe='')}").content.decode()
        assert "evil" not in html.split('id="link-back"')[0].rsplit("<a", 1)[-1]
        assert (
            f'href="/tien-do/don-vi/{counted.a.pk}/?year=2024&amp;period=nam" id="link-back"'
            in html
        )


def test_a_bad_date_keeps_the_rest_of_the_form(counted, login):
    client = login(counted.staff)
    url = (
        f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&period=quy-3&as_of=31/02/2024"
        f"&unit={counted.a.pk}&cdcs={counted.g['old'].pk}&back=%2F%3Fsort%3Dnew_members"
    )
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="year" min="2000" max="2100" value="2024"' in html
    assert '<option value="quy-3" selected>' in html
    assert 'value="31/02/2024"' in html
    assert f'<input type="hidden" name="unit" value="{counted.a.pk}">' in html
    assert f'<input type="hidden" name="cdcs" value="{counted.g["old"].pk}">' in html
    assert '<input type="hidden" name="back" value="/?sort=new_members">' in html
