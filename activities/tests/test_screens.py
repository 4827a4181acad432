import pytest
from django.urls import reverse

from activities.models import CollectiveAgreement, OfficerPosition, SupportPayout

pytestmark = pytest.mark.django_db


def test_agreement_bad_input_writes_nothing(org, users, client):
    client.force_login(users.officer_a)
    url = reverse("activities:agreements", args=[org.grassroots_a.pk])
    response = client.post(
        url,
        {
            "signed_on": "31/02/2024",
            "valid_until": "01/01/2026",
            "grade": "C",
            "workers_covered": "abc",
        },
    )
    text = response.content.decode()
    assert "Ngày ký phải có dạng dd/mm/yyyy" in text
    assert "Xếp loại phải là A hoặc B." in text
    assert CollectiveAgreement.objects.count() == 0


def test_agreement_recorded_then_due_and_marked_paid(org, users, client):
    client.force_login(users.officer_a)
    url = reverse("activities:agreements", args=[org.grassroots_a.pk])
    client.post(
        url,
        {
            "signed_on": "01/03/2024",
            "valid_until": "01/03/2027",
            "grade": "A",
            "workers_covered": "120",
        },
    )
    assert CollectiveAgreement.objects.count() == 1
    client.force_login(users.staff)
    ledger = reverse("activities:payouts") + "?nam=2024"
    assert "8.500.000 đ" in client.get(ledger).content.decode()
    key = f"agreement-{CollectiveAgreement.objects.get().pk}"
    bad = client.post(ledger, {"key": key, "paid_on": "05/03/2024", "voucher": ""})
    assert "Cần nhập số chứng từ" in bad.content.decode()
    assert SupportPayout.objects.count() == 0
    # due → approved → paid: paying before the approval is refused.
    early = client.post(ledger, {"key": key, "paid_on": "05/03/2024", "voucher": "PC-12"})
    assert "chưa được duyệt chi: cần duyệt chi trước khi ghi đã chi" in early.content.decode()
    assert SupportPayout.objects.count() == 0
    client.post(ledger, {"key": key, "action": "approve"})
    approved = SupportPayout.objects.get()
    assert (approved.status, approved.approved_by, approved.approved_by_name) == (
        "approved",
        users.staff,
        "staff",
    )
    assert approved.approved_at is not None
    page = client.get(ledger).content.decode()
    assert "Đã duyệt chi" in page and "Duyệt chi: staff," in page
    again = client.post(ledger, {"key": key, "action": "approve"})
    assert "Khoản hỗ trợ này đã được duyệt chi (staff," in again.content.decode()
    client.post(ledger, {"key": key, "paid_on": "05/03/2024", "voucher": "PC-12"})
    paid = SupportPayout.objects.get()
    assert (paid.status, paid.voucher, paid.approved_by_name) == ("paid", "PC-12", "staff")
    # The accountant's workbook names who approved and when, after the historical columns.
    from tests.downloads import text_of

    workbook = text_of(client.get(reverse("activities:payouts-export") + "?nam=2024"))
    assert "Người duyệt chi" in workbook and "PC-12" in workbook
    # An officer approves nothing.
    client.force_login(users.officer_a)
    assert client.post(ledger, {"key": key, "action": "approve"}).status_code == 404
    # officer B sees nothing of unit A's ledger
    from django.test import Client

    other = Client()
    other.force_login(users.officer_b)
    assert "Alpha" not in other.get(ledger).content.decode()


def test_weak_list_states_criteria_and_names_the_cdcs_without_chair(org, users, client):
    client.force_login(users.officer_a)
    text = client.get(reverse("activities:weak")).content.decode()
    assert "Không có chủ tịch" in text and "Alpha" in text and "Beta" not in text


def test_position_added_and_refused_in_the_future(org, users, client):
    client.force_login(users.officer_a)
    url = reverse("activities:officers", args=[org.grassroots_a.pk])
    client.post(url, {"member": org.member_a.pk, "role": "chair", "started_on": "01/01/2099"})
    assert OfficerPosition.objects.count() == 0
    client.post(url, {"member": org.member_a.pk, "role": "chair", "started_on": "01/01/2021"})
    assert OfficerPosition.objects.get().role == "chair"


def test_cdcs_and_member_pages_link_to_their_activity_screens(org, users, client):
    client.force_login(users.officer_a)
    grassroots = org.grassroots_a
    page = client.get(
        reverse("grassroots:grassroots-detail", args=[grassroots.pk])
    ).content.decode()
    assert f'href="{reverse("activities:officers", args=[grassroots.pk])}"' in page
    assert f'href="{reverse("activities:agreements", args=[grassroots.pk])}"' in page
    member = org.member_a
    page = client.get(reverse("members:member-detail", args=[member.pk])).content.decode()
    assert f'href="{reverse("activities:member-party", args=[member.pk])}"' in page
