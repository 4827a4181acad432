"""axe-core on the screens issue 13 reworked, beyond test_screens.py's desktop round: the
national staff's pages, the dashboards, lists and their pagers at phone width (390 px), the
period form after a bad date, and the federation page as printed. 0 serious or critical."""

from __future__ import annotations

import pytest

from grassroots.models import DistrictUnion, UserRole
from tests.factories import GrassrootsFactory, make_user

from .conftest import PHONE
from .test_pages import YEAR, small_org  # noqa: F401 (fixture)
from .test_screens import axe_serious

PAGES = {
    "toanquoc": [
        "/",
        f"/tien-do/toan-quoc/?year={YEAR}",
        # Federation reports to the national level (issue 15).
        "/bao-cao-ky/toan-quoc/",
        f"/bao-cao-ky/lien-doan/{{federation}}/{YEAR}/nam/",
    ],
    "vanphong": [
        f"/?year={YEAR}",
        f"/tien-do/don-vi/{{unit}}/?year={YEAR}",
        f"/tien-do/chi-tiet/doan-vien-moi/?unit={{unit}}&year={YEAR}",
        f"/tien-do/chi-tiet/cdcs/?unit={{unit}}&year={YEAR}",
        f"/tien-do/chi-tiet/doan-vien-moi/?unit={{unit}}&year={YEAR}&as_of=31/02/{YEAR}",
    ],
    "canbo_tx": ["/", f"/tien-do/chi-tiet/doan-vien/?unit={{unit}}&year={YEAR}"],
    # The activity screens (issue 16): entry forms and the ledger, as an officer and as staff.
    "canbo_tx:hoat-dong": [
        "/hoat-dong/cdcs/{grassroots}/can-bo/",
        "/hoat-dong/cdcs/{grassroots}/thoa-uoc/",
        "/hoat-dong/doan-vien/{member}/dang/",
        "/hoat-dong/tap-huan/them/",
    ],
    "vanphong:hoat-dong": [
        "/hoat-dong/tap-huan/",
        f"/hoat-dong/ho-tro/?nam={YEAR}",
        "/hoat-dong/cdcs-yeu-kem/",
    ],
    "vanphong:bao-cao-ky": [
        "/bao-cao-ky/day-du/",
        "/bao-cao-ky/lien-doan/{federation}/",
        f"/bao-cao-ky/lien-doan/{{federation}}/{YEAR}/nam/",
    ],
}


@pytest.fixture
def bigger_org(small_org):  # noqa: F811
    """small_org, a national staff user, and enough CĐCS for the pagers to show."""
    make_user("toanquoc", UserRole.Role.NATIONAL_STAFF)
    unit = DistrictUnion.objects.get(pk=small_org["unit"])
    for n in range(60):
        GrassrootsFactory(district_union=unit, name=f"Công đoàn Công ty Số {n}")
    return small_org


@pytest.mark.parametrize("size", ["1366", "390"])
@pytest.mark.parametrize("user", list(PAGES))
def test_no_serious_or_critical_axe_violation(page, bigger_org, user, size):
    if size == "390":
        page.set_viewport_size(PHONE)
    page.login(user.split(":")[0])
    problems = []
    for path in PAGES[user]:
        response = page.open(path.format(**bigger_org))
        # 400: the period form after a bad date answers so, with the form kept.
        if response is None or response.status not in (200, 400):
            problems.append(f"{user} {path}: HTTP {response and response.status}")
        problems += [f"{user} {path} at {size}px: {v}" for v in axe_serious(page)]
    assert not problems, "\n".join(problems)


def test_no_serious_or_critical_axe_violation_in_print(page, bigger_org):
    page.login("vanphong")
    page.open(f"/?year={YEAR}")
    page.emulate_media(media="print")
    assert axe_serious(page) == []
