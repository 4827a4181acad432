"""Finding 16 of issue 14: "this CCCD belongs to a member of another unit" (admission form,
edit form, import) is kept to prevent duplicates, written to the access log every time and
rate-limited per user."""

from django.test import override_settings
from django.urls import reverse

from imports.engine import run_import
from members.models import AccessLog, Member


def _admit(client, org, cccd: str, grassroots=None):
    return client.post(
        reverse("members:member-create"),
        {
            "full_name": "Phạm Thị Dò",
            "gender": "female",
            "birth_date": "01/01/1990",
            "cccd": cccd,
            "grassroots": (grassroots or org.grassroots_a).pk,
            "joined_on": "01/02/2024",
        },
    )


def test_every_hit_is_logged(org, users, login):
    client = login(users.officer_a)
    response = _admit(client, org, org.member_c.cccd)  # a member of the other federation
    assert "đoàn viên thuộc đơn vị khác" in response.content.decode()
    entry = AccessLog.objects.get(action=AccessLog.Action.CCCD_CHECK)
    assert entry.user == users.officer_a and entry.row_count == 1
    assert org.member_c.cccd not in entry.what  # masked in the log too
    # A new number is no hit.
    _admit(client, org, "001199000001")
    assert AccessLog.objects.filter(action=AccessLog.Action.CCCD_CHECK).count() == 1


@override_settings(CCCD_CHECK_LIMIT=3)
def test_the_oracle_is_rate_limited_per_user(org, users, login):
    client = login(users.officer_a)
    for _ in range(3):
        _admit(client, org, org.member_c.cccd)
    # Over the limit: refused whatever the number, so probing stops answering.
    response = _admit(client, org, "001199000002")
    assert "quá nhiều số CCCD thuộc đơn vị khác" in response.content.decode()
    assert not Member.objects.filter(cccd="001199000002").exists()
    # Another officer is not affected.
    response = _admit(login(users.officer_b), org, "001199000003", org.grassroots_b)
    assert response.status_code == 302


def test_import_hits_are_logged(org, users, tmp_path):
    path = tmp_path / "dv.csv"
    path.write_text(
        "\ufeffHọ và tên,Giới tính,Ngày sinh,Số CCCD,Số điện thoại,Mã CĐCS,Ngày kết nạp\n"
        f"Phạm Thị Dò,Nữ,01/01/1990,{org.member_c.cccd},,{org.grassroots_a.code},01/02/2024\n",
        encoding="utf-8",
    )
    outcome = run_import("members", path, user=users.officer_a, commit=False)
    assert outcome.error_count == 1
    entry = AccessLog.objects.get(action=AccessLog.Action.CCCD_CHECK)
    assert entry.user == users.officer_a and entry.row_count == 1
