"""The daily screens (issue 13): colour bands that show, the menu marking the current page, no
request answered 404 (favicon), and axe-core finding no serious or critical violation on any
main page of any role (axe.min.js vendored in tests/browser/vendor, injected by Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_pages import PAGES, USERNAMES, small_org  # noqa: F401 (fixture)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.x A/AA rules; "serious" and "critical" are what issue 13 counts.
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + ', ' + v.nodes.length + '): '
      + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary
        .replace(/\\s+/g, ' ').slice(0, 160)).join(' | '));
}"""


def axe_serious(page) -> list[str]:
    """Serious and critical axe-core violations of the page now shown."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP does not apply to it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN)


def test_axe_is_vendored_and_finds_a_known_violation(page, transactional_db):
    """Guard: the injected axe runs and reports a critical violation (an unlabeled input)."""
    page.open("/dang-nhap/")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.type = 'text';"
        " document.querySelector('main').appendChild(i); }"
    )
    assert any(v.startswith("label (critical") for v in axe_serious(page))


@pytest.mark.parametrize("role", list(PAGES))
def test_no_serious_or_critical_axe_violation_on_main_pages(page, small_org, role):  # noqa: F811
    if USERNAMES[role]:
        page.login(USERNAMES[role])
    problems = []
    for main in PAGES[role]:
        path = main.path.format(**small_org)
        page.open(path)
        for violation in axe_serious(page):
            problems.append(f"{role} {main.name} ({path}): {violation}")
    assert not problems, "\n".join(problems)


def test_colour_bands_show_in_the_dashboard_table(page, small_org):  # noqa: F811
    page.login("vanphong")
    page.open("/")
    cell = page.locator("table td.band-behind").first
    background = cell.evaluate("el => getComputedStyle(el).backgroundColor")
    # #f8d7da, the "behind" band, not the table's white: Bootstrap's cell rule must not win.
    assert background == "rgb(248, 215, 218)"
    shadow = cell.evaluate("el => getComputedStyle(el).boxShadow")
    assert "248, 215, 218" in shadow or shadow == "none"
    legend = page.locator(".legend-item.band-behind").first
    assert legend.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(248, 215, 218)"


def test_the_menu_marks_the_current_page(page, small_org):  # noqa: F811
    page.login("vanphong")
    for path, label in (
        ("/", "Tiến độ"),
        ("/doan-vien/", "Đoàn viên"),
        ("/cdcs/chi-tieu/", "Chỉ tiêu"),
    ):
        page.open(path)
        current = page.locator("nav a[aria-current=page]")
        assert current.count() == 1, path
        assert current.inner_text().strip() == label


def test_no_request_answers_404_and_the_product_has_a_vietnamese_name(page, small_org):  # noqa: F811
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.login("vanphong")
    page.open("/")
    assert "Phát triển Đoàn viên" in page.locator(".navbar-brand").inner_text()
    assert "unionportal" not in page.text()
    icon = page.request.get(page.base_url + "/favicon.ico")
    assert icon.ok and "svg" in icon.headers["content-type"]
    assert not missing, missing
