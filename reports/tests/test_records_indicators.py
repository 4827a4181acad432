"""The further indicators counted from records (activities): training, Party, agreements."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import CollectiveAgreement, OfficerPosition, PartyEvent
from activities.services import (
    agreement_record,
    course_record,
    party_event_record,
    position_assign,
)
from grassroots.access import SYSTEM
from grassroots.indicators import declared, indicator
from reports.periods import Period
from reports.selectors import federation_dashboard, national_dashboard
from tests.factories import MemberFactory, TargetFactory

pytestmark = pytest.mark.django_db

RECORDS = (
    "officers_trained",
    "new_chairs_trained",
    "party_introduced",
    "party_admitted",
    "agreements_a",
    "agreements_b",
)
TODAY = date(2026, 1, 1)


@pytest.fixture
def records():
    with declared(*(indicator(code) for code in RECORDS)):
        yield


def rows(counted, kind="nam", year=2024):
    dashboard = federation_dashboard(counted.federation, Period(year, kind), TODAY)
    return {row.code: row for row in dashboard.rows}


def test_trained_officers_are_distinct_people_and_new_chairs_their_first_course(counted, records):
    chair = counted.members["b 01/03/2024"]
    vice = counted.members["b 15/11/2024"]
    position_assign(
        user=SYSTEM, member=chair, role=OfficerPosition.Role.CHAIR, started_on=date(2024, 3, 1)
    )
    position_assign(
        user=SYSTEM,
        member=vice,
        role=OfficerPosition.Role.VICE_CHAIR,
        started_on=date(2024, 11, 15),
    )
    TargetFactory(district_union=counted.b, year=2024, figures={"officers_trained": 2})
    course_record(
        user=SYSTEM,
        held_on=date(2024, 4, 2),
        topic="Kỹ năng",
        organiser="LĐLĐ quận",
        attendees=[chair],
    )
    course_record(
        user=SYSTEM,
        held_on=date(2024, 12, 2),
        topic="Thương lượng",
        organiser="LĐLĐ quận",
        attendees=[chair, vice],
    )
    b = rows(counted)["B"]
    assert b.figures.of("officers_trained") == 2  # the chair trained twice counts once
    assert b.progress("officers_trained").percent_text == "100%"
    assert b.figures.of("new_chairs_trained") == 1
    # The fourth quarter: both trained (the chair again), no new chair's first course.
    h2 = rows(counted, "quy-4")["B"]
    assert (h2.figures.of("officers_trained"), h2.figures.of("new_chairs_trained")) == (2, 0)
    # The first three are unchanged.
    assert (b.figures.new_members, b.targets.new_members) == (2, 100)


def test_a_course_refuses_a_member_who_is_no_officer_and_writes_nothing(counted, records):
    member = counted.members["b 01/03/2024"]
    with pytest.raises(ValidationError) as refused:
        course_record(
            user=SYSTEM,
            held_on=date(2024, 4, 2),
            topic="Kỹ năng",
            organiser="LĐLĐ",
            attendees=[member],
        )
    assert "Không phải cán bộ CĐCS" in refused.value.messages[0]
    assert "02/04/2024" in refused.value.messages[0]
    assert rows(counted)["B"].figures.of("officers_trained") == 0


def test_party_events_and_agreements_count_for_the_unit_of_the_day(counted, records):
    moved = counted.g["moved"]  # in A until 31/01/2025, then in B
    m1 = counted.members["moved 31/12/2024"]
    m2 = counted.members["moved 01/03/2025"]
    party_event_record(
        user=SYSTEM, member=m1, kind=PartyEvent.Kind.INTRODUCED, on=date(2024, 12, 31)
    )
    party_event_record(user=SYSTEM, member=m1, kind=PartyEvent.Kind.ADMITTED, on=date(2025, 3, 3))
    party_event_record(user=SYSTEM, member=m2, kind=PartyEvent.Kind.INTRODUCED, on=date(2025, 3, 3))
    for grade, signed in (("A", date(2024, 12, 31)), ("B", date(2025, 6, 1))):
        agreement_record(
            user=SYSTEM,
            grassroots=moved,
            signed_on=signed,
            valid_until=date(signed.year + 3, 5, 31),
            grade=grade,
            workers_covered=40,
        )
    y2024, y2025 = rows(counted), rows(counted, year=2025)
    assert (
        y2024["A"].figures.of("party_introduced"),
        y2024["B"].figures.of("party_introduced"),
    ) == (1, 0)
    assert (
        y2025["A"].figures.of("party_introduced"),
        y2025["B"].figures.of("party_introduced"),
    ) == (0, 1)
    assert y2025["B"].figures.of("party_admitted") == 1
    assert (y2024["A"].figures.of("agreements_a"), y2024["A"].figures.of("agreements_b")) == (1, 0)
    assert (y2025["B"].figures.of("agreements_a"), y2025["B"].figures.of("agreements_b")) == (0, 1)
    national = national_dashboard([counted.federation], Period(2025, "nam"), TODAY)
    assert national.total.figures.of("party_introduced") == 1
    # On today's tree too: the moved CĐCS's 2024 records, now in B, in the federation's row.
    tree = national_dashboard([counted.federation], Period(2024, "nam", current_tree=True), TODAY)
    figures = tree.total.figures
    assert (figures.of("party_introduced"), figures.of("agreements_a")) == (1, 1)
    assert CollectiveAgreement.objects.count() == 2


def test_an_agreement_signed_in_the_future_or_before_the_founding_is_refused(counted):
    with pytest.raises(ValidationError) as early:
        agreement_record(
            user=SYSTEM,
            grassroots=counted.g["moved"],
            signed_on=date(2024, 6, 1),
            valid_until=date(2027, 1, 1),
            grade="A",
            workers_covered=10,
        )
    assert early.value.messages == ["Ngày ký 01/06/2024 trước ngày thành lập CĐCS (31/12/2024)."]
    with pytest.raises(ValidationError) as refused:
        agreement_record(
            user=SYSTEM,
            grassroots=counted.g["b"],
            signed_on=date(2099, 1, 1),
            valid_until=date(2100, 1, 1),
            grade="A",
            workers_covered=10,
        )
    assert "sau ngày hôm nay" in refused.value.messages[0]


def test_records_indicators_cost_two_queries_for_every_unit_and_indicator(
    counted, django_assert_num_queries
):
    """The records' figures are read from their kept day counts (activities.stats): two
    queries (each unit's last row on or before each day, then those rows) for the six record
    indicators, one more for a value reported as a number: 3 + 3 queries at 10 indicators,
    whatever the number of units or records."""
    from grassroots.indicators import Counting, Indicator
    from tests.factories import DistrictUnionFactory, GrassrootsFactory

    period = Period(2024, "nam")
    party_event_record(
        user=SYSTEM,
        member=counted.members["b 01/03/2024"],
        kind=PartyEvent.Kind.ADMITTED,
        on=date(2024, 6, 1),
    )
    with CaptureQueriesContext(connection) as three:
        federation_dashboard(counted.federation, period, TODAY)
    reported = Indicator("tenth", "Chỉ số báo cáo", "lượt", Counting.REPORTED)
    with declared(*(indicator(code) for code in RECORDS), reported):
        with django_assert_num_queries(len(three) + 3):
            federation_dashboard(counted.federation, period, TODAY)
        # More units, with records: the same queries.
        for n in range(3):
            unit = DistrictUnionFactory(code=f"X{n}", federation=counted.federation)
            grassroots = GrassrootsFactory(district_union=unit, founded_on=date(2019, 1, 1))
            member = MemberFactory(grassroots=grassroots, joined_on=date(2020, 1, 1))
            party_event_record(
                user=SYSTEM, member=member, kind=PartyEvent.Kind.INTRODUCED, on=date(2024, 5, 1)
            )
        MemberFactory(grassroots=counted.g["b"], joined_on=date(2024, 2, 2))
        with django_assert_num_queries(len(three) + 3):
            federation_dashboard(counted.federation, period, TODAY)
    with django_assert_num_queries(len(three)):  # 3 indicators: as before
        federation_dashboard(counted.federation, period, TODAY)
