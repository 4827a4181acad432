"""Indicators reported as a number: the entry screen, its history, validation, scope, closed
books, the approved snapshot, the dashboards' drill-down and their query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.services import lock_exception_open, report_approve, report_submit
from grassroots.indicators import (
    CATALOGUE,
    Counting,
    Indicator,
    declared,
    indicator,
    indicator_codes,
)
from grassroots.models import LateCorrection, UserRole
from reports.models import ReportedFigure, ReportedFigureChange
from reports.periods import Period
from reports.reported import months_of
from reports.selectors import federation_dashboard
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SUPPORTED = indicator("workers_supported")
ENTRY = reverse("reported-entry")
HISTORY = reverse("reported-history")
LOCKED = (
    "Ngày 01/09/2024 thuộc kỳ báo cáo Năm 2024 của LĐLĐ quận Thanh Xuân, đã được staff duyệt"
    " ngày {approved} nên đã khóa sổ: không ghi thêm hay sửa số liệu của kỳ này được. Nếu cần"
    " điều chỉnh, đề nghị LĐLĐ thành phố Hà Nội (người duyệt: staff) mở khóa kỳ này cho đơn vị"
    " (ngoại lệ khóa sổ)."
)


@pytest.fixture
def supported():
    """The catalogue's reported indicator in use (already so with every indicator on)."""
    if SUPPORTED.code in indicator_codes():
        yield SUPPORTED
        return
    with declared(SUPPORTED):
        yield SUPPORTED


def post(client, unit, month, value, note=""):
    return client.post(
        ENTRY, {"unit": unit.pk, "month": month, "workers_supported": value, "note": note}
    )


def values(unit):
    return dict(ReportedFigure.objects.filter(district_union=unit).values_list("month", "value"))


def test_the_catalogue_has_a_reported_indicator_from_the_articles():
    reported = [i for i in CATALOGUE if i.counting is Counting.REPORTED]
    assert [i.code for i in reported] == ["workers_supported"]
    assert SUPPORTED.name == "Đoàn viên, người lao động được chăm lo, hỗ trợ"
    # After every indicator counted from records: the columns of the others keep their place.
    assert CATALOGUE[-1] is SUPPORTED


def test_months_of_a_period():
    assert months_of(date(2024, 1, 1), date(2024, 3, 31)) == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]
    # A period cut at a day counts the months whose first day it holds.
    assert months_of(date(2024, 1, 1), date(2024, 2, 15)) == [date(2024, 1, 1), date(2024, 2, 1)]
    assert len(months_of(date(2024, 1, 1), date(2024, 12, 31))) == 12
    assert months_of(date(2024, 12, 2), date(2025, 1, 1)) == [date(2025, 1, 1)]


def test_an_officer_enters_a_month_and_every_change_is_kept(org, users, login, supported):
    client = login(users.officer_a)
    page = client.get(ENTRY)
    assert page.status_code == 200
    assert "Đoàn viên, người lao động được chăm lo, hỗ trợ (lượt người)" in page.text
    answer = post(client, org.unit_a, "03/2024", "1.450", note="Theo báo cáo CĐCS")
    assert answer.status_code == 302
    assert values(org.unit_a) == {date(2024, 3, 1): 1450}
    post(client, org.unit_a, "3/2024", "1500")
    post(client, org.unit_a, "03/2024", "1500")  # unchanged: no history row
    post(client, org.unit_a, "03/2024", "")  # blank clears it
    changes = list(
        ReportedFigureChange.objects.order_by("pk").values_list(
            "old_value", "new_value", "changed_by_name", "note", "late"
        )
    )
    assert changes == [
        (None, 1450, "officer_a", "Theo báo cáo CĐCS", False),
        (1450, 1500, "officer_a", "", False),
        (1500, None, "officer_a", "", False),
    ]
    assert values(org.unit_a) == {}
    history = client.get(HISTORY, {"unit": org.unit_a.pk, "year": 2024, "period": "quy-1"})
    assert history.status_code == 200
    assert history.text.count("<td>officer_a</td>") == 3
    assert "1.450" in history.text and "Theo báo cáo CĐCS" in history.text


