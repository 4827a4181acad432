"""Access matrix over EVERY URL of the project.

The resolver (unionportal.urls) is walked recursively; each named URL must have a row in MATRIX
saying how to build it (from the `org` fixture: objects of unit A) and which status each role
gets. A URL without a row fails `test_every_url_has_a_row` (so a new page cannot ship
unchecked), and a row without a URL fails too (so the table stays true).

Columns (roles, see conftest `users`):
    anon   anonymous visitor              -> 302 to the login page
    A      district officer of unit A     (owns the object)
    B      district officer of unit B     (same federation, other unit)
    other  federation staff of the other federation
    staff  federation staff of the object's federation (reads all, writes no register)
    admin  admin (sees and changes everything)
    nat    national staff (Tổng Liên đoàn): reads every federation, writes nothing
    ended  officer of a unit of the same federation that ended on 30/06/2025 (read-only history)
    ward   officer of the ward union that took over the ended unit's CĐCS on 01/07/2025

(The ended and ward officers' write scope across the reform date is checked on the CĐCS they
shared, in `test_write_scope_across_a_reform_date`.)

Out of scope answers 404 (never 403: it must not reveal that the object exists).
Admin site URLs (quan-tri/) follow one rule instead of rows: admin 200, everyone else 302 to
the admin login.

Besides the status, every answer to a logged-in user is checked for `Cache-Control: no-store`
and a CSP without 'unsafe-inline'; no page shown to officer B or to the other federation (and
no 404 page) may contain unit A's member name, CCCD or CĐCS name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.downloads import text_of

ROLES = ("anon", "A", "B", "other", "staff", "admin", "nat", "ended", "ward")


@dataclass(frozen=True)
class Row:
    """How to build one URL and what each role gets.

    `get` (and `post`, for URLs that accept writes) are six statuses in ROLES order, e.g.
    "302 200 404 404 200 200". POST sends `post_data(org)` (default: an empty form, so an
    allowed role sees the form again with errors and nothing is written).
    """

    kwargs: Callable[[object], dict] = lambda org: {}
    get: str | None = None
    post: str | None = None
    query: Callable[[object], str] = lambda org: ""
    post_data: Callable[[object], dict] = lambda org: {}
    # Anonymous GET answers 200 on the few public pages (login); else 302 to the login page.
    public: bool = False
    note: str = ""


def _a_pk(attr: str) -> Callable[[object], dict]:
    return lambda org: {"pk": getattr(org, attr).pk}


def _import_job(org) -> dict:
    """A finished (invalid) member import made by officer A in unit A."""
    from django.contrib.auth import get_user_model

    from imports.models import ImportJob

    job, _ = ImportJob.objects.get_or_create(
        original_name="doan-vien-A.xlsx",
        defaults={
            "kind": "members",
            "user": get_user_model().objects.get(username="officer_a"),
            "federation": org.federation,
            "district_union": org.unit_a,
            "status": ImportJob.Status.INVALID,
            "errors": [[2, "Số CCCD", "Số CCCD phải gồm đúng 12 chữ số."]],
            "error_count": 1,
        },
    )
    return {"pk": job.pk}


def _plan_job(org) -> dict:
    """A checked-and-refused restructuring plan of Hà Nội's federation staff."""
    from django.contrib.auth import get_user_model

    from imports.models import ImportJob

    job, _ = ImportJob.objects.get_or_create(
        original_name="phuong-an-HN.csv",
        defaults={
            "kind": ImportJob.Kind.PLAN,
            "user": get_user_model().objects.get(username="staff"),
            "federation": org.federation,
            "status": ImportJob.Status.INVALID,
            "errors": [[2, "Mã CĐCS", "Không có CĐCS mã 'X'."]],
            "error_count": 1,
        },
    )
    return {"pk": job.pk}


def _campaign(org) -> dict:
    """Hà Nội's "Tháng Công nhân 2025", with a target for unit A."""
    from datetime import date

    from grassroots.models import Campaign, CampaignTarget

    campaign, _ = Campaign.objects.get_or_create(
        federation=org.federation,
        name="Tháng Công nhân 2025",
        defaults={"start_on": date(2025, 5, 1), "end_on": date(2025, 5, 31)},
    )
    CampaignTarget.objects.get_or_create(
        campaign=campaign, district_union=org.unit_a, indicator="new_members", defaults={"value": 9}
    )
    return {"pk": campaign.pk}


