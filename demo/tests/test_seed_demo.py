"""The demo data reproduces the source articles' figures exactly, and is deterministic."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from grassroots.models import AnnualTarget, DistrictUnion, Federation, GrassrootsUnion, UserRole
from members.models import Member
from reports.selectors import figures_by_unit

pytestmark = pytest.mark.slow


def unit(code: str) -> DistrictUnion:
    return DistrictUnion.objects.get(code=code)


def figures(code: str, start: date, end: date):
    u = unit(code)
    return figures_by_unit([u.pk], start, end)[u.pk]


def target(code: str, year: int) -> AnnualTarget:
    return AnnualTarget.objects.get(district_union=unit(code), year=year)


@pytest.mark.django_db
def test_thanh_xuan_2024_matches_the_article(demo):
    f = figures("TX", date(2024, 1, 1), date(2024, 12, 31))
    t = target("TX", 2024)
    assert (f.new_grassroots, t.value("new_grassroots")) == (27, 20)
    assert (f.new_grassroots_25plus, t.value("new_grassroots_25plus")) == (15, 15)
    assert (f.new_members, t.value("new_members")) == (4550, 6500)
    # "285 CĐCS, hơn 23.000 đoàn viên"
    assert f.grassroots_total == 285 and f.members_total > 23000


@pytest.mark.django_db
def test_other_article_figures(demo):
    q1 = figures("TX", date(2025, 1, 1), date(2025, 3, 31))
    assert (q1.new_members, q1.new_grassroots) == (1200, 4)
    cg = figures("CG", date(2021, 1, 1), date(2021, 4, 4))
    assert (cg.new_grassroots, target("CG", 2021).value("new_grassroots")) == (11, 27)
    assert (cg.new_members, target("CG", 2021).value("new_members")) == (589, 1450)
    btl = figures("BTL", date(2020, 1, 1), date(2020, 8, 31))
    assert (btl.new_grassroots, btl.new_members, target("BTL", 2020).value("new_members")) == (
        9,
        599,
        850,
    )
    qn = figures_by_unit(
        DistrictUnion.objects.filter(federation__code="QN").values_list("pk", flat=True),
        date(2024, 1, 1),
        date(2024, 6, 30),
    )
    assert sum(f.new_grassroots for f in qn.values()) == 41
    assert sum(f.new_members for f in qn.values()) == 7965


@pytest.mark.django_db
def test_shape_of_the_demo(demo):
    hanoi = Federation.objects.get(code="HN")
    assert hanoi.name == "LĐLĐ thành phố Hà Nội"
    assert hanoi.district_unions.filter(kind=DistrictUnion.Kind.DISTRICT).count() >= 12
    assert GrassrootsUnion.objects.count() > 2000
    assert Member.objects.count() > 20000
    assert len(set(GrassrootsUnion.objects.values_list("sector", flat=True))) == 7
    # Alive on the day someone tries it: admissions this year, targets for every unit and year.
    this_year = timezone.localdate().year
    assert Member.objects.filter(joined_on__year=this_year).exists()
    for year in range(2019, this_year + 1):
        # Every unit that exists in the year has a target, but the direct rows.
        units = (
            DistrictUnion.objects.exclude(kind=DistrictUnion.Kind.DIRECT)
            .filter(Q(founded_on__isnull=True) | Q(founded_on__year__lte=year))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=year))
        )
        assert set(
            AnnualTarget.objects.filter(year=year, district_union__isnull=False).values_list(
                "district_union__code", flat=True
            )
        ) == set(units.values_list("code", flat=True))
        assert AnnualTarget.objects.filter(year=year, federation=hanoi).exists()
    assert (
        Member.objects.filter(full_name__startswith="Nguyễn").count() > Member.objects.count() * 0.2
    )


@pytest.mark.django_db
def test_demo_users_log_in_with_their_roles(demo):
    for username, role in [
        ("admin", UserRole.Role.ADMIN),
        ("thanhpho", UserRole.Role.FEDERATION_STAFF),
        ("thanhxuan", UserRole.Role.DISTRICT_OFFICER),
        ("caugiay", UserRole.Role.DISTRICT_OFFICER),
        ("toanquoc", UserRole.Role.NATIONAL_STAFF),
        ("phuongthanhxuan", UserRole.Role.DISTRICT_OFFICER),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.check_password("unionportal-demo")
        assert user.union_role.role == role
    assert UserRole.objects.get(user__username="thanhxuan").district_union.code == "TX"
    assert UserRole.objects.get(user__username="caugiay").district_union.code == "CG"
    ward = UserRole.objects.get(user__username="phuongthanhxuan").district_union
    assert (ward.name, ward.kind) == ("Công đoàn phường Thanh Xuân", DistrictUnion.Kind.COMMUNE)


@pytest.mark.django_db
def test_the_demo_replays_the_2025_reform(demo):
    hanoi = Federation.objects.get(code="HN")
    ended = DistrictUnion.objects.filter(ended_on=date(2025, 6, 30))
    assert set(ended.filter(federation=hanoi).values_list("code", flat=True)) == {
        "TX",
        "CG",
        "BTL",
        "LB",
        "HK",
        "BD",
        "DD",
        "HBT",
        "HM",
        "TH",
        "HD",
        "NTL",
        "GDHN",
    }
    assert set(ended.filter(federation__code="QN").values_list("code", flat=True)) == {
        "HL",
        "CP",
        "UB",
        "QY",
    }
    # No active CĐCS is left in an ended unit or in the direct row after 01/10/2025 (those
    # dissolved before the reform stay where they were).
    active = GrassrootsUnion.objects.filter(dissolved_on__isnull=True)
    assert not active.filter(district_union__in=ended).exists()
    assert not active.filter(district_union__kind="direct").exists()
    # The ward unions carry the official 2025 names (vietnam-provinces).
    wards = set(
        DistrictUnion.objects.filter(kind="commune", federation=hanoi).values_list(
            "name", flat=True
        )
    )
    assert {
        "Công đoàn phường Thanh Xuân",
        "Công đoàn phường Khương Đình",
        "Công đoàn phường Cầu Giấy",
        "Công đoàn phường Nghĩa Đô",
    } <= wards
    # A CĐCS of Thanh Xuân: TX until 30/06, the city from 01/07, a ward from 01/10/2025.
    g = GrassrootsUnion.objects.filter(code__startswith="TX-", founded_on__year__lt=2019).first()
    steps = list(g.affiliations.values_list("district_union__kind", "valid_from", "valid_to"))
    assert steps[1:] == [
        ("direct", date(2025, 7, 1), date(2025, 10, 1)),
        ("commune", date(2025, 10, 1), None),
    ]
    # The direct row's quarter holds admissions of its own.
    direct = DistrictUnion.objects.get(code="HN-TT")
    q3 = figures_by_unit([direct.pk], date(2025, 7, 1), date(2025, 9, 30))[direct.pk]
    assert q3.new_members > 0 and q3.grassroots_total > 1000


@pytest.mark.django_db
def test_if_empty_leaves_existing_data_alone(demo, capsys):
    before = Member.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Member.objects.count() == before
    assert "bỏ qua" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_is_analysed_so_saves_are_fast(demo):
    from unionportal.bulk import planner_statistics_missing

    assert not planner_statistics_missing()


@pytest.mark.django_db
def test_bench_pages_times_every_page_and_save_on_the_demo(demo, settings, tmp_path):
    import io

    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("bench_pages", "--repeat", "1", stdout=out)
    lines = out.getvalue().splitlines()
    pages = [line for line in lines if line.startswith("page")]
    saves = [line for line in lines if line.startswith("save")]
    assert len(pages) >= 25 and all("ms  200" in line for line in pages), pages
    assert len(saves) == 5 and all("ms  302" in line for line in saves), saves
    assert "không chuyển trang" not in out.getvalue()
    assert lines[-1].startswith("Giới hạn: trang < 500 ms, thao tác ghi < 1000 ms")


@pytest.mark.django_db
def test_a_cdcs_can_be_founded_after_the_demo(demo):
    """The demo's CĐCS carry explicit ids: PostgreSQL's sequence must have moved past them."""
    from django.utils import timezone

    # Today, in a unit of today (the past periods of the demo are approved, so closed).
    from grassroots.models import UserRole
    from tests.factories import GrassrootsFactory

    ward = UserRole.objects.get(user__username="phuongthanhxuan").district_union
    created = GrassrootsFactory(district_union=ward, founded_on=timezone.localdate())
    assert created.pk > GrassrootsUnion.objects.exclude(pk=created.pk).order_by("-pk")[0].pk
