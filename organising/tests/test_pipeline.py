"""The pipeline journey through the services and the import: import, assign, visits, ban vận
động, found the CĐCS; the enterprise closes by itself, headroom and conversions follow."""

from datetime import date

import pytest
from django.utils import timezone

from grassroots.access import SYSTEM
from imports.engine import run_import
from organising import rules, services
from organising.models import Enterprise, Stage
from organising.selectors import headroom_for


def _csv(tmp_path, rows):
    path = tmp_path / "thue.csv"
    lines = ["STT,Mã số thuế,Tên doanh nghiệp,Số lao động,Mã công đoàn cấp trên,Ngành nghề"]
    lines += [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    return path


def test_worker_counts_and_tax_codes():
    assert rules.worker_count("30 người") == 30
    assert rules.worker_count("1.200") == 1200
    with pytest.raises(rules.RuleError, match="ước lượng"):
        rules.worker_count("khoảng 30")
    assert rules.tax_code_split("0101234567-001") == ("0101234567", "001")
    with pytest.raises(rules.RuleError, match="9 chữ số"):
        rules.tax_code_split("101234567")


def test_journey(org, users, tmp_path):
    path = _csv(
        tmp_path,
        [
            [1, "0108000001", "Công ty A", "40 người", "TX", "May"],
            [2, "0108000002-001", "Công ty B", 10, "TX", ""],
        ],
    )
    outcome = run_import("enterprises", path, user=SYSTEM, commit=True, source_name="thue.csv")
    assert outcome.ok, outcome.errors
    assert any("không dùng đến" in n for n in outcome.notices)
    year = timezone.localdate().year
    page = headroom_for(users.officer_a, year=year, today=timezone.localdate())
    assert page.rows[0].without_union_25 == 1
    enterprise = Enterprise.objects.get(full_tax_code="0108000001")
    services.enterprise_assign(enterprise=enterprise, officer=users.officer_a, user=users.officer_a)
    today = timezone.localdate()
    for _ in range(2):
        services.enterprise_contact_add(
            enterprise=enterprise,
            on=today,
            people="Giám đốc",
            outcome="Đồng ý",
            user=users.officer_a,
        )
    services.enterprise_stage_change(
        enterprise=enterprise, stage=Stage.COMMITTEE, on=today, user=users.officer_a
    )
    g = services.enterprise_found_grassroots(
        enterprise=enterprise,
        user=users.officer_a,
        code="CS-NEW",
        name="Công đoàn Công ty A",
        founded_on=today,
        workers=40,
    )
    enterprise.refresh_from_db()
    assert enterprise.grassroots_id == g.pk and enterprise.shown_stage == Stage.FOUNDED
    assert enterprise.recruited_by == users.officer_a
    page = headroom_for(users.officer_a, year=year, today=today)
    assert page.rows[0].without_union_25 == 0
    assert page.rows[0].conversions == 1
    # A re-import updates the worker count, records it, keeps the officer's work.
    path = _csv(tmp_path, [[1, "0108000001", "Công ty A", 45, "TX", ""]])
    assert run_import("enterprises", path, user=SYSTEM, commit=True, source_name="thue2.csv").ok
    enterprise.refresh_from_db()
    assert enterprise.workers == 45 and enterprise.officer == users.officer_a
    assert enterprise.worker_changes.get().workers_before == 40


def test_officer_b_cannot_work_unit_a(org, users):
    now = timezone.now()
    e = Enterprise.objects.create(
        tax_code="0108000003",
        name="X",
        source="tax_office",
        district_union=org.unit_a,
        workers=30,
        created_at=now,
        updated_at=now,
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.enterprise_stage_change(
            enterprise=e, stage=Stage.CONTACTED, on=date(2025, 1, 1), user=users.officer_b
        )