def _restructuring(org) -> dict:
    """An applied restructuring plan of Hà Nội (nothing to reverse: undo just records it)."""
    from datetime import date

    from grassroots.models import Restructuring

    record, _ = Restructuring.objects.get_or_create(
        decision_number="99/QĐ-MATRIX",
        defaults={"federation": org.federation, "effective_on": date(2025, 7, 1), "kind": "plan"},
    )
    return {"pk": record.pk}


def _enterprise_a(org) -> dict:
    """An enterprise without a union in unit A's register."""
    from django.utils import timezone

    from organising.models import Enterprise

    now = timezone.now()
    enterprise, _ = Enterprise.objects.get_or_create(
        tax_code="0109999999",
        defaults={
            "name": "Công ty TNHH Chưa Có Công Đoàn",
            "source": "tax_office",
            "district_union": org.unit_a,
            "workers": 40,
            "created_at": now,
            "updated_at": now,
        },
    )
    return {"pk": enterprise.pk}


def _position_a(org) -> dict:
    """Member A's open position of committee member in CĐCS A."""
    from datetime import date

    from activities.models import OfficerPosition

    position, _ = OfficerPosition.objects.get_or_create(
        member=org.member_a,
        grassroots=org.grassroots_a,
        role="committee",
        defaults={"started_on": date(2020, 1, 1)},
    )
    return {"pk": position.pk}


def _course_a(org) -> dict:
    """A course organised by unit A."""
    from datetime import date

    from activities.models import TrainingCourse

    course, _ = TrainingCourse.objects.get_or_create(
        topic="Kỹ năng thương lượng",
        defaults={"held_on": date(2024, 5, 1), "organiser": "LĐLĐ", "district_union": org.unit_a},
    )
    return {"pk": course.pk}


def _a_report(org) -> dict:
    """Unit A's report of the year 2024."""
    return {"pk": org.unit_a.pk, "year": 2024, "kind": "nam"}


def _hn_report(org) -> dict:
    """Hà Nội federation's own report of the year 2024 (to the national level)."""
    return {"pk": org.federation.pk, "year": 2024, "kind": "nam"}


