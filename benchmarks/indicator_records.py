"""The further indicators' records in a bench database (issue 16), filled in SQL from its
members and CĐCS, for `bench_dashboard --indicators`: officer positions (each CĐCS's first five
members), one training course per unit and quarter with 70% of the officers of the day, 2% of
the members introduced to the Party and 1% admitted, an agreement for a third of the CĐCS from
25 workers, the targets of those six indicators and a tenth indicator reported as a number (one
`ReportedFigure` per unit and month); then the records' day counts
(`activities.stats.record_stats_refresh`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction

from activities.models import (
    CollectiveAgreement,
    OfficerPosition,
    PartyEvent,
    TrainingAttendance,
    TrainingCourse,
    UnitRecordDayStat,
)
from activities.stats import record_stats_refresh
from grassroots.indicators import Counting, Indicator
from grassroots.models import AnnualTarget, DistrictUnion, GrassrootsUnion, TargetValue
from members.models import Member
from reports.models import ReportedFigure

# The tenth indicator, declared for the time of the run (grassroots.indicators.declared).
REPORTED = Indicator("bench_reported", "Chỉ số báo cáo (thử)", "lượt", Counting.REPORTED)
TARGETS = {
    "officers_trained": 300,
    "new_chairs_trained": 10,
    "party_introduced": 40,
    "party_admitted": 20,
    "agreements_a": 5,
    "agreements_b": 10,
    REPORTED.code: 100,
}


def _t(model) -> str:
    return model._meta.db_table


def indicator_records_fill(today: date, first_year: int) -> dict[str, int]:
    """Fill the records once (a database that has them is left as it is): their counts."""
    if TrainingAttendance.objects.exists():
        if not UnitRecordDayStat.objects.exists():  # filled before the records were kept
            record_stats_refresh()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return _counts()
    member, grassroots = _t(Member), _t(GrassrootsUnion)
    position, course, attendance = (
        _t(OfficerPosition),
        _t(TrainingCourse),
        _t(TrainingAttendance),
    )
    sql = [
        f"""INSERT INTO {position} (member_id, grassroots_id, role, started_on, ended_on)
        SELECT id, grassroots_id, CASE WHEN n = 1 THEN 'chair' WHEN n = 2 THEN 'vice_chair'
               ELSE 'committee' END, joined_on,
               CASE WHEN left_on IS NULL THEN NULL ELSE greatest(joined_on, left_on - 1) END
        FROM (SELECT id, grassroots_id, joined_on, left_on,
                     row_number() OVER (PARTITION BY grassroots_id ORDER BY id) AS n
              FROM {member}) m WHERE n <= 5""",
        f"""INSERT INTO {course} (held_on, topic, organiser, district_union_id)
        SELECT make_date(y, 3 * q - 1, 15), 'Nghiệp vụ công tác Công đoàn', d.name, d.id
        FROM {_t(DistrictUnion)} d, generate_series(%(first)s, %(last)s) y,
             generate_series(1, 4) q
        WHERE make_date(y, 3 * q - 1, 15) <= %(today)s""",
        f"""INSERT INTO {attendance} (course_id, member_id, grassroots_id, held_on)
        SELECT c.id, p.member_id, p.grassroots_id, c.held_on
        FROM {position} p JOIN {grassroots} g ON g.id = p.grassroots_id
        JOIN {course} c ON c.district_union_id = g.district_union_id
        WHERE p.started_on <= c.held_on AND (p.ended_on IS NULL OR p.ended_on >= c.held_on)
          AND (p.member_id * 7 + extract(year FROM c.held_on)::int) %% 4
              = extract(quarter FROM c.held_on)::int - 1
          AND (p.member_id + extract(year FROM c.held_on)::int) %% 10 < 7""",
        f"""INSERT INTO {_t(PartyEvent)} (member_id, grassroots_id, kind, "on")
        SELECT id, grassroots_id, 'introduced', joined_on + ((id * 7) %% 700)::int
        FROM {member} WHERE id %% 50 = 0 AND joined_on + ((id * 7) %% 700)::int <= %(today)s
          AND (left_on IS NULL OR left_on > joined_on + ((id * 7) %% 700)::int)""",
        f"""INSERT INTO {_t(PartyEvent)} (member_id, grassroots_id, kind, "on")
        SELECT id, grassroots_id, 'admitted', joined_on + ((id * 7) %% 700)::int + 200
        FROM {member} WHERE id %% 100 = 0 AND joined_on + ((id * 7) %% 700)::int + 200 <= %(today)s
          AND (left_on IS NULL OR left_on > joined_on + ((id * 7) %% 700)::int + 200)""",
        f"""INSERT INTO {_t(CollectiveAgreement)}
               (grassroots_id, signed_on, valid_until, grade, workers_covered)
        SELECT id, founded_on + ((id * 13) %% 900)::int, founded_on + ((id * 13) %% 900)::int + 1095,
               CASE WHEN id %% 7 < 3 THEN 'A' ELSE 'B' END, workers
        FROM {grassroots} WHERE workers >= 25 AND id %% 3 = 0
          AND founded_on + ((id * 13) %% 900)::int <= %(today)s
          AND (dissolved_on IS NULL OR dissolved_on > founded_on + ((id * 13) %% 900)::int)""",
        f"""INSERT INTO {_t(ReportedFigure)} (district_union_id, indicator, month, value)
        SELECT d.id, %(reported)s, make_date(y, m, 1), 5 + (d.id + m) %% 10
        FROM {_t(DistrictUnion)} d, generate_series(%(first)s, %(last)s) y,
             generate_series(1, 12) m WHERE make_date(y, m, 1) <= %(today)s""",
    ]
    params: dict[str, Any] = {
        "first": first_year,
        "last": today.year,
        "today": today,
        "reported": REPORTED.code,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement, params)
        for code, value in TARGETS.items():
            cursor.execute(
                f"""INSERT INTO {_t(TargetValue)} (target_id, indicator, value)
                SELECT id, %s, %s + id %% 5 * %s / 10 FROM {_t(AnnualTarget)} t
                WHERE NOT EXISTS (SELECT 1 FROM {_t(TargetValue)} v
                                  WHERE v.target_id = t.id AND v.indicator = %s)""",
                [code, value, value, code],
            )
        # The records' day counts (activities.stats), as the portal keeps them.
        record_stats_refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return _counts()


def _counts() -> dict[str, int]:
    return {
        "positions": OfficerPosition.objects.count(),
        "attendances": TrainingAttendance.objects.count(),
        "party_events": PartyEvent.objects.count(),
        "agreements": CollectiveAgreement.objects.count(),
    }
