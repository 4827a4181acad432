"""The lists behind the further indicators (issue 16): people trained, Party events and
agreements, with the same unit, period and scope as the other drill-down lists."""

import re
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import OfficerPosition, PartyEvent
from activities.services import agreement_record, course_record, party_event_record, position_assign
from grassroots.access import SYSTEM
from members.models import AccessLog
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_indicators(settings):
    settings.UNIONPORTAL_INDICATORS = None


def _records(counted):
    moved = counted.g["moved"]  # in A until 31/01/2025, then in B
    m1 = counted.members["moved 31/12/2024"]
    party_event_record(
        user=SYSTEM, member=m1, kind=PartyEvent.Kind.INTRODUCED, on=date(2024, 12, 31)
    )
    party_event_record(user=SYSTEM, member=m1, kind=PartyEvent.Kind.ADMITTED, on=date(2025, 3, 3))
    agreement_record(
        user=SYSTEM,
        grassroots=moved,
        signed_on=date(2024, 12, 31),
        valid_until=date(2027, 12, 31),
        grade="A",
        workers_covered=40,
    )
    chair = counted.members["b 01/03/2024"]
    position_assign(
        user=SYSTEM, member=chair, role=OfficerPosition.Role.CHAIR, started_on=date(2024, 3, 1)
    )
    for day in (date(2024, 4, 2), date(2024, 12, 2)):
        course_record(
            user=SYSTEM, held_on=day, topic=f"Kỹ năng {day:%m}", organiser="LĐLĐ", attendees=[chair]
        )
    return chair, m1


def _link(html: str, kind: str, unit) -> str:
    found = re.search(rf'<a href="(/tien-do/chi-tiet/{kind}/\?[^"]*unit={unit.pk}[^"]*)">', html)
    assert found, kind
    return found.group(1).replace("&amp;", "&")


def test_each_further_cell_opens_its_list_with_the_unit_of_the_day(counted, login, all_indicators):
    chair, m1 = _records(counted)
    client = login(counted.staff)
    html = client.get("/?year=2024").content.decode()
    # A's introduction (its CĐCS moved to B later) and A's grade A agreement.
    page = client.get(_link(html, "gioi-thieu-dang", counted.a))
    assert page.context["count"] == 1 and m1.full_name in page.content.decode()
    agreements = client.get(_link(html, "thoa-uoc-a", counted.a))
    assert agreements.context["count"] == 1
    assert "31/12/2024" in agreements.content.decode() and "Loại A" in agreements.content.decode()
    # The chair trained twice is one person on B's list, on the day of their first course.
    trained = client.get(_link(html, "can-bo-tap-huan", counted.b))
    assert trained.context["count"] == 1
    assert "02/04/2024" in trained.content.decode() and "Kỹ năng 04" in trained.content.decode()
    assert client.get(_link(html, "chu-tich-moi-tap-huan", counted.b)).context["count"] == 1
    # 2025: the admission counts for B (the CĐCS's unit on 03/03/2025), not A.
    url = "/tien-do/chi-tiet/ket-nap-dang/?year=2025&period=nam"
    assert client.get(f"{url}&unit={counted.b.pk}").context["count"] == 1
    assert client.get(f"{url}&unit={counted.a.pk}").context["count"] == 0
    # The whole federation.
    assert client.get("/tien-do/chi-tiet/can-bo-tap-huan/?year=2024").context["count"] == 1


def test_the_xlsx_is_the_same_list_and_is_logged(counted, login, all_indicators):
    chair, _ = _records(counted)
    client = login(counted.officer_b)
    url = f"/tien-do/chi-tiet/can-bo-tap-huan/?year=2024&period=nam&unit={counted.b.pk}"
    response = client.get(f"{url}&export=xlsx")
    assert response.status_code == 200
    assert 'filename="danh-sach-can-bo-tap-huan-2024-nam-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(openpyxl.load_workbook(BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("STT", "Họ và tên") and "Số CCCD" not in rows[0]
    assert [r[1] for r in rows[1:]] == [chair.full_name]
    assert rows[1][7] == "Kỹ năng 04"
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.user == counted.officer_b and log.row_count == 1


def test_out_of_scope_and_unused_indicators_are_404(counted, login, settings):
    _records(counted)
    settings.UNIONPORTAL_INDICATORS = None
    url = "/tien-do/chi-tiet/thoa-uoc-a/?year=2024"
    assert login(counted.officer_b).get(f"{url}&unit={counted.a.pk}").status_code == 404
    assert login(counted.other_staff).get(f"{url}&unit={counted.a.pk}").status_code == 404
    assert login(counted.officer_a).get(f"{url}&unit={counted.a.pk}").status_code == 200
    settings.UNIONPORTAL_INDICATORS = ()  # not in use: no list either
    assert login(counted.staff).get(f"{url}&unit={counted.a.pk}").status_code == 404


@pytest.mark.parametrize("kind", ["can-bo-tap-huan", "gioi-thieu-dang", "thoa-uoc-a"])
def test_a_list_costs_the_same_queries_for_one_record_or_many(counted, login, all_indicators, kind):
    _records(counted)
    client = login(counted.staff)
    url = f"/tien-do/chi-tiet/{kind}/?year=2024&period=nam"

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    few = queries()
    g = counted.g["jan1"]
    for n in range(6):
        member = MemberFactory(grassroots=g, joined_on=date(2024, 2, 1))
        position_assign(user=SYSTEM, member=member, role="committee", started_on=date(2024, 2, 1))
        course_record(
            user=SYSTEM,
            held_on=date(2024, 5, 5),
            topic="Nghiệp vụ",
            organiser="LĐLĐ",
            attendees=[member],
        )
        party_event_record(
            user=SYSTEM, member=member, kind=PartyEvent.Kind.INTRODUCED, on=date(2024, 6, 1)
        )
        agreement_record(
            user=SYSTEM,
            grassroots=counted.g[["old", "eve", "jan1", "jun30", "jul1", "old"][n]],
            signed_on=date(2024, 8, 1 + n),
            valid_until=date(2027, 1, 1),
            grade="A",
            workers_covered=20,
        )
    assert queries() == few


def test_on_todays_tree_a_record_counts_for_the_unit_holding_its_cdcs_today(
    counted, login, all_indicators
):
    _records(counted)  # the 31/12/2024 introduction and agreement in g_moved, A's then, B's now
    client = login(counted.staff)
    as_it_was = client.get("/?year=2024").context["dashboard"]
    today = client.get("/?year=2024&co-cau=hien-nay").context["dashboard"]
    by_code = {row.code: row for row in today.rows}
    assert {r.code: r.figures.of("party_introduced") for r in as_it_was.rows} == {"A": 1, "B": 0}
    assert (
        by_code["A"].figures.of("party_introduced"),
        by_code["B"].figures.of("party_introduced"),
    ) == (0, 1)
    assert by_code["B"].figures.of("agreements_a") == 1
    # The federation's total is the same in both views, and the list agrees with the cell.
    assert today.units_total.figures.of("party_introduced") == 1
    url = f"/tien-do/chi-tiet/gioi-thieu-dang/?year=2024&co-cau=hien-nay&unit={counted.b.pk}"
    assert client.get(url).context["count"] == 1