# fmt: off
#                            anon  A   B  other staff admin   nat ended ward
MATRIX: dict[str, Row] = {
    # --- authentication ---------------------------------------------------------------
    "login": Row(get="200 302 302 302 302 302  302 302 302", public=True,
                 note="logged-in users are sent on to the home page"),
    "logout": Row(get="302 405 405 405 405 405  405 405 405", post="302 302 302 302 302 302  302 302 302", public=True,
                  note="POST only; everyone ends on the login page"),
    "favicon": Row(get="301 301 301 301 301 301  301 301 301", public=True,
                   note="the icon, for pages that name none (the admin's)"),
    # --- user guide: public (no data), for everyone -------------------------------------------
    "guide:guide-index": Row(get="200 200 200 200 200 200  200 200 200", public=True),
    "guide:guide-topic": Row(lambda org: {"slug": "ket-nap"}, get="200 200 200 200 200 200  200 200 200",
                             public=True),
    # --- progress (home) -----------------------------------------------------------------
    "home": Row(get="302 200 200 200 200 200  200 200 200"),
    # The national dashboard: national staff (their home) and admins.
    "progress-national": Row(get="302 404 404 404 404 200  200 404 404"),
    # Unit A's dashboard and the list behind its new-members figure: officer A, staff, admin.
    "progress-unit": Row(_a_pk("unit_a"), get="302 200 404 404 200 200  200 404 404"),
    "progress-drill": Row(lambda org: {"kind": "doan-vien-moi"},
                          query=lambda org: f"?unit={org.unit_a.pk}&year=2024",
                          get="302 200 404 404 200 200  200 404 404"),
    # Values reported as a number: entry (officer A, staff, admin; ended and national: none)
    # and history (readers of unit A). An empty POST shows the form's errors (400).
    "reported-entry": Row(query=lambda org: f"?unit={org.unit_a.pk}",
                          get="302 200 404 404 200 200  404 404 404",
                          post="302 400 400 400 400 400  404 404 400"),
    "reported-history": Row(query=lambda org: f"?unit={org.unit_a.pk}&year=2024",
                            get="302 200 404 404 200 200  200 404 404"),
    # --- CĐCS register ---------------------------------------------------------------------
    "grassroots:grassroots-list": Row(get="302 200 200 200 200 200  200 200 200"),
    # Annual targets: federation staff set their own federation's (the other federation's staff
    # asking for HN get their own federation's page), admins any; officers only read them.
    "grassroots:targets": Row(query=lambda org: "?lien_doan=HN&year=2024",
                              get="302 404 404 200 200 200  404 404 404", post="302 404 404 302 302 302  404 404 404"),
    # Campaign windows (đợt thi đua) are declared like targets are set: federation staff their
    # own federation's (the other federation's staff get a form for their own), admins any;
    # changing one: only its federation's staff and admins. An empty POST shows the form again.
    "grassroots:campaign-create": Row(query=lambda org: "?lien_doan=HN",
                                      get="302 404 404 200 200 200  404 404 404", post="302 404 404 200 200 200  404 404 404"),
    "grassroots:campaign-update": Row(_campaign, get="302 404 404 404 200 200  404 404 404",
                                      post="302 404 404 404 200 200  404 404 404"),
    # Deleting one: the same; an empty POST (no confirmation box) deletes nothing.
    "grassroots:campaign-delete": Row(_campaign, get="302 404 404 404 200 200  404 404 404",
                                      post="302 404 404 404 200 200  404 404 404"),
    # Type-to-search of the CĐCS pickers (htmx): every role with a scope gets 200, but only the
    # CĐCS it may pick ("Alpha" is unit A's: officer B and the other federation get no option).
    "grassroots:grassroots-search": Row(query=lambda org: "?pham_vi=xem&ten=to_grassroots&cdcs_q=Alpha",
                                        get="302 200 200 200 200 200  200 200 200"),
    # Officer B founds CĐCS in unit B (the form offers only B): 200 for both officers.
    "grassroots:grassroots-create": Row(get="302 200 200 404 404 200  404 404 200",
                                        post="302 200 200 404 404 200  404 404 200"),
    "grassroots:grassroots-detail": Row(_a_pk("grassroots_a"), get="302 200 404 404 200 200  200 404 404"),
    "grassroots:grassroots-update": Row(_a_pk("grassroots_a"), get="302 200 404 404 404 200  404 404 404",
                                        post="302 200 404 404 404 200  404 404 404"),
    "grassroots:grassroots-dissolve": Row(_a_pk("grassroots_a"), get="302 200 404 404 404 200  404 404 404",
                                          post="302 200 404 404 404 200  404 404 404"),
    # Moving a CĐCS between upper-level unions changes the organisation tree: admins only.
    "grassroots:grassroots-move": Row(_a_pk("grassroots_a"), get="302 404 404 404 404 200  404 404 404",
                                      post="302 404 404 404 404 200  404 404 404"),
    # --- member register ---------------------------------------------------------------------
    "members:member-list": Row(get="302 200 200 200 200 200  200 200 200"),
    "members:member-create": Row(get="302 200 200 404 404 200  404 404 200", post="302 200 200 404 404 200  404 404 200"),
    "members:member-detail": Row(_a_pk("member_a"), get="302 200 404 404 200 200  200 404 404"),
    "members:member-update": Row(_a_pk("member_a"), get="302 200 404 404 404 200  404 404 404",
                                 post="302 200 404 404 404 200  404 404 404"),
    "members:member-transfer": Row(_a_pk("member_a"), get="302 200 404 404 404 200  404 404 404",
                                   post="302 200 404 404 404 200  404 404 404"),
    "members:member-leave": Row(_a_pk("member_a"), get="302 200 404 404 404 200  404 404 404",
                                post="302 200 404 404 404 200  404 404 404"),
    "members:member-rejoin": Row(_a_pk("member_a"), get="302 200 404 404 404 200  404 404 404",
                                 post="302 200 404 404 404 200  404 404 404"),
    # History records are scoped like the registers (each role sees its own part).
    "members:audit-list": Row(get="302 200 200 200 200 200  200 200 200"),
    # --- list downloads: everyone with a role, their own scope's rows (members/exports.py) ----
    "members:member-export": Row(lambda org: {"fmt": "xlsx"}, get="302 200 200 200 200 200  200 200 200"),
    "grassroots:grassroots-export": Row(lambda org: {"fmt": "xlsx"}, get="302 200 200 200 200 200  200 200 200"),
    # --- spreadsheet imports (imports/) ------------------------------------------------
    # Officers import members/CĐCS of their unit, federation staff targets, admins anything:
    # everyone with a role has the upload page (an empty POST shows the form again).
    "imports:import-start": Row(get="302 200 200 200 200 200  404 404 200", post="302 200 200 200 200 200  404 404 200"),
    "imports:import-history": Row(get="302 200 200 200 200 200  404 404 200"),
    "imports:import-template": Row(lambda org: {"kind": "members"}, get="302 200 200 404 404 200  404 404 200"),
    # Officer A's member import (not awaiting confirmation: confirm/run again just redirect).
    "imports:import-detail": Row(_import_job, get="302 200 404 404 404 200  404 404 404"),
    "imports:import-errors": Row(_import_job, get="302 200 404 404 404 200  404 404 404"),
    "imports:import-confirm": Row(_import_job, get="302 405 405 405 405 405  404 404 405",
                                  post="302 302 404 404 404 302  404 404 404"),
    "imports:import-rerun": Row(_import_job, get="302 405 405 405 405 405  404 404 405",
                                post="302 302 404 404 404 302  404 404 404"),
    # --- restructuring plans (imports/plan_*): admins, and federation staff in their own ------
    # federation (the other federation's staff get their own federation's pages); others 404.
    "plans:plan-start": Row(get="302 404 404 200 200 200  404 404 404", post="302 404 404 200 200 200  404 404 404"),
    "plans:plan-build": Row(get="302 404 404 200 200 200  404 404 404", post="302 404 404 200 200 200  404 404 404"),
    "plans:plan-proposal": Row(get="302 404 404 200 200 200  404 404 404", post="302 404 404 200 200 200  404 404 404"),
    "plans:plan-template": Row(get="302 404 404 200 200 200  404 404 404"),
    "plans:plan-history": Row(get="302 404 404 200 200 200  404 404 404"),
    # Hà Nội staff's plan (refused: confirm/run again just redirect).
    "plans:plan-detail": Row(_plan_job, get="302 404 404 404 200 200  404 404 404"),
    "plans:plan-confirm": Row(_plan_job, get="302 404 404 405 405 405  404 404 404",
                              post="302 404 404 404 302 302  404 404 404"),
    "plans:plan-rerun": Row(_plan_job, get="302 404 404 405 405 405  404 404 404",
                            post="302 404 404 404 302 302  404 404 404"),
    # Undo of a Hà Nội plan: the confirmation page, then POST undoes it (once; then a message).
    "plans:plan-undo": Row(_restructuring, get="302 404 404 404 200 200  404 404 404",
                           post="302 404 404 404 302 302  404 404 404"),
    # --- enterprise register and organising pipeline (organising/) ------------------------
    # Lists: every role reads its own scope's rows; officers and admins add and work them.
    "organising:enterprise-list": Row(get="302 200 200 200 200 200  200 200 200"),
    "organising:enterprise-mine": Row(get="302 200 200 200 200 200  200 200 200"),
    "organising:enterprise-export": Row(get="302 200 200 200 200 200  200 200 200"),
    "organising:headroom": Row(get="302 200 200 200 200 200  200 200 200"),
    "organising:headroom-export": Row(get="302 200 200 200 200 200  200 200 200"),
    "organising:enterprise-create": Row(get="302 200 200 404 404 200  404 404 200",
                                        post="302 200 200 404 404 200  404 404 200"),
    "organising:enterprise-detail": Row(_enterprise_a, get="302 200 404 404 200 200  200 404 404"),
    "organising:enterprise-stage": Row(_enterprise_a, get="302 200 404 404 404 200  404 404 404",
                                       post="302 200 404 404 404 200  404 404 404"),
    "organising:enterprise-assign": Row(_enterprise_a, get="302 200 404 404 404 200  404 404 404",
                                        post="302 200 404 404 404 200  404 404 404"),
    "organising:enterprise-contact": Row(_enterprise_a, get="302 200 404 404 404 200  404 404 404",
                                         post="302 200 404 404 404 200  404 404 404"),
    "organising:enterprise-notes": Row(_enterprise_a, get="302 200 404 404 404 200  404 404 404",
                                       post="302 302 404 404 404 302  404 404 404"),
    "organising:enterprise-found": Row(_enterprise_a, get="302 200 404 404 404 200  404 404 404",
                                       post="302 200 404 404 404 200  404 404 404"),
    # --- period reports and closed books (approvals/) -------------------------------------
    # The approver's queue: federation staff (their own federation's) and admins.
    "approvals:report-queue": Row(get="302 404 404 200 200 200  404 404 404"),
    # Completeness: staff (the other federation's staff asking for HN get their own), admins,
    # national staff.
    "approvals:completeness": Row(query=lambda org: "?lien_doan=HN&year=2024",
                                  get="302 404 404 200 200 200  200 404 404"),
    # Unit A's periods and its 2024 report: whoever reads unit A's dashboard.
    "approvals:unit-reports": Row(_a_pk("unit_a"), query=lambda org: "?year=2024",
                                  get="302 200 404 404 200 200  200 404 404"),
    "approvals:report-detail": Row(_a_report, get="302 200 404 404 200 200  200 404 404"),
    # POST only. Submitting: the unit's officer and admins; deciding and opening: the level
    # above (staff of the unit's federation, admins). Others 404.
    "approvals:report-submit": Row(_a_report, get="302 405 405 405 405 405  405 405 405",
                                   post="302 302 404 404 404 302  404 404 404"),
    "approvals:report-decide": Row(_a_report, get="302 405 405 405 405 405  405 405 405",
                                   post="302 404 404 404 302 302  404 404 404"),
    # Opening: also the national level (after it approved the federation's report, only it).
    "approvals:report-open": Row(_a_report, get="302 405 405 405 405 405  405 405 405",
                                 post="302 404 404 404 302 302  302 404 404"),
    # The federation's own report to the national level: its staff, admins and national
    # staff read; its staff (and admins) submit; national staff (and admins) decide.
    "approvals:national-completeness": Row(query=lambda org: "?year=2024",
                                           get="302 404 404 404 404 200  200 404 404"),
    "approvals:federation-reports": Row(_a_pk("federation"), query=lambda org: "?year=2024",
                                        get="302 404 404 404 200 200  200 404 404"),
    "approvals:federation-report": Row(_hn_report, get="302 404 404 404 200 200  200 404 404"),
    "approvals:federation-report-submit": Row(_hn_report,
                                              get="302 405 405 405 405 405  405 405 405",
                                              post="302 404 404 404 302 302  404 404 404"),
    "approvals:federation-report-decide": Row(_hn_report,
                                              get="302 405 405 405 405 405  405 405 405",
                                              post="302 404 404 404 404 302  302 404 404"),
    # --- activity records, support ledger, weak CĐCS (activities/) -----------------------
    # Pages of a CĐCS/member: readers of it see the page; its officer and admins write.
    "activities:officers": Row(_a_pk("grassroots_a"), get="302 200 404 404 200 200  200 404 404",
                               post="302 200 404 404 404 200  404 404 404"),
    "activities:agreements": Row(_a_pk("grassroots_a"), get="302 200 404 404 200 200  200 404 404",
                                 post="302 200 404 404 404 200  404 404 404"),
    "activities:member-party": Row(_a_pk("member_a"), get="302 200 404 404 200 200  200 404 404",
                                   post="302 200 404 404 404 200  404 404 404"),
    "activities:position-end": Row(_position_a, get="302 200 404 404 200 200  200 404 404",
                                   post="302 200 404 404 404 200  404 404 404"),
    "activities:course-list": Row(get="302 200 200 200 200 200  200 200 200"),
    "activities:course-create": Row(get="302 200 200 404 404 200  404 404 200",
                                    post="302 200 200 404 404 200  404 404 200"),
    "activities:course-detail": Row(_course_a, get="302 200 404 404 200 200  200 404 404"),
    # The ledger: every role reads its scope's rows; the accountant (staff, admins) marks paid.
    "activities:payouts": Row(get="302 200 200 200 200 200  200 200 200",
                              post="302 404 404 200 200 200  404 404 404"),
    "activities:payouts-export": Row(get="302 200 200 200 200 200  200 200 200"),
    "activities:weak": Row(get="302 200 200 200 200 200  200 200 200"),
    "activities:weak-export": Row(get="302 200 200 200 200 200  200 200 200"),
    # Recording a consolidation outcome: officers with a CĐCS to write and admins; federation
    # and national staff and the ended unit's officer read only (404). Empty POST: the errors.
    "activities:weak-outcome": Row(get="302 200 200 404 404 200  404 404 200",
                                   post="302 200 200 404 404 200  404 404 200"),
}
# fmt: on

