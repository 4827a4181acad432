"""Plain printing and the phone (issue 13, section 4): Ctrl-P of the dashboards and a list gives
A4 landscape with every column, the header repeated, no navigation, and the title, period and
date; at 390 px the unit column stays while the figures scroll, the officer's home page is not
absurdly tall, and its first screen shows the unit's three headline figures."""

from __future__ import annotations

import re
from datetime import date

import pytest

from grassroots.models import DistrictUnion
from tests.factories import GrassrootsFactory

from .conftest import PHONE
from .test_pages import YEAR, small_org  # noqa: F401 (fixture)

# A4 landscape is 297 mm wide; with the 10 mm margins of the print CSS, 277 mm of CSS pixels.
A4_LANDSCAPE = {"width": 1123, "height": 794}
PRINTABLE_WIDTH = round(277 / 25.4 * 96)  # 1047 px

PRINTED = [
    ("federation", "vanphong", "/?year={year}"),
    ("unit", "vanphong", "/tien-do/don-vi/{unit}/?year={year}"),
    ("list", "vanphong", "/tien-do/chi-tiet/doan-vien-moi/?unit={unit}&year={year}"),
]


def _print_layout(page) -> dict:
    return page.evaluate(
        """() => {
          const shown = (sel) => [...document.querySelectorAll(sel)]
            .some(el => getComputedStyle(el).display !== 'none' && el.offsetParent !== null);
          const tables = [...document.querySelectorAll('main table')]
            .filter(t => t.offsetParent !== null);
          return {
            nav: shown('nav.navbar'),
            forms: shown('main form'),
            widest: Math.max(0, ...tables.map(t => t.getBoundingClientRect().right)),
            cut: tables.some(t => t.scrollWidth > t.parentElement.clientWidth + 1),
            heads: [...document.querySelectorAll('main table thead')]
              .map(h => getComputedStyle(h).display),
            text: document.body.innerText,
          };
        }"""
    )


@pytest.mark.parametrize(("name", "user", "path"), PRINTED, ids=[p[0] for p in PRINTED])
def test_print_is_a4_landscape_with_every_column_and_no_navigation(
    page,
    small_org,  # noqa: F811
    name,
    user,
    path,
):
    page.login(user)
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": A4_LANDSCAPE["height"]})
    page.open(path.format(year=YEAR, **small_org))
    page.emulate_media(media="print")
    layout = _print_layout(page)
    assert not layout["nav"], "the menu is printed"
    assert not layout["forms"], "a form (period, page jump) is printed"
    assert layout["widest"] <= PRINTABLE_WIDTH, f"a table is {layout['widest']} px wide"
    assert not layout["cut"], "a table scrolls: columns would be cut off"
    assert layout["heads"] and set(layout["heads"]) == {"table-header-group"}
    # Title, period and the data date, and the day it was printed.
    assert "Số liệu đến ngày" in layout["text"] and f"Năm {YEAR}" in layout["text"]
    assert re.search(r"In ngày \d\d/\d\d/\d{4}", layout["text"])
    # The PDF Chromium prints is landscape A4 (842 x 595 pt).
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    width, height = (float(v) for v in boxes[0])
    assert abs(width - 841.89) < 2 and abs(height - 595.28) < 2, (width, height)


def test_phone_keeps_the_unit_column_while_the_figures_scroll(page, small_org):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.login("vanphong")
    page.open(f"/?year={YEAR}")
    box = page.locator(".progress-scroll").first
    cell = page.locator(".progress-table tbody .unit-cell").first
    before = cell.bounding_box()
    box.evaluate("el => { el.scrollLeft = 400; }")
    assert box.evaluate("el => el.scrollLeft") > 0, "the table does not scroll sideways"
    after = cell.bounding_box()
    assert abs(after["x"] - before["x"]) < 1, "the unit column scrolled away"
    assert page.horizontal_overflow() == 0


def test_officers_home_on_a_phone_leads_with_the_three_figures(page, small_org):  # noqa: F811
    unit = DistrictUnion.objects.get(pk=small_org["unit"])
    # A unit with many CĐCS: its table comes in pages, so the page stays a sensible height.
    for n in range(60):
        GrassrootsFactory(
            district_union=unit, name=f"Công đoàn Công ty Số {n}", founded_on=date(YEAR - 1, 1, 1)
        )
    page.set_viewport_size(PHONE)
    page.login("canbo_tx")
    page.open("/")
    page.screenshot("phone-officer-home")
    cards = page.locator(".summary-card")
    assert cards.count() == 3
    for index in range(3):
        box = cards.nth(index).locator(".summary-figure").bounding_box()
        assert box is not None and box["y"] >= 0
        assert box["y"] + box["height"] <= PHONE["height"], f"figure {index + 1} below the fold"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    texts = [cards.nth(i).inner_text() for i in range(3)]
    assert "Kết nạp đoàn viên mới" in texts[0] and "/6.500 đoàn viên" in texts[0]
    assert "trực thuộc trong kỳ (61)" in page.text()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 12 * PHONE["height"], f"{height} px tall"
    assert page.horizontal_overflow() == 0


def test_unit_dashboard_tables_fit_the_screen_at_1366(page, small_org):  # noqa: F811
    page.login("canbo_tx")
    page.open("/")
    for table in (".progress-quarters", ".progress-months"):
        fit = page.locator(table).evaluate(
            """t => ({scrolls: t.parentElement.scrollWidth > t.parentElement.clientWidth + 1,
                      height: t.getBoundingClientRect().height,
                      row: t.querySelector('tbody tr').getBoundingClientRect().height})"""
        )
        assert not fit["scrolls"], f"{table} scrolls sideways at 1366 px: {fit}"
        assert fit["height"] < 768, f"{table} is taller than the screen: {fit['height']}"
        assert fit["row"] < 40, f"{table} rows wrap: {fit['row']} px"


def test_a_drill_down_list_on_a_phone_keeps_its_rows_short(page, small_org):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.login("vanphong")
    page.open(f"/tien-do/chi-tiet/doan-vien-moi/?unit={small_org['unit']}&year={YEAR}")
    heights = page.locator(".drill-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert len(heights) == 6 and max(heights) < 80, heights  # 2 lines, not 7
    assert page.horizontal_overflow() == 0
