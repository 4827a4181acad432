"""Every main page, as the people who use it, at 1366x768 and at phone width (390 px):
no horizontal scrolling, the Vietnamese text is there, and the browser reports no CSP violation.

Screenshots of each page at both widths are kept in test-artifacts/pages/ for a human look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from grassroots.models import UserRole
from members.models import AccessLog
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    TargetFactory,
    make_user,
)

from .conftest import DESKTOP, PHONE

YEAR = timezone.localdate().year


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str  # may use {unit}, {grassroots}, {member}
    words: tuple[str, ...]  # Vietnamese text the page must show


PAGES: dict[str, list[MainPage]] = {
    "anonymous": [
        MainPage("login", "/dang-nhap/", ("Đăng nhập", "Mật khẩu")),
    ],
    "officer": [
        MainPage("unit-dashboard", "/", ("Tiến độ", "LĐLĐ quận Thanh Xuân", "Kết nạp")),
        MainPage("grassroots-list", "/cdcs/", ("Công đoàn cơ sở", "Công ty Cổ phần Sông Hồng")),
        MainPage("grassroots-detail", "/cdcs/{grassroots}/", ("Công ty Cổ phần Sông Hồng",)),
        MainPage("grassroots-create", "/cdcs/them/", ("Thành lập CĐCS", "Mã số thuế")),
        MainPage("member-list", "/doan-vien/", ("Đoàn viên", "Nguyễn Thị Hương")),
        MainPage("member-detail", "/doan-vien/{member}/", ("Nguyễn Thị Hương", "Ngày kết nạp")),
        MainPage("member-create", "/doan-vien/ket-nap/", ("Kết nạp đoàn viên", "Số CCCD")),
        MainPage("import-start", "/nhap-du-lieu/", ("Nhập dữ liệu từ Excel", "File mẫu")),
    ],
    "staff": [
        MainPage("federation-dashboard", "/", ("Tiến độ", "LĐLĐ thành phố Hà Nội")),
        MainPage(
            "unit-dashboard", f"/tien-do/don-vi/{{unit}}/?year={YEAR}", ("LĐLĐ quận Thanh Xuân",)
        ),
        MainPage(
            "drill-down",
            f"/tien-do/chi-tiet/doan-vien-moi/?unit={{unit}}&year={YEAR}",
            ("Đoàn viên kết nạp mới", "Nguyễn Thị Hương"),
        ),
        MainPage("targets", "/cdcs/chi-tieu/", ("Chỉ tiêu", "LĐLĐ quận Thanh Xuân")),
        MainPage("member-list", "/doan-vien/", ("Đoàn viên", "Nguyễn Thị Hương")),
    ],
    "admin": [
        MainPage("import-start", "/nhap-du-lieu/", ("Nhập dữ liệu từ Excel", "Đoàn viên")),
        MainPage("import-history", "/nhap-du-lieu/lich-su/", ("Lịch sử nhập dữ liệu",)),
        MainPage("admin-index", "/quan-tri/", ("Nhật ký truy cập dữ liệu cá nhân", "Đoàn viên")),
        MainPage(
            "access-log", "/quan-tri/members/accesslog/", ("nhật ký truy cập", "Nguyễn Thị Hương")
        ),
    ],
}


@pytest.fixture
def small_org(transactional_db):
    hn = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    tx = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=hn)
    cg = DistrictUnionFactory(code="CG", name="LĐLĐ quận Cầu Giấy", federation=hn)
    TargetFactory(district_union=tx, year=YEAR, new_members=6500, new_grassroots=20)
    TargetFactory(district_union=cg, year=YEAR, new_members=1450, new_grassroots=27)
    grassroots = GrassrootsFactory(
        district_union=tx,
        name="Công đoàn Công ty Cổ phần Sông Hồng – Chi nhánh Thanh Xuân",
        founded_on=date(YEAR, 1, 1),
    )
    member = MemberFactory(
        grassroots=grassroots,
        full_name="Nguyễn Thị Hương",
        gender="female",
        joined_on=date(YEAR, 1, 2),
    )
    for i in range(5):
        MemberFactory(
            grassroots=grassroots, full_name=f"Trần Văn Đông {i}", joined_on=date(YEAR, 1, 3)
        )
    officer = make_user("canbo_tx", UserRole.Role.DISTRICT_OFFICER, tx)
    make_user("vanphong", UserRole.Role.FEDERATION_STAFF, hn)
    make_user("quantri", UserRole.Role.ADMIN, is_staff=True, is_superuser=True)
    AccessLog.objects.create(
        user=officer, action=AccessLog.Action.VIEW_MEMBER, member=member, what=member.full_name
    )
    return {
        "unit": tx.pk,
        "grassroots": grassroots.pk,
        "member": member.pk,
        "federation": hn.pk,
    }


USERNAMES = {"anonymous": None, "officer": "canbo_tx", "staff": "vanphong", "admin": "quantri"}


@pytest.mark.parametrize("role", list(PAGES))
def test_main_pages_fit_both_widths_and_speak_vietnamese(page, small_org, role):
    if USERNAMES[role]:
        page.login(USERNAMES[role])
    problems = []
    for main in PAGES[role]:
        path = main.path.format(**small_org)
        for label, size in (("1366", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(size)
            response = page.open(path)
            where = f"{role} {main.name} at {label}px ({path})"
            if response is None or response.status != 200:
                problems.append(f"{where}: HTTP {response.status if response else '?'}")
                continue
            page.screenshot(f"pages/{role}-{main.name}-{label}")
            overflow = page.horizontal_overflow()
            if overflow > 0:
                problems.append(
                    f"{where}: {overflow}px wider than the window, "
                    f"sticking out: {page.overflowing_elements()}"
                )
            text = page.text()
            missing = [w for w in main.words if w not in text]
            if missing:
                problems.append(f"{where}: missing text {missing}")
            violations = page.csp_violations()
            if violations:
                problems.append(f"{where}: CSP violations {violations}")
    assert not problems, "\n".join(problems)


def test_csp_violations_are_detected(page, transactional_db):
    """Guard for the check above: an inline script without the nonce is reported as blocked."""
    page.open("/dang-nhap/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.csp_violations())
