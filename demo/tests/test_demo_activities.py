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
