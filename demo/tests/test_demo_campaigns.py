"""The demo's campaign windows: Tháng Công nhân 2025 and the July 2026 peak, with targets for
the units of their windows, on thanhpho's dashboard beside the year (whose figures stay)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from grassroots.models import Campaign, CampaignTarget, DistrictUnion
from reports.tests.conftest import table_rows

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_thanhpho_measures_tháng_công_nhân_2025_against_its_own_targets(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="thanhpho"))
    may = Campaign.objects.get(federation__code="HN", name="Tháng Công nhân 2025")
    tx = DistrictUnion.objects.get(name="LĐLĐ quận Thanh Xuân")
    target = CampaignTarget.objects.get(campaign=may, district_union=tx, indicator="new_members")
    # Units ended on 30/06/2025 had May 2025: they have targets; the wards (from 01/07) do not.
    assert not CampaignTarget.objects.filter(
        campaign=may, district_union__founded_on__gt=may.end_on
    ).exists()
    html = client.get(f"/?period=dot-{may.pk}").content.decode()
    assert "Tháng Công nhân 2025 (từ 01/05/2025 đến 31/05/2025)" in html
    row = table_rows(html, "progress-table")["Q. Thanh Xuân"]
    assert row[1] == f"{target.value:,}".replace(",", ".")
    # The year's page is unchanged: Thanh Xuân's 2024 figures of the article.
    year = table_rows(client.get("/?year=2024").content.decode(), "progress-table")
    assert year["Q. Thanh Xuân"][0:2] == ["4.550", "6.500"]
    july = Campaign.objects.get(federation__code="HN", name__startswith="Tháng cao điểm")
    assert (july.start_on.isoformat(), july.end_on.isoformat()) == ("2026-07-01", "2026-07-31")
    assert CampaignTarget.objects.filter(campaign=july).exists()