@pytest.mark.parametrize(
    ("month", "value", "message"),
    [
        ("03/2024", "-5", "số liệu «-5» không được âm"),
        ("03/2024", "abc", "số liệu «abc» phải là một số nguyên không âm"),
        ("03/2024", "12,5", "số liệu «12,5» phải là một số nguyên không âm"),
        ("03/2024", "99999999", "quá lớn (tối đa 10.000.000 lượt người một tháng)"),
        ("2024-03", "5", "không đúng dạng mm/yyyy"),
        ("13/2024", "5", "tháng phải từ 01 đến 12"),
        ("", "5", "Nhập tháng báo cáo"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    org, users, login, supported, month, value, message
):
    answer = post(login(users.officer_a), org.unit_a, month, value)
    assert answer.status_code == 400
    assert message in answer.text
    assert "Chưa lưu" in answer.text
    assert not ReportedFigure.objects.exists() and not ReportedFigureChange.objects.exists()


def test_a_month_not_yet_come_is_refused(org, users, login, supported):
    later = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    answer = post(login(users.officer_a), org.unit_a, f"{later:%m/%Y}", "5")
    assert answer.status_code == 400
    assert f"Tháng {later:%m/%Y} chưa đến" in answer.text
    assert not ReportedFigure.objects.exists()


def test_scope_officers_their_unit_staff_their_federation(org, users, login, supported):
    # Officer B cannot open or write unit A's values.
    client_b = login(users.officer_b)
    assert client_b.get(ENTRY, {"unit": org.unit_a.pk}).status_code == 404
    refused = post(client_b, org.unit_a, "03/2024", "5")
    assert refused.status_code == 400
    assert "bạn không nhập số liệu cho đơn vị này" in refused.text
    # The other federation's staff do not see unit A either.
    other = login(users.other_staff)
    assert other.get(ENTRY, {"unit": org.unit_a.pk}).status_code == 404
    assert other.get(HISTORY, {"unit": org.unit_a.pk, "year": 2024}).status_code == 404
    # Federation staff enter for any unit of their federation.
    staff = login(users.staff)
    assert post(staff, org.unit_a, "03/2024", "7").status_code == 302
    assert values(org.unit_a) == {date(2024, 3, 1): 7}
    # National staff read, and write nothing.
    national = login(make_user("national", UserRole.Role.NATIONAL_STAFF))
    assert national.get(ENTRY).status_code == 404
    assert national.get(HISTORY, {"unit": org.unit_a.pk, "year": 2024}).status_code == 200


def test_an_approved_period_refuses_the_month_with_the_lock_message(org, users, login, supported):
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    report = report_approve(user=users.staff, report=report)
    client = login(users.officer_a)
    answer = post(client, org.unit_a, "09/2024", "40")
    assert answer.status_code == 400
    assert LOCKED.format(approved=f"{timezone.localdate():%d/%m/%Y}") in answer.text
    assert not ReportedFigure.objects.exists() and not ReportedFigureChange.objects.exists()
    # Opened by the level above: accepted, and marked as a late correction.
    lock_exception_open(
        user=users.staff,
        report=report,
        reason="Sót số liệu",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    answer = post(client, org.unit_a, "09/2024", "40")
    assert answer.status_code == 302
    assert values(org.unit_a) == {date(2024, 9, 1): 40}
    change = ReportedFigureChange.objects.get()
    assert change.late
    correction = LateCorrection.objects.get()
    assert correction.day == date(2024, 9, 1)
    assert "Số liệu báo cáo tháng 09/2024" in correction.what
    # The snapshot stays as approved: the reported value was not in it.
    report.lock.refresh_from_db()
    assert report.lock.figures["further"] == {}
    history = client.get(HISTORY, {"unit": org.unit_a.pk, "year": 2024})
    assert "Điều chỉnh sau duyệt" in history.text


def test_the_approved_snapshot_holds_the_reported_values(org, users, supported):
    for month, value in ((date(2024, 2, 1), 300), (date(2024, 11, 1), 120)):
        ReportedFigure.objects.create(
            district_union=org.unit_a, indicator="workers_supported", month=month, value=value
        )
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    assert report.figures["further"] == {"workers_supported": 420}
    report = report_approve(user=users.staff, report=report)
    assert report.lock.figures["further"] == {"workers_supported": 420}
    quarter = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="quy-1")
    assert quarter.figures["further"] == {"workers_supported": 300}


def test_a_reported_cell_links_to_its_history(org, users, login, supported):
    for month, value in ((date(2024, 1, 1), 50), (date(2024, 2, 1), 25), (date(2025, 1, 1), 9)):
        ReportedFigure.objects.create(
            district_union=org.unit_a, indicator="workers_supported", month=month, value=value
        )
    page = login(users.staff).get(reverse("home"), {"year": 2024, "period": "quy-1"})
    link = (
        f"{HISTORY}?year=2024&amp;period=quy-1&amp;indicator=workers_supported"
        f"&amp;unit={org.unit_a.pk}"
    )
    assert f'href="{link}' in page.text
    history = login(users.staff).get(
        HISTORY,
        {"unit": org.unit_a.pk, "year": 2024, "period": "quy-1", "indicator": "workers_supported"},
    )
    assert history.status_code == 200
    assert '<td class="table-num reported-total">75</td>' in history.text
    # The whole federation: the units' months summed.
    whole = login(users.staff).get(
        HISTORY, {"year": 2024, "period": "quy-1", "indicator": "workers_supported"}
    )
    assert '<td class="table-num reported-total">75</td>' in whole.text
    # An indicator not in use has no history page.
    assert login(users.staff).get(HISTORY, {"indicator": "nope"}).status_code == 404


def test_dashboards_read_every_reported_indicator_in_one_query(
    org, django_assert_num_queries, supported
):
    """One query for all reported indicators: the federation dashboard costs the same with
    one or three of them, with values for every unit."""
    more = [
        Indicator(f"reported_extra_{n}", f"Số báo cáo {n}", "lượt", Counting.REPORTED)
        for n in (1, 2)
    ]

    def fill(codes):
        ReportedFigure.objects.all().delete()
        ReportedFigure.objects.bulk_create(
            ReportedFigure(district_union=unit, indicator=code, month=date(2024, m, 1), value=m)
            for unit in (org.unit_a, org.unit_b)
            for code in codes
            for m in range(1, 13)
        )

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            dashboard = federation_dashboard(org.federation, Period(2024, "nam"), date(2026, 1, 1))
        return len(queries), dashboard

    fill(["workers_supported"])
    one, dashboard = count()
    rows = {r.code: r for r in dashboard.rows}
    assert rows["TX"].progress("workers_supported").achieved == 78
    with declared(*more):
        fill(["workers_supported", *(i.code for i in more)])
        three, dashboard = count()
        rows = {r.code: r for r in dashboard.rows}
        assert rows["TX"].progress("reported_extra_2").achieved == 78
    # units, targets, the two of figures_by_unit, and one for every reported indicator
    assert one == three
    with django_assert_num_queries(one):
        federation_dashboard(org.federation, Period(2024, "nam"), date(2026, 1, 1))


def test_the_reported_indicator_reaches_every_output_with_no_code_of_its_own(
    org, users, login, supported
):
    from io import StringIO

    from django.core.management import call_command

    from tests.downloads import text_of
    from tests.factories import TargetFactory

    TargetFactory(
        district_union=org.unit_a,
        year=2024,
        new_members=None,
        new_grassroots=None,
        new_grassroots_25plus=None,
        figures={"workers_supported": 2000},
    )
    for month, value in ((date(2024, 1, 1), 1200), (date(2024, 7, 1), 250)):
        ReportedFigure.objects.create(
            district_union=org.unit_a, indicator="workers_supported", month=month, value=value
        )
    out = StringIO()
    call_command("progress_report", "--year", "2024", "--unit", "TX", "--format", "csv", stdout=out)
    header, line = out.getvalue().splitlines()
    assert header.endswith(
        "members_total,grassroots_total,workers_supported,target_workers_supported,"
        "pct_workers_supported"
    )
    assert line.endswith(",1450,2000,72.50")
    staff = login(users.staff)
    sentences = text_of(staff.get(reverse("home"), {"year": 2024, "export": "txt"}))
    assert "đoàn viên, người lao động được chăm lo, hỗ trợ: 1.450/2.000 lượt người, đạt 72,5%" in (
        sentences
    )
    workbook = text_of(staff.get(reverse("home"), {"year": 2024, "export": "xlsx"}))
    # The unit's row: achieved and target of the reported indicator after the stocks.
    assert "<v>1450</v>" in workbook and "<v>2000</v>" in workbook
    document = text_of(
        staff.get(reverse("progress-unit", args=[org.unit_a.pk]), {"year": 2024, "export": "docx"})
    )
    # The report form's table: a numbered line after the first three.
    assert ">3<" in document
    assert "Đoàn viên, người lao động được chăm lo, hỗ trợ" in document and "1.450" in document


def test_a_post_without_the_csrf_token_is_refused(org, users, supported):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users.officer_a)
    answer = client.post(
        ENTRY, {"unit": org.unit_a.pk, "month": "03/2024", "workers_supported": "5"}
    )
    assert answer.status_code == 403
    assert not ReportedFigure.objects.exists()
    # With the page's token, the same entry goes through.
    page = client.get(ENTRY)
    token = page.cookies["csrftoken"].value
    answer = client.post(
        ENTRY,
        {
            "unit": org.unit_a.pk,
            "month": "03/2024",
            "workers_supported": "5",
            "csrfmiddlewaretoken": token,
        },
    )
    assert answer.status_code == 302
    assert values(org.unit_a) == {date(2024, 3, 1): 5}
