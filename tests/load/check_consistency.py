"""After a database restart under traffic: is anything half-written? (used by db_restart.sh)

    python tests/load/check_consistency.py PROBE.json

Checks, on the load database (DATABASE_URL):
- every member has a placement (a stay in a CĐCS) and every current member exactly one open
  placement: a member row without its placement would be a half-written admission;
- the day figures (UnitDayStat) equal a rebuild from the registers: an admission whose
  figures were not updated would be half-written too;
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
from django.db.models import Count, Q  # noqa: E402

from members.models import Member  # noqa: E402
from reports.models import UnitDayStat  # noqa: E402
from reports.stats import _collect  # noqa: E402

# The day's own flows (the running *_to_date totals are derived from them, not from _collect).
FLOW_FIELDS = list(UnitDayStat.FLOW_FIELDS)


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


def check_figures(problems: list[str]) -> None:
    rebuilt = {
        key: {f: int(values.get(f, 0)) for f in FLOW_FIELDS}
        for key, values in _collect(None, None).items()
    }
    rebuilt = {k: v for k, v in rebuilt.items() if any(v.values())}
    stored = {
        (row["district_union_id"], row["day"]): {f: row[f] for f in FLOW_FIELDS}
        for row in UnitDayStat.objects.values("district_union_id", "day", *FLOW_FIELDS)
    }
    stored = {k: v for k, v in stored.items() if any(v.values())}
    differing = [k for k in set(rebuilt) | set(stored) if rebuilt.get(k) != stored.get(k)]
    if differing:
        sample = sorted(differing)[:5]
        problems.append(
            f"{len(differing)} unit-day figure rows differ from a rebuild, e.g. "
            + "; ".join(f"{k}: stored {stored.get(k)} rebuilt {rebuilt.get(k)}" for k in sample)
        )
    print(f"figures: {len(stored)} unit-day rows, identical to a rebuild: {not differing}")


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
