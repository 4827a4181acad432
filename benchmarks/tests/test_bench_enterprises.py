"""`manage.py bench_enterprises` at a tiny scale: it prints the medians beside the floors and
leaves the database as it was."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from organising.models import Enterprise

pytestmark = pytest.mark.django_db


def test_tiny_run_prints_medians_and_rolls_back():
    out = StringIO()
    call_command(
        "bench_enterprises", "--enterprises", "200", "--units", "3", "--repeat", "2", stdout=out
    )
    text = out.getvalue()
    assert "200 doanh nghiệp, 3 đơn vị" in text
    for label in (
        "Trang dư địa",
        "Trang tổng quan liên đoàn",
        "Danh sách doanh nghiệp",
        "Bộ chọn dư địa",
    ):
        line = next(line for line in text.splitlines() if line.startswith(label))
        # The number of queries (then " CHẬM" when a page took over 150 ms on a busy machine).
        assert line.rstrip().removesuffix(" CHẬM").split()[-1].isdigit()
    assert not Enterprise.objects.exists()


def test_refuses_nonsense_sizes():
    with pytest.raises(CommandError, match="lớn hơn 0"):
        call_command("bench_enterprises", "--enterprises", "0")
