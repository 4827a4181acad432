"""The further indicators on the demo: the articles' training and Party figures (issue 16)."""

from datetime import date

import pytest
from django.test import override_settings

from activities.models import OfficerPosition
from grassroots.models import DistrictUnion, TargetValue
from reports.indicators import further_by_unit

pytestmark = pytest.mark.slow


@pytest.mark.django_db
@override_settings(UNIONPORTAL_INDICATORS=None)
def test_thanh_xuan_2024_and_bac_tu_liem_h1_2020_as_the_articles_say(demo):
    tx = DistrictUnion.objects.get(code="TX")
    figures = further_by_unit([tx.pk], date(2024, 1, 1), date(2024, 12, 31))[tx.pk]
    targets = dict(
        TargetValue.objects.filter(target__district_union=tx, target__year=2024).values_list(
            "indicator", "value"
        )
    )
    # "tập huấn … cho 1.058 cán bộ Công đoàn cơ sở (đạt 91%)"
    assert (figures["officers_trained"], targets["officers_trained"]) == (1058, 1163)
    assert round(100 * 1058 / 1163) == 91
    # "100% Chủ tịch Công đoàn cơ sở tham gia lần đầu được đào tạo"
    assert figures["new_chairs_trained"] == targets["new_chairs_trained"] > 0
    # "giới thiệu 286 đoàn viên … ưu tú cho Đảng"
    assert figures["party_introduced"] == 286
    assert figures["agreements_a"] > 0 and figures["agreements_b"] > 0
    # The first three stay as they were.
    assert (targets["new_members"], targets["new_grassroots"]) == (6500, 20)

    btl = DistrictUnion.objects.get(code="BTL")
    half = further_by_unit([btl.pk], date(2020, 1, 1), date(2020, 6, 30))[btl.pk]
    assert half["party_admitted"] == 31  # "31 đoàn viên … được kết nạp Đảng" in 6 months

    # Today's CĐCS have their officers, so an attendance list has someone to match.
    assert OfficerPosition.objects.filter(role="chair", ended_on__isnull=True).count() > 1000


@pytest.mark.django_db
def test_thanhpho_sees_the_further_columns_and_clicks_the_1058(demo, settings):
    import csv
    import re
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from reports.tests.conftest import table_rows

    def report(**indicators):
        settings.UNIONPORTAL_INDICATORS = indicators.get("codes")
        out = StringIO()
        call_command("progress_report", "--year", "2024", "--format", "csv", stdout=out)
        return list(csv.reader(StringIO(out.getvalue())))

    three, ten = report(codes=()), report(codes=None)
    # Existing scripts read the first 13 columns: the same, row by row, with or without the rest.
    assert [r[:13] for r in ten] == [r[:13] for r in three]
    header = ten[0]
    tx = next(r for r in ten if "LĐLĐ quận Thanh Xuân" in r)
    at = header.index("officers_trained")
    assert tx[at : at + 2] == ["1058", "1163"]

    settings.UNIONPORTAL_INDICATORS = None
    client = Client()
    client.force_login(get_user_model().objects.get(username="thanhpho"))
    html = client.get("/?year=2024").content.decode()
    row = table_rows(html, "progress-table")["Q. Thanh Xuân"]
    assert row[0:2] == ["4.550", "6.500"]  # the first three in their place
    assert row[13:15] == ["1.058", "1.163"] and "90,97%" in row[15]
    link = re.search(r'<a href="(/tien-do/chi-tiet/can-bo-tap-huan/[^"]+)">1.058</a>', html)
    drill = client.get(link.group(1).replace("&amp;", "&"))
    assert drill.context["count"] == 1058 and drill.context["where"] == "LĐLĐ quận Thanh Xuân"
    party = re.search(r'<a href="(/tien-do/chi-tiet/gioi-thieu-dang/[^"]+)">286</a>', html)
    assert client.get(party.group(1).replace("&amp;", "&")).context["count"] == 286
