"""The user guide inside the portal: one page per everyday task, linked from every page."""

import pytest
from django.urls import reverse

from unionportal.guide import TOPICS

pytestmark = pytest.mark.django_db


def test_the_guide_has_a_page_per_task(client):
    index = client.get(reverse("guide:guide-index")).content.decode()
    assert "Hướng dẫn sử dụng" in index
    titles = {t.slug: t.title for t in TOPICS}
    assert set(titles) == {
        "thanh-lap-cdcs",
        "ket-nap",
        "nhap-du-lieu",
        "bang-tien-do",
        "chi-tieu",
        "phuong-an-sap-xep",
        "du-dia",
        "bao-cao-ky",
        "hoat-dong",
    }
    for slug, title in titles.items():
        url = reverse("guide:guide-topic", args=[slug])
        assert f'href="{url}"' in index
        page = client.get(url)
        assert page.status_code == 200 and title in page.content.decode()
    assert client.get(reverse("guide:guide-topic", args=["khong-co"])).status_code == 404


def test_every_page_links_to_the_guide(org, users, login):
    guide = f'href="{reverse("guide:guide-index")}"'
    assert guide in login(users.officer_a).get("/").content.decode()
    assert guide in login(users.staff).get("/doan-vien/").content.decode()
    from django.test import Client

    assert guide in Client().get(reverse("login")).content.decode()


def test_the_guide_names_the_buttons_users_see(org, users, login):
    """The guide's step names are the real buttons (a renamed button must update the guide)."""
    officer = login(users.officer_a)
    create = officer.get(reverse("members:member-create")).content.decode()
    assert "Lưu và kết nạp tiếp" in create
    guide = officer.get(reverse("guide:guide-topic", args=["ket-nap"])).content.decode()
    assert "Lưu và kết nạp tiếp" in guide and "Chuyển sinh hoạt" in guide
    detail = officer.get(reverse("members:member-detail", args=[org.member_a.pk])).content
    assert "Chuyển sinh hoạt" in detail.decode()


def test_the_organising_guide_names_the_buttons_users_see(org, users, login):
    from django.utils import timezone

    from organising.models import Enterprise

    now = timezone.now()
    e = Enterprise.objects.create(
        tax_code="0108000009", name="Công ty X", source="tax_office",
        district_union=org.unit_a, workers=30, created_at=now, updated_at=now,
    )  # fmt: skip
    officer = login(users.officer_a)
    detail = officer.get(reverse("organising:enterprise-detail", args=[e.pk])).content.decode()
    guide = officer.get(reverse("guide:guide-topic", args=["du-dia"])).content.decode()
    for button in ("Giao", "Ghi lần tiếp xúc", "Lưu giai đoạn", "Thành lập CĐCS"):
        assert f">{button}<" in detail and button in guide
    assert "Doanh nghiệp chưa có CĐCS" in guide
