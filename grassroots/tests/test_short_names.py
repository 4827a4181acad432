"""Short unit names for wide tables: the rule, and a stored name that wins."""

import pytest

from grassroots.short_names import short_name_for
from tests.factories import DistrictUnionFactory


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("LĐLĐ quận Thanh Xuân", "Q. Thanh Xuân"),
        ("LĐLĐ Quận Cầu Giấy", "Q. Cầu Giấy"),
        ("Liên đoàn Lao động huyện Đông Anh", "H. Đông Anh"),
        ("LĐLĐ thành phố Hạ Long", "TP. Hạ Long"),
        ("LĐLĐ thị xã Quảng Yên", "TX. Quảng Yên"),
        ("Công đoàn ngành Giáo dục Hà Nội", "CĐ ngành Giáo dục Hà Nội"),
        ("Công đoàn các Khu công nghiệp và chế xuất Hà Nội", "CĐ các KCN-CX Hà Nội"),
        ("Công đoàn phường Thanh Xuân", "CĐ P. Thanh Xuân"),
        ("Công đoàn xã Sóc Sơn", "CĐ X. Sóc Sơn"),
        ("CĐCS trực thuộc LĐLĐ thành phố Hà Nội", "CĐCS trực thuộc LĐLĐ TP. Hà Nội"),
        (
            "CĐCS trực thuộc Liên đoàn Lao động tỉnh Quảng Ninh",
            "CĐCS trực thuộc LĐLĐ tỉnh Quảng Ninh",
        ),
        ("  LĐLĐ   quận  Tây Hồ ", "Q. Tây Hồ"),
    ],
)
def test_rule(name, short):
    assert short_name_for(name) == short


@pytest.mark.django_db
def test_a_stored_short_name_wins():
    unit = DistrictUnionFactory(name="Công đoàn ngành Giáo dục Hà Nội")
    assert unit.short_label == "CĐ ngành Giáo dục Hà Nội"
    unit.short_name = "CĐ ngành Giáo dục"
    assert unit.short_label == "CĐ ngành Giáo dục"
