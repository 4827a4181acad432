"""The demo register of enterprises and the issue's journey: `phuongthanhxuan` imports the tax
office's list (demo/files/) and sees "35 doanh nghiệp từ 25 lao động chưa có CĐCS", then assigns
one, records two visits, moves it to "đã thành lập ban vận động" and founds its CĐCS."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.enterprises import TAX_OFFICE_FILE, tax_office_rows
from grassroots.models import GrassrootsUnion
from organising.models import Contact, Enterprise, Stage, StageChange
from organising.selectors import headroom_for

pytestmark = pytest.mark.django_db


def _ward_row(user):
    today = timezone.localdate()
    page = headroom_for(user, year=today.year, today=today)
    return next(r for r in page.rows if r.name == "Công đoàn phường Thanh Xuân")


def test_the_register_spreads_over_units_stages_and_years(demo):
    assert 2000 < Enterprise.objects.count() < 10000
    shown = set(Enterprise.objects.with_shown_stage().values_list("shown_stage", flat=True))
    assert shown == {s.value for s in Stage}
    assert Contact.objects.exists() and StageChange.objects.exists()
    assert Enterprise.objects.filter(ward_code__isnull=False).exists()
    assert Enterprise.objects.exclude(women=None).exists()
    # The enterprises behind the CĐCS founded each year: conversions show in history.
    thanhpho = get_user_model().objects.get(username="thanhpho")
    for year in (2019, 2022, 2024):
        page = headroom_for(thanhpho, year=year, today=timezone.localdate())
        founded = (
            GrassrootsUnion.objects.exclude(tax_code="")
            .filter(
                founded_on__year=year,
                dissolved_on__isnull=True,
                district_union__federation__code="HN",
            )
            .count()
        )
        assert page.total.conversions == founded > 0


def test_the_tax_office_file_is_the_committed_one():
    from openpyxl import load_workbook

    sheet = load_workbook(TAX_OFFICE_FILE, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(tax_office_rows()) == 30
    assert len(rows[0]) == 15  # many columns, most not needed
    assert any(str(r[1]).endswith("-001") for r in rows)
    assert any(isinstance(r[11], str) for r in rows)  # worker counts sometimes text


def test_journey_import_assign_visits_committee_found(demo, client):
    officer = get_user_model().objects.get(username="phuongthanhxuan")
    before = _ward_row(officer)
    assert (before.without_union_25, before.committee_25) == (20, 6)
    out = StringIO()
    call_command(
        "import_enterprises", str(TAX_OFFICE_FILE), "--user", "phuongthanhxuan", stdout=out
    )
    after = _ward_row(officer)
    assert (after.without_union_25, after.committee_25) == (35, 6)
    assert "có 35 doanh nghiệp từ 25 lao động chưa có CĐCS, 6 đã có ban vận động" in after.sentence
    client.force_login(officer)
    page = client.get(reverse("organising:headroom"))
    assert "có 35 doanh nghiệp từ 25 lao động chưa có CĐCS" in page.content.decode()
    # The unit's own dashboard says it too, next to its CĐCS target.
    home = client.get("/").content.decode()
    assert "có 35 doanh nghiệp từ 25 lao động chưa có CĐCS, 6 đã có ban vận động" in home
    # A re-imported known enterprise: worker count updated and recorded, stage kept.
    known = Enterprise.objects.get(full_tax_code="0193670001")
    assert known.worker_changes.count() == 1 and known.stage == Stage.COMMITTEE
    assert Enterprise.objects.get(full_tax_code="0199367004").workers == 1200
    assert Enterprise.objects.filter(full_tax_code="0199367006-001").exists()

    e = Enterprise.objects.get(full_tax_code="0199367001")
    today = timezone.localdate().strftime("%d/%m/%Y")
    url = lambda name: reverse(f"organising:{name}", args=[e.pk])  # noqa: E731
    assert (
        client.post(url("enterprise-assign"), {"officer": officer.pk, "on": today}).status_code
        == 302
    )
    for people in ("Nguyễn Văn An (giám đốc)", "Trần Thị Bình (kế toán)"):
        response = client.post(
            url("enterprise-contact"), {"on": today, "people": people, "outcome": "Đồng ý"}
        )
        assert response.status_code == 302
    e.refresh_from_db()
    assert e.stage == Stage.CONTACTED  # the first visit moved it on by itself
    response = client.post(
        url("enterprise-stage"), {"stage": Stage.COMMITTEE, "on": today, "note": ""}
    )
    assert response.status_code == 302
    assert _ward_row(officer).committee_25 == 7
    founded_before = after.founded
    response = client.post(
        url("enterprise-found"),
        {"code": "P367-NEW", "name": f"Công đoàn {e.name}", "founded_on": today,
         "workers": e.workers, "sector": e.sector},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    e.refresh_from_db()
    assert e.grassroots_id and e.shown_stage == Stage.FOUNDED and e.recruited_by == officer
    assert e.officer == officer and e.contacts.count() == 2
    final = _ward_row(officer)
    officer_unit = final.unit_id
    assert "có 34 doanh nghiệp từ 25 lao động" in client.get("/").content.decode()
    assert final.without_union_25 == 34 and final.committee_25 == 6
    assert final.conversions == after.conversions + 1 and final.founded == founded_before + 1
    # thanhpho sees the headroom of every unit on one page.
    client.force_login(get_user_model().objects.get(username="thanhpho"))
    text = client.get(reverse("organising:headroom")).content.decode()
    assert "Công đoàn phường Thanh Xuân" in text and "Công đoàn phường Cầu Giấy" in text
    assert "Tổng cộng" in text
    # ... and on the federation dashboard, next to each unit's CĐCS target and the total.
    home = client.get("/").content.decode()
    block = home[home.index('id="headroom-block"') :]
    ward = block[block.index(f'id="headroom-unit-{officer_unit}"') :]
    assert (
        "có 34 doanh nghiệp từ 25 lao động chưa có CĐCS, 6 đã có ban vận động"
        in (ward[: ward.index("</tr>")])
    )
    assert 'id="headroom-total"' in block
