"""The demo CĐCS have addresses in their wards, so that "Đề xuất phương án từ địa chỉ" shows a
proposal (seats moved to a neighbouring ward) and old district addresses left unproposed."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from grassroots.addresses import proposal_for
from grassroots.models import DistrictUnion, GrassrootsUnion


@pytest.mark.django_db
def test_demo_addresses_propose_neighbouring_wards_and_leave_old_addresses(demo):
    thanhpho = get_user_model().objects.get(username="thanhpho")
    ward = DistrictUnion.objects.get(name="Công đoàn phường Thanh Xuân")
    assert GrassrootsUnion.objects.filter(
        district_union=ward, address__contains="Phường Thanh Xuân, Thành phố Hà Nội"
    ).exists()
    proposal = proposal_for(thanhpho, ward, date(2026, 1, 1))
    assert proposal.already > 0
    assert proposal.proposed and all(p.ward != "Phường Thanh Xuân" for p in proposal.proposed)
    assert any("Địa chỉ cũ (theo quận/huyện)" in p.reason for p in proposal.unproposed)
