"""Campaign windows (đợt thi đua): declared by federation staff, with targets per unit and
indicator set on the targets page (`?dot=<id>`), next to the annual ones."""

from datetime import date

import pytest
from django.utils import timezone

from grassroots.models import AnnualTarget, Campaign, CampaignTarget, PeriodLock
from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db
URL = "/cdcs/chi-tieu/"
CREATE = "/cdcs/chi-tieu/dot-thi-dua/them/"


def _campaign(org, name="Tháng Công nhân 2025", start=date(2025, 5, 1), end=date(2025, 5, 31)):
    return Campaign.objects.create(federation=org.federation, name=name, start_on=start, end_on=end)


def test_staff_declare_a_campaign_and_land_on_its_targets(org, users, login):
    client = login(users.staff)
    page = client.get(CREATE)
    assert page.status_code == 200 and "Khai báo đợt thi đua" in page.text
    response = client.post(
        CREATE,
        {"name": "  Tháng Công nhân   2026 ", "start_on": "01/05/2026", "end_on": "31/05/2026"},
    )
    campaign = Campaign.objects.get(federation=org.federation)
    assert campaign.name == "Tháng Công nhân 2026"
    assert (campaign.start_on, campaign.end_on) == (date(2026, 5, 1), date(2026, 5, 31))
    assert response.status_code == 302
    assert response["Location"].endswith(f"year=2026&lien_doan=HN&dot={campaign.pk}")
    targets = client.get(response["Location"])
    assert "Giao chỉ tiêu Tháng Công nhân 2026 (01/05/2026–31/05/2026)" in targets.text
    # The window can be changed, on its own page.
    client.post(
        f"/cdcs/chi-tieu/dot-thi-dua/{campaign.pk}/sua/",
        {"name": "Tháng Công nhân 2026", "start_on": "01/05/2026", "end_on": "20/05/2026"},
    )
    campaign.refresh_from_db()
    assert campaign.end_on == date(2026, 5, 20)


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("01/12/2025", "15/01/2026", "Đợt thi đua phải nằm trong một năm"),
        ("31/05/2026", "01/05/2026", "Ngày kết thúc 01/05/2026 ở trước ngày bắt đầu 31/05/2026"),
        ("32/05/2026", "01/06/2026", "Nhập một ngày hợp lệ"),
    ],
)
def test_a_bad_window_is_refused_with_its_reason(org, users, login, start, end, message):
    response = login(users.staff).post(
        CREATE, {"name": "Đợt lỗi", "start_on": start, "end_on": end}
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Campaign.objects.exists()


def test_the_same_name_twice_in_a_federation_is_refused(org, users, login):
    _campaign(org)
    response = login(users.staff).post(
        CREATE, {"name": "tháng công nhân 2025", "start_on": "01/05/2025", "end_on": "31/05/2025"}
    )
    assert "đã có đợt thi đua tên «tháng công nhân 2025»" in response.text
    assert Campaign.objects.count() == 1


def test_campaign_targets_are_set_beside_the_annual_ones(org, users, login):
    TargetFactory(district_union=org.unit_a, year=2025, new_members=100)
    campaign = _campaign(org)
    client = login(users.staff)
    page = client.get(f"{URL}?lien_doan=HN&dot={campaign.pk}")
    assert page.status_code == 200
    assert f'<option value="{campaign.pk}" selected>' in page.text
    a, b = f"u{org.unit_a.pk}", f"u{org.unit_b.pk}"
    # One indicator is enough for a campaign (the year's need all three or none).
    response = client.post(
        URL,
        {
            "lien_doan": "HN",
            "dot": campaign.pk,
            "year": 2025,
            f"{a}-new_members": "1.200",
            f"{b}-new_grassroots": "3",
        },
    )
    assert response.status_code == 302
    stored = set(CampaignTarget.objects.values_list("district_union_id", "indicator", "value"))
    assert stored == {(org.unit_a.pk, "new_members", 1200), (org.unit_b.pk, "new_grassroots", 3)}
    # The annual target is untouched.
    assert AnnualTarget.objects.get(district_union=org.unit_a).value("new_members") == 100
    # The page shows them again, and a blank cell removes one.
    assert 'value="1.200"' in client.get(f"{URL}?lien_doan=HN&dot={campaign.pk}").text
    client.post(URL, {"lien_doan": "HN", "dot": campaign.pk, "year": 2025, f"{a}-new_members": ""})
    assert not CampaignTarget.objects.filter(district_union=org.unit_a).exists()


def test_another_federations_campaign_answers_404(org, users, login):
    campaign = _campaign(org)
    other = login(users.other_staff)
    assert other.get(f"{URL}?dot={campaign.pk}").status_code == 404
    assert (
        other.post(URL, {"dot": campaign.pk, f"u{org.unit_a.pk}-new_members": "5"}).status_code
        == 404
    )
    assert login(users.staff).get(f"{URL}?dot=abc").status_code == 404
    assert not CampaignTarget.objects.exists()


def test_campaign_targets_follow_the_period_locks(org, users, login):
    campaign = _campaign(org)
    PeriodLock.objects.create(
        unit=org.unit_a,
        year=2025,
        kind="thang-5",
        start=date(2025, 5, 1),
        end=date(2025, 5, 31),
        label="Tháng 5/2025",
        approver_name="Trần Duyệt",
        approved_at=timezone.now(),
        contact="Ban Tổ chức LĐLĐ",
    )
    response = login(users.staff).post(
        URL, {"lien_doan": "HN", "dot": campaign.pk, f"u{org.unit_a.pk}-new_members": "50"}
    )
    assert response.status_code == 200
    assert "Tháng 5/2025" in response.text and "Chưa lưu" in response.text
    assert not CampaignTarget.objects.exists()


def test_a_campaign_is_deleted_with_its_targets_after_confirmation(org, users, login):
    campaign = _campaign(org)
    CampaignTarget.objects.create(
        campaign=campaign, district_union=org.unit_a, indicator="new_members", value=7
    )
    client = login(users.staff)
    url = f"/cdcs/chi-tieu/dot-thi-dua/{campaign.pk}/xoa/"
    assert "1 chỉ tiêu đã giao" in client.get(url).text
    refused = client.post(url, {})
    assert "Đánh dấu ô xác nhận" in refused.text and Campaign.objects.exists()
    assert client.post(url, {"xac_nhan": "1"}).status_code == 302
    assert not Campaign.objects.exists() and not CampaignTarget.objects.exists()
    assert CampaignTarget.history.filter(history_type="-").get().history_user == users.staff


def test_a_campaign_inside_an_approved_period_is_not_deleted(org, users, login):
    campaign = _campaign(org)
    CampaignTarget.objects.create(
        campaign=campaign, district_union=org.unit_a, indicator="new_members", value=7
    )
    PeriodLock.objects.create(
        unit=org.unit_a,
        year=2025,
        kind="nam",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        label="Năm 2025",
        approver_name="Trần Duyệt",
        approved_at=timezone.now(),
        contact="Ban Tổ chức LĐLĐ",
    )
    response = login(users.staff).post(
        f"/cdcs/chi-tieu/dot-thi-dua/{campaign.pk}/xoa/", {"xac_nhan": "1"}
    )
    assert response.status_code == 200 and "Năm 2025" in response.text
    assert CampaignTarget.objects.count() == 1
