"""The restructuring plan pages through the test client: upload (or build) -> preview with every
error -> confirm -> done; re-applying changes nothing; history and undo restore every figure."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.models import DistrictUnion, GrassrootsUnion, Restructuring
from imports.models import ImportJob
from reports.periods import Period
from reports.selectors import district_dashboard, federation_dashboard
from tests.factories import GrassrootsFactory, MemberFactory, TargetFactory

HEADER = "Mã CĐCS,Mã đơn vị cấp trên mới,Ngày hiệu lực,Số quyết định,Ngày quyết định\n"
TODAY = date(2026, 1, 15)


def upload(client, text: str, name: str = "phuong-an.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("plans:plan-start"), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert job.kind == ImportJob.Kind.PLAN
    return job, client.get(response.url)


def figures(org) -> list:
    """Every figure of 2025 (and 2024) at unit and federation level, as the dashboards show."""
    result = []
    for period in (Period(2024, "nam"), Period(2025, "nam"), Period(2025, "quy-3")):
        fed = federation_dashboard(org.federation, period, TODAY)
        result.append(sorted((r.code, str(r.figures)) for r in fed.rows))
        result.append(str(fed.units_total.figures))
        for unit in (org.unit_a, org.unit_b):
            result.append(str(district_dashboard(unit, period, TODAY).row.figures))
    return result


@pytest.fixture
def reform_org(org):
    """Unit A with two more CĐCS (one moved in already on 01/03/2025), members admitted in 2025
    and a 2025 target."""
    extra = GrassrootsFactory(
        district_union=org.unit_a,
        code="TX-NEW",
        name="Công đoàn Công ty Mới",
        founded_on=date(2025, 2, 1),
    )
    for day in (date(2025, 3, 10), date(2025, 5, 20)):
        MemberFactory(grassroots=extra, joined_on=day)
    MemberFactory(grassroots=org.grassroots_a, joined_on=date(2025, 4, 1))
    TargetFactory(
        district_union=org.unit_a,
        year=2025,
        new_members=50,
        new_grassroots=5,
        new_grassroots_25plus=None,
    )
    return org


@pytest.mark.django_db
def test_plan_refused_whole_with_every_error_then_fixed_applies_reapply_and_undo(
    reform_org, users, login
):
    org = reform_org
    client = login(users.staff)
    a, b, c = org.grassroots_a.code, org.grassroots_b.code, org.grassroots_c.code
    before = figures(org)
    page = client.get(reverse("plans:plan-start"))
    assert page.status_code == 200 and "Tải file mẫu phương án" in page.content.decode()

    bad = (
        HEADER
        + f"{a},CG,01/07/2025,125/QĐ-LĐLĐ,15/06/2025\n"  # fine
        + "KHONGCO,CG,01/07/2025,125/QĐ-LĐLĐ,15/06/2025\n"  # unknown CĐCS
        + "TX-NEW,CG,01/01/2025,125/QĐ-LĐLĐ,15/06/2025\n"  # before its founding
        + f"{b},XYZ,01/07/2025,125/QĐ-LĐLĐ,15/06/2025\n"  # unknown unit
        + f"{c},HN,31/02/2025,125/QĐ-LĐLĐ,15/06/2025\n"  # no such day (and Hải Phòng's)
    )
    job, response = upload(client, bad)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    body = response.content.decode()
    assert "chưa ghi gì" in body
    assert [(e[0], e[1]) for e in job.errors] == [
        (3, "Mã CĐCS"),
        (4, "Ngày hiệu lực"),
        (5, "Mã đơn vị cấp trên mới"),
        (6, "Ngày hiệu lực"),
    ]
    assert "Không có CĐCS mã &#x27;KHONGCO&#x27;." in body
    assert "Không có đơn vị mã &#x27;XYZ&#x27;." in body
    assert "tháng 2/2025 không có ngày 31" in body
    assert "thành lập ngày 01/02/2025, sau ngày hiệu lực 01/01/2025" in body
    assert not Restructuring.objects.exists()
    assert GrassrootsUnion.objects.get(code=a).district_union == org.unit_a
    # An invalid plan cannot be confirmed.
    client.post(reverse("plans:plan-confirm", args=[job.pk]))
    assert not Restructuring.objects.exists()

    good = (
        HEADER
        + f"{a},CG,01/07/2025,125/QĐ-LĐLĐ,15/06/2025\n"
        + "TX-NEW,HN,01/07/2025,125/QĐ-LĐLĐ,15/06/2025\n"
    )
    job, response = upload(client, good)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    body = response.content.decode()
    assert "2 CĐCS chuyển" in body and "Áp dụng phương án" in body
    assert "Quyết định số 125/QĐ-LĐLĐ ngày 15/06/2025" in body
    units = {u["code"] or "direct": u for u in job.samples["preview"]["units"]}
    tx = units["TX"]
    assert (tx["g_before"], tx["g_out"], tx["g_after"]) == (2, 2, 0)
    assert (tx["m_before"], tx["m_out"], tx["m_after"]) == (4, 4, 0)
    # This year's admissions that move (2 in TX-NEW, 1 in A) and the new CĐCS of 2025.
    assert (tx["adm_out"], tx["founded_out"], tx["target_members"]) == (3, 1, 50)
    assert (units["CG"]["g_after"], units["CG"]["m_in"]) == (2, 2)
    assert units["direct"]["is_new"] and units["direct"]["g_in"] == 1
    assert not Restructuring.objects.exists()

    confirm = client.post(reverse("plans:plan-confirm", args=[job.pk]))
    assert confirm.status_code == 302
    # A double click applies once.
    again = client.post(reverse("plans:plan-confirm", args=[job.pk]), follow=True)
    assert "không còn ở bước chờ xác nhận" in again.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    record = Restructuring.objects.get()
    assert (record.decision_number, record.decision_date, record.effective_on) == (
        "125/QĐ-LĐLĐ",
        date(2025, 6, 15),
        date(2025, 7, 1),
    )
    assert record.created_by == users.staff and record.federation == org.federation
    done = client.get(reverse("plans:plan-detail", args=[job.pk])).content.decode()
    assert "Đã áp dụng phương án: chuyển 2 CĐCS." in done
    assert GrassrootsUnion.objects.get(code=a).district_union == org.unit_b
    direct = GrassrootsUnion.objects.get(code="TX-NEW").district_union
    assert direct.kind == DistrictUnion.Kind.DIRECT
    after = figures(org)
    assert after[:4] == before[:4]  # 2024 unchanged
    assert after != before

    # Re-applying the same plan changes nothing.
    job2, response = upload(client, good)
    job2.refresh_from_db()
    assert job2.status == ImportJob.Status.CHECKED and job2.new == 0 and job2.unchanged == 2
    assert "Không có gì thay đổi" in response.content.decode()
    assert Restructuring.objects.count() == 1

    # History, then undo as a whole with confirmation.
    history = client.get(reverse("plans:plan-history")).content.decode()
    assert "125/QĐ-LĐLĐ" in history and "15/06/2025" in history and "Hoàn tác" in history
    undo_url = reverse("plans:plan-undo", args=[record.pk])
    assert "Hoàn tác toàn bộ phương án" in client.get(undo_url).content.decode()
    client.post(undo_url)
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == users.staff
    assert GrassrootsUnion.objects.get(code=a).district_union == org.unit_a
    assert figures(org) == before
    twice = client.post(undo_url, follow=True).content.decode()
    assert "đã được hoàn tác" in twice


@pytest.mark.django_db
def test_build_page_moves_a_unit_directly_under_the_federation_and_warns_of_officers(
    org, users, login
):
    client = login(users.admin)
    page = client.get(reverse("plans:plan-build"))
    assert page.status_code == 200
    assert "CĐCS trực thuộc LĐLĐ thành phố Hà Nội (HN)" in page.content.decode()
    empty = client.post(reverse("plans:plan-build"), {"target": "CG", "effective_on": "01/07/2025"})
    assert "Hãy chọn đơn vị nguồn hoặc nhập danh sách mã CĐCS." in empty.content.decode()
    response = client.post(
        reverse("plans:plan-build"),
        {
            "source_unit": org.unit_a.pk,
            "target": "lien-doan:HN",
            "effective_on": "01/07/2025",
            "decision_number": "77/QĐ",
            "decision_date": "20/06/2025",
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(kind=ImportJob.Kind.PLAN)
    assert job.status == ImportJob.Status.CHECKED and job.new == 1
    client.post(reverse("plans:plan-confirm", args=[job.pk]))
    assert GrassrootsUnion.objects.get(pk=org.grassroots_a.pk).district_union.kind == "direct"
    assert Restructuring.objects.get().decision_number == "77/QĐ"


@pytest.mark.django_db
def test_a_list_of_codes_to_a_unit_of_another_federation_is_refused_for_staff(org, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("plans:plan-build"),
        {
            "grassroots_codes": f"{org.grassroots_a.code}\n{org.grassroots_c.code}",
            "target": "CG",
            "effective_on": "01/07/2025",
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(kind=ImportJob.Kind.PLAN)
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [[3, "Mã CĐCS", f"Không có CĐCS mã '{org.grassroots_c.code}'."]]
    # The unit list offers only Hà Nội's units.
    assert "Lê Chân" not in client.get(reverse("plans:plan-build")).content.decode()


@pytest.mark.django_db
def test_other_roles_get_404_and_other_federation_cannot_open_the_plan(org, users, login, client):
    login(users.staff)
    job, _ = upload(client, HEADER + f"{org.grassroots_a.code},CG,01/07/2025,,\n")
    for user in (users.officer_a, users.norole):
        client.force_login(user)
        assert client.get(reverse("plans:plan-start")).status_code == 404
    client.force_login(users.other_staff)
    assert client.get(reverse("plans:plan-detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("plans:plan-confirm", args=[job.pk])).status_code == 404
    assert not Restructuring.objects.exists()


@pytest.mark.django_db
def test_a_large_plan_runs_in_the_background(org, users, login, settings):
    settings.IMPORT_SYNC_MAX_BYTES = 10  # every plan is "large": the task backend runs it
    client = login(users.admin)
    job, response = upload(client, HEADER + f"{org.grassroots_a.code},CG,01/07/2025,,\n")
    job.refresh_from_db()
    # The test settings run tasks at once (ImmediateBackend) on commit.
    assert job.status in (ImportJob.Status.CHECKED, ImportJob.Status.CHECKING)


@pytest.mark.django_db
def test_ending_a_unit_with_cdcs_still_in_it_is_refused_and_its_officers_are_named(
    reform_org, users, login
):
    org = reform_org
    client = login(users.admin)
    header = HEADER.rstrip("\n") + ",Đơn vị kết thúc hoạt động\n"
    a = org.grassroots_a.code
    job, response = upload(client, header + f"{a},CG,01/07/2025,,,TX\n")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        [
            2,
            "Mã đơn vị",
            "Đơn vị TX kết thúc hoạt động ngày 30/06/2025 nhưng CĐCS TX-NEW vẫn còn trong đơn vị.",
        ]
    ]
    # Fixed: every CĐCS of TX moves; its officer is named, and must be acknowledged.
    job, response = upload(client, header + f"{a},CG,01/07/2025,,,TX\nTX-NEW,CG,01/07/2025,,,TX\n")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    body = response.content.decode()
    assert "Cán bộ" in body and "(officer_a) của đơn vị TX kết thúc hoạt động" in body
    refused = client.post(reverse("plans:plan-confirm", args=[job.pk]), follow=True)
    assert "Hãy đánh dấu ô đã đọc các lưu ý" in refused.content.decode()
    assert not Restructuring.objects.exists()
    client.post(reverse("plans:plan-confirm", args=[job.pk]), {"acknowledge": "1"})
    org.unit_a.refresh_from_db()
    assert org.unit_a.ended_on == date(2025, 6, 30)
    assert GrassrootsUnion.objects.filter(district_union=org.unit_b).count() == 3


@pytest.mark.parametrize("count", [1, 25])
@pytest.mark.django_db
def test_preview_reads_a_constant_number_of_queries(org, count, django_assert_num_queries):
    from grassroots.restructuring import Move, Plan, plan_check
    from imports.plan_jobs import plan_preview

    codes = [
        GrassrootsFactory(district_union=org.unit_a, founded_on=date(2020, 1, 1)).code
        for _ in range(count)
    ]
    checked = plan_check(Plan(moves=[Move(code, "CG", date(2025, 7, 1)) for code in codes]))
    assert checked.ok and checked.grassroots_count == count
    # Queries: members of the moving CĐCS (grouped), CĐCS founded this year, members now per
    # unit (grouped), this year's targets.
    with django_assert_num_queries(4):
        preview = plan_preview(checked, 2025, date(2025, 7, 1))
    assert {u["code"]: u["g_in"] for u in preview["units"]}["CG"] == count
