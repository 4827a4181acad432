"""Issue 12: registers as real offices keep them (legacy fonts, regional settings, float text,
lost zeros, hidden rows): each is imported right with a notice, or refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from grassroots.access import SYSTEM
from imports.engine import run_import

from .importfiles import MEMBER_HEADERS, member_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(path, user=SYSTEM, commit=True, kind="members"):
    return run_import(kind, path, user=user, commit=commit, source_name="dv")


def messages(outcome) -> list[str]:
    return [e.as_vietnamese() for e in outcome.errors]


@pytest.fixture
def code(org):
    return org.grassroots_a.code


# ----- 12: a CCCD written as float text ------------------------------------------------------


def test_float_text_cccd_loses_its_dot_zero_and_gets_the_eleven_digit_error(tmp_path, code):
    rows = [
        member_row(cccd="37068861168.0", code=code),
        member_row(cccd="001090000002.00", code=code, phone="912345678.0"),
    ]
    outcome = run(write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows))
    assert not outcome.committed
    assert messages(outcome) == [
        "Dòng 2, cột Số CCCD: Số CCCD có 11 chữ số: có thể Excel đã bỏ mất số 0 ở đầu. "
        "Hãy định dạng cột là Văn bản (Text) và nhập đủ 12 chữ số."
    ]
    rows = [member_row(cccd="001090000002.00", code=code, phone="912345678.0")]
    outcome = run(write_csv(tmp_path / "ok.csv", MEMBER_HEADERS, rows))
    assert outcome.committed, messages(outcome)
    from members.models import Member

    assert Member.objects.get(cccd="001090000002").phone == "0912345678"
