"""Issue 4's "done means", through the pages (the browser version is in tests/browser): an
officer founds a CĐCS, admits three members with "Lưu và kết nạp tiếp", finds one by typing her
name without accents, transfers one, records another leaving; the unit's figures count the
three admissions; every bad input on the way is explained and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.models import GrassrootsUnion, UserRole
from members.models import Member, Placement
from reports.selectors import figures_by_unit
from tests.factories import GrassrootsFactory, make_user

pytestmark = pytest.mark.django_db


def hidden(html: str, name: str) -> str:
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html).group(1)


def state():
    return (
        GrassrootsUnion.objects.count(),
        Member.objects.count(),
        Placement.objects.count(),
        list(Member.objects.order_by("pk").values("pk", "grassroots_id", "left_on", "version")),
    )


def test_officer_journey(org, client):
    officer = make_user("thanhxuan", UserRole.Role.DISTRICT_OFFICER, org.unit_a)
    client.force_login(officer)
    today = timezone.localdate()
    day = (today - timedelta(days=10)).strftime("%d/%m/%Y")
    later = (today - timedelta(days=2)).strftime("%d/%m/%Y")
    other = GrassrootsFactory(district_union=org.unit_a, name="Công đoàn Công ty Hồng Hà")
    before = figures_by_unit([org.unit_a.pk], today - timedelta(days=60), today)[org.unit_a.pk]

    # 1. found a CĐCS (a bad tax code first: explained, nothing written)
    create = reverse("grassroots:grassroots-create")
    data = {
        "name": "Công đoàn Công ty TNHH Hoà Bình",
        "code": "TX-HB01",
        "tax_code": "12345",
        "sector": "private_enterprise",
        "workers": "40",
        "founded_on": day,
        "district_union": org.unit_a.pk,
    }
    snapshot = state()
    assert "Mã số thuế phải gồm 10 chữ số" in client.post(create, data).content.decode()
    assert state() == snapshot
    response = client.post(create, {**data, "tax_code": "0101234567"})
    grassroots = GrassrootsUnion.objects.get(code="TX-HB01")
    assert response.url == reverse("grassroots:grassroots-detail", args=[grassroots.pk])

    # 2. admit three with "Lưu và kết nạp tiếp": CĐCS and date stay filled in
    url = reverse("members:member-create") + f"?grassroots={grassroots.pk}"
    people = [
        ("Nguyễn Thị Hoà", "female", "001190000201"),
        ("Trần Văn Đức", "male", "001090000202"),
        ("Lê Thị Ánh", "female", "001190000203"),
    ]
    for index, (name, gender, cccd) in enumerate(people):
        page = client.get(url).content.decode()
        assert re.search(rf'<option value="{grassroots.pk}" selected>', page)
        form = {
            "full_name": name,
            "gender": gender,
            "birth_date": "05/03/1990",
            "cccd": cccd,
            "grassroots": grassroots.pk,
            "joined_on": day,
            "form_token": hidden(page, "form_token"),
            "action": "save_and_next",
        }
        if index == 0:  # a CCCD typed without its leading zero: explained, nothing written
            snapshot = state()
            bad = client.post(url, {**form, "cccd": cccd[1:]}).content.decode()
            assert "Số CCCD có 11 chữ số: cần nhập đủ 12 chữ số" in bad
            assert "Excel" not in bad.split("<main", 1)[-1].split("</main>")[0]
            assert state() == snapshot
        response = client.post(url, form)
        url = response.url
        assert f"joined_on={day.replace('/', '%2F')}" in url
    assert Member.objects.filter(grassroots=grassroots).count() == 3

    # 3. find one by typing her name without accents
    listing = client.get(reverse("members:member-list"), {"q": "nguyen thi hoa"})
    assert [m.full_name for m in listing.context["object_list"]] == ["Nguyễn Thị Hoà"]

    # 4. transfer one (a date before her admission first: explained, nothing written)
    duc = Member.objects.get(cccd="001090000202")
    transfer = reverse("members:member-transfer", args=[duc.pk])
    snapshot = state()
    too_early = (today - timedelta(days=30)).strftime("%d/%m/%Y")
    response = client.post(
        transfer, {"to_grassroots": other.pk, "on": too_early, "version": duc.version}
    )
    assert "Ngày chuyển phải sau ngày" in response.content.decode()
    assert state() == snapshot
    client.post(transfer, {"to_grassroots": other.pk, "on": later, "version": duc.version})
    duc.refresh_from_db()
    assert duc.grassroots == other

    # 5. record another leaving
    anh = Member.objects.get(cccd="001190000203")
    client.post(
        reverse("members:member-leave", args=[anh.pk]),
        {"on": later, "reason": "resignation", "version": anh.version},
    )
    anh.refresh_from_db()
    assert anh.left_on is not None

    # 6. the unit's figures (what the district dashboard shows) count three admissions; the
    # transfer inside the unit is not an admission
    after = figures_by_unit([org.unit_a.pk], today - timedelta(days=60), today)[org.unit_a.pk]
    assert after.new_members - before.new_members == 3
    assert after.new_grassroots - before.new_grassroots == 1