ADMIN_NAMESPACE = "admin"


# --- resolver walk ----------------------------------------------------------------------


@dataclass(frozen=True)
class FoundUrl:
    name: str  # "namespace:name", or "<unnamed> pattern" for a pattern without a name
    pattern: str
    in_admin: bool  # inside the admin site's resolver (covered by the admin rule)


def iter_urls(patterns=None, namespace: str = "", prefix: str = "", in_admin: bool = False):
    """Every URL pattern of the project, with its namespaced name and full route."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from iter_urls(
                entry.url_patterns,
                ns,
                route,
                in_admin or entry.app_name == ADMIN_NAMESPACE,
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed> {route}"
            yield FoundUrl(name, route, in_admin)


def project_urls() -> list[FoundUrl]:
    return [u for u in iter_urls() if not u.in_admin]


def test_the_resolver_walk_finds_nested_and_admin_urls():
    """Guard for the walker itself: a walk that found nothing would make the matrix vacuous."""
    names = {u.name for u in iter_urls()}
    assert "members:member-detail" in names
    assert "admin:index" in names
    assert "admin:members_member_changelist" in names


def test_every_url_has_a_row():
    found = {u.name: u.pattern for u in project_urls()}
    missing = sorted(set(found) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(found))
    assert not missing, (
        "URLs without a row in unionportal/tests/test_access_matrix.py MATRIX "
        "(add how to build each and the status per role):\n"
        + "\n".join(f"  {name}  ({found[name]})" for name in missing)
    )
    assert not stale, f"MATRIX rows for URLs that no longer exist: {stale}"


def test_every_row_says_what_get_does():
    for name, row in MATRIX.items():
        for spec in (row.get, row.post):
            if spec is not None:
                assert len(spec.split()) == len(ROLES), name
        assert row.get is not None, f"{name}: the GET column is required"


# --- running the matrix -------------------------------------------------------------------


@dataclass
class Reform:
    old_unit: object
    ward: object
    grassroots: object
    member: object
    national: object
    ended_officer: object
    ward_officer: object


@pytest.fixture
def reform(org) -> Reform:
    """A unit of Hà Nội that ended on 30/06/2025; its CĐCS went to a ward union from 01/07."""
    from datetime import date

    from grassroots.models import DistrictUnion, UserRole
    from grassroots.restructuring import NewUnit, units_merge
    from tests.factories import DistrictUnionFactory, GrassrootsFactory, MemberFactory, make_user

    old = DistrictUnionFactory(code="DD", name="LĐLĐ quận Đống Đa", federation=org.federation)
    grassroots = GrassrootsFactory(
        district_union=old, name="Công đoàn Công ty Delta", founded_on=date(2019, 3, 1)
    )
    member = MemberFactory(grassroots=grassroots, full_name="Phạm Thị Duyên")
    units_merge(
        [old],
        NewUnit("PDD", "Công đoàn phường Đống Đa", org.federation.code, date(2025, 7, 1)),
        date(2025, 7, 1),
    )
    ward = DistrictUnion.objects.get(code="PDD")
    Role = UserRole.Role
    return Reform(
        old_unit=old,
        ward=ward,
        grassroots=grassroots,
        member=member,
        national=make_user("national", Role.NATIONAL_STAFF),
        ended_officer=make_user("officer_ended", Role.DISTRICT_OFFICER, old),
        ward_officer=make_user("officer_ward", Role.DISTRICT_OFFICER, ward),
    )


def _clients(users, reform=None) -> dict[str, Client]:
    """One client per role, logged in with force_login (axes refuses client.login)."""
    who = {
        "A": users.officer_a,
        "B": users.officer_b,
        "other": users.other_staff,
        "staff": users.staff,
        "admin": users.admin,
    }
    if reform is not None:
        who |= {
            "nat": reform.national,
            "ended": reform.ended_officer,
            "ward": reform.ward_officer,
        }
    clients = {"anon": Client()}
    for role, user in who.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
    return clients


def _check_answer(problems, role, method, url, response, expected, row, org):
    status = response.status_code
    if status != expected:
        problems.append(f"{method} {url} as {role}: {status}, expected {expected}")
        return
    login_url = reverse("login")
    redirect = getattr(response, "url", "")
    if role == "anon" and status == 302 and not row.public and not redirect.startswith(login_url):
        problems.append(f"{method} {url} as anon: redirects to {redirect}, not login")
    if role != "anon" and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"{method} {url} as {role}: no Cache-Control: no-store")
    if status == 200 and "text/html" in response.headers.get("Content-Type", ""):
        csp = response.headers.get("Content-Security-Policy", "")
        if not csp or "unsafe-inline" in csp:
            problems.append(f"{method} {url} as {role}: CSP missing or allows unsafe-inline")
    # Unit A's personal data never reaches officer B or the other federation, whatever the
    # status (a list, a form's choices, an error page), nor anyone through a 404 page.
    if status == 404 or role in ("B", "other", "ended", "ward"):
        body = text_of(response)
        for secret in (org.member_a.full_name, org.member_a.cccd, org.grassroots_a.name):
            if secret in body:
                problems.append(f"{method} {url} as {role}: the {status} page shows {secret!r}")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(name, org, users, reform):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(org)) + row.query(org)
    clients = _clients(users, reform)
    problems: list[str] = []
    for method, spec in (("GET", row.get), ("POST", row.post)):
        if spec is None:
            continue
        for role, expected in zip(ROLES, (int(s) for s in spec.split()), strict=True):
            client = clients[role]
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, row.post_data(org))
                if name == "logout":  # the client is logged out now: log it in again
                    clients = _clients(users, reform)
            _check_answer(problems, role, method, url, response, expected, row, org)
    assert not problems, "\n".join(problems)


def test_writes_refused_by_the_matrix_changed_nothing(org, users, reform):
    """POSTs that answered 404 left the registers as they were (no half-write by others)."""
    from grassroots.models import GrassrootsUnion
    from members.models import Member

    before = (Member.objects.count(), GrassrootsUnion.objects.count())
    clients = _clients(users, reform)
    for name, row in MATRIX.items():
        if row.post is None or name == "logout":
            continue
        url = reverse(name, kwargs=row.kwargs(org)) + row.query(org)
        for role, expected in zip(ROLES, row.post.split(), strict=True):
            if expected == "404":
                clients[role].post(url, row.post_data(org))
    assert (Member.objects.count(), GrassrootsUnion.objects.count()) == before
    org.member_a.refresh_from_db()
    assert org.member_a.full_name == "Nguyễn Văn Đạt"


def test_write_scope_across_a_reform_date(org, users, reform):
    """The CĐCS the ended unit handed over on 01/07/2025: the ward officer now writes it; the
    ended unit's officer reads only their unit's own history (its dashboard and the lists of
    the days it existed), and can no longer open, change or add anything."""
    clients = _clients(users, reform)
    ended, ward = clients["ended"], clients["ward"]
    g, member, old = reform.grassroots, reform.member, reform.old_unit
    for client, expected in ((ward, 200), (ended, 404)):
        for name in ("grassroots:grassroots-detail", "grassroots:grassroots-update"):
            assert client.get(reverse(name, args=[g.pk])).status_code == expected, name
        for name in ("members:member-detail", "members:member-update", "members:member-leave"):
            assert client.get(reverse(name, args=[member.pk])).status_code == expected, name
    # The ended unit's own history: its 2019 dashboard and the list of its new CĐCS then.
    assert ended.get(reverse("progress-unit", args=[old.pk]) + "?year=2019").status_code == 200
    drill = ended.get(reverse("progress-drill", args=["cdcs-moi"]) + f"?unit={old.pk}&year=2019")
    assert drill.status_code == 200 and g.name in drill.content.decode()
    assert ended.get("/").status_code == 200  # their home: the ended unit's dashboard
    # Nothing to write any more, and nothing of the ward's after 01/07/2025.
    for name in ("grassroots:grassroots-create", "members:member-create", "imports:import-start"):
        assert ended.get(reverse(name)).status_code == 404, name
    assert ended.get(reverse("progress-unit", args=[reform.ward.pk])).status_code == 404
    # The ward officer does not see the ended unit's dashboard (its days before the ward).
    assert ward.get(reverse("progress-unit", args=[old.pk])).status_code == 404
    ended_response = ended.post(
        reverse("grassroots:grassroots-update", args=[g.pk]), {"name": "Đổi tên"}
    )
    assert ended_response.status_code == 404
    g.refresh_from_db()
    assert g.name == "Công đoàn Công ty Delta"


# --- admin site rule ----------------------------------------------------------------------


def _admin_urls() -> list[str]:
    """The changelist of every model registered in the admin (the admin's pages that list data)."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


def test_admin_site_rule(org, users, reform):
    """Admin site: admins 200 on every changelist; everybody else is sent to a login page
    (anonymous visitors to the portal's, logged-in non-admins to the admin's)."""
    clients = _clients(users, reform)
    problems = []
    for url in _admin_urls():
        for role, client in clients.items():
            response = client.get(url)
            if role == "admin":
                if response.status_code != 200:
                    problems.append(f"{url} as admin: {response.status_code}")
                elif "no-store" not in response.headers.get("Cache-Control", ""):
                    problems.append(f"{url} as admin: no Cache-Control: no-store")
            else:
                logins = (reverse("admin:login"),)
                if role == "anon":  # LoginRequiredMiddleware answers first, except on the index
                    logins += (reverse("login"),)
                if response.status_code != 302 or not response.url.startswith(logins):
                    problems.append(
                        f"{url} as {role}: {response.status_code} "
                        f"{getattr(response, 'url', '')}, expected 302 to {logins}"
                    )
    assert not problems, "\n".join(problems)


def test_admin_object_pages_open_for_admins(org, users):
    """The admin's change page of a member and a CĐCS of unit A (objects, not just lists)."""
    client = _clients(users)["admin"]
    for model, obj in (
        ("members_member", org.member_a),
        ("grassroots_grassrootsunion", org.grassroots_a),
    ):
        response = client.get(reverse(f"admin:{model}_change", args=[obj.pk]))
        assert response.status_code == 200, model


def test_campaign_period_matrix(org, users, reform):
    """The dashboards' campaign period (`period=dot-<id>`), each role × page: a campaign is its
    federation's. Those who see the page see its campaign; the other federation's staff asking
    for Hà Nội's campaign get 404 on their home, as for any object out of scope; the unit page
    and its lists keep their own scope (B, other: 404)."""
    campaign = _campaign(org)["pk"]
    q = f"?period=dot-{campaign}"
    pages = {
        "home": (reverse("home") + q, "302 200 200 404 200 200  200 200 200"),
        "unit": (
            reverse("progress-unit", args=[org.unit_a.pk]) + q,
            "302 200 404 404 200 200  200 404 404",
        ),
        "drill": (
            reverse("progress-drill", args=["doan-vien-moi"]) + q + f"&unit={org.unit_a.pk}",
            "302 200 404 404 200 200  200 404 404",
        ),
        "national": (
            reverse("progress-national") + q,
            "302 404 404 404 404 200  200 404 404",
        ),
    }
    clients = _clients(users, reform)
    problems: list[str] = []
    for _page, (url, spec) in pages.items():
        for role, expected in zip(ROLES, (int(s) for s in spec.split()), strict=True):
            response = clients[role].get(url)
            _check_answer(problems, role, "GET", url, response, expected, Row(), org)
    # A campaign id that does not exist answers like one out of scope.
    missing = clients["staff"].get(reverse("home") + "?period=dot-999999999")
    assert missing.status_code == 404
    assert not problems, "\n".join(problems)
