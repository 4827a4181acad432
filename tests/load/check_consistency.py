"""After a database restart under traffic: is anything half-written? (used by db_restart.sh)

    python tests/load/check_consistency.py PROBE.json

Checks, on the load database (DATABASE_URL):
- every member has a placement (a stay in a CĐCS) and every current member exactly one open
  placement: a member row without its placement would be a half-written admission;
- the day figures (UnitDayStat and GrassrootsDayStat, flows and running totals) equal a full
  rebuild from the registers (done in a transaction rolled back at once): an admission whose
  figures were not updated, or updated in place wrongly, would show;
- every admission the probe submitted is either complete (member + placement) or absent, and
  every one answered with a redirect (saved) exists;
- no spreadsheet import was left half-done (if the import app keeps jobs, none is stuck
  "running" and each finished one wrote all or nothing — see its own checks).
Prints the findings; exits 1 if any.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.production")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from members.models import Member  # noqa: E402
from reports.models import GrassrootsDayStat, UnitDayStat  # noqa: E402
from reports.stats import stats_refresh  # noqa: E402

UNIT_FIELDS = [*UnitDayStat.FLOW_FIELDS, *UnitDayStat.TO_DATE_FIELDS]


def check_members(problems: list[str]) -> None:
    members = Member.objects.annotate(
        stays=Count("placements"),
        open_stays=Count("placements", filter=Q(placements__end_on__isnull=True)),
    )
    without = members.filter(stays=0).count()
    if without:
        problems.append(f"{without} members without any placement")
    bad_open = members.filter(left_on__isnull=True).exclude(open_stays=1).count()
    if bad_open:
        problems.append(f"{bad_open} current members without exactly one open placement")


class _RolledBack(Exception):
    pass


def _day_tables() -> dict[str, dict[tuple, tuple]]:
    return {
        "unit": {
            (row[0], row[1]): row[2:]
            for row in UnitDayStat.objects.values_list("district_union_id", "day", *UNIT_FIELDS)
        },
        "CĐCS": {
            (row[0], row[1]): row[2:]
            for row in GrassrootsDayStat.objects.values_list(
                "grassroots_id", "day", *UnitDayStat.TO_DATE_FIELDS
            )
        },
    }


def check_figures(problems: list[str]) -> None:
    """The unit and CĐCS day rows, flows and running totals, against a full rebuild
    (`stats_refresh()`) done in a transaction that is then rolled back."""
    stored = _day_tables()
    try:
        with transaction.atomic():
            stats_refresh()
            rebuilt = _day_tables()
            raise _RolledBack
    except _RolledBack:
        pass
    for name in stored:
        mine, theirs = stored[name], rebuilt[name]
        differing = [k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k)]
        if differing:
            sample = sorted(differing)[:5]
            problems.append(
                f"{len(differing)} {name}-day rows differ from a rebuild, e.g. "
                + "; ".join(f"{k}: stored {mine.get(k)} rebuilt {theirs.get(k)}" for k in sample)
            )
        print(f"figures: {len(mine)} {name}-day rows, identical to a rebuild: {not differing}")


def check_probe(problems: list[str], probe_path: str) -> None:
    admissions = json.loads(Path(probe_path).read_text(encoding="utf-8"))["admissions"]
    saved_but_refused = 0
    for entry in admissions:
        member = Member.objects.filter(cccd=entry["cccd"]).first()
        if entry["status"] == 302 and member is None:
            problems.append(f"probe admission {entry['cccd']} answered 'saved' but is missing")
        if member is not None and not member.placements.exists():
            problems.append(f"probe admission {entry['cccd']} is half-written (no placement)")
        if member is not None and entry["status"] != 302:
            saved_but_refused += 1
    print(
        f"probe admissions: {len(admissions)} submitted, "
        f"{sum(1 for a in admissions if a['status'] == 302)} saved, "
        f"{sum(1 for a in admissions if a['kind'] == '503-vi')} answered with the 503 page, "
        f"{saved_but_refused} committed although the answer was an error"
    )


def check_imports(problems: list[str]) -> None:
    """Import jobs stuck half-way (whatever the import app calls its job model)."""
    for model in apps.get_models():
        name = model.__name__.lower()
        if "import" not in name or "history" in name:
            continue
        fields = {f.name for f in model._meta.get_fields()}
        if "status" in fields:
            stuck = model.objects.filter(status__in=["running", "importing"]).count()
            if stuck:
                problems.append(f"{stuck} {model.__name__} rows still running")
            print(f"{model.__name__}: {model.objects.count()} rows, {stuck} still running")


def main() -> int:
    problems: list[str] = []
    check_members(problems)
    check_figures(problems)
    if len(sys.argv) > 1:
        check_probe(problems, sys.argv[1])
    check_imports(problems)
    for problem in problems:
        print("PROBLEM:", problem)
    print("consistency:", "OK, nothing half-written" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
