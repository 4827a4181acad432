"""Browser tests: Playwright's Python API driving Debian's Chromium against pytest-django's
live server (a real HTTP server on 127.0.0.1 with a transactional test database).

- Never `playwright install`: the browser is /usr/bin/chromium (Debian package `chromium`).
  Without it these tests skip with a reason; CI sets UNIONPORTAL_REQUIRE_BROWSER=1, which turns
  that skip into a failure (root conftest.py).
- Every test in this folder gets the `browser` marker (deselect with -m "not browser").
- A failing test leaves a full-page screenshot in test-artifacts/<test name>.png.
- DJANGO_ALLOW_ASYNC_UNSAFE=true is set by the root conftest: Playwright's sync API runs an
  event loop in the test thread, and the test code uses the ORM (factories) at the same time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("UNIONPORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "x-test-pass-123"  # tests.factories.make_user
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Collected in every page before its own scripts run: CSP violations the browser reports.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


_call_failed = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A thin helper around a Playwright page bound to the live server."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def __getattr__(self, name):
        return getattr(self.page, name)

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")
        return response

    def login(self, username: str, password: str = PASSWORD, next_path: str = "/"):
        self.open("/dang-nhap/?next=" + next_path)
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_load_state("load")
        assert "/dang-nhap/" not in self.page.url, f"login as {username} failed"

    def csp_violations(self) -> list[str]:
        reported = self.page.evaluate("window.__cspViolations || []")
        logged = [m for m in self.console_errors if "Content Security Policy" in m]
        return reported + logged

    def horizontal_overflow(self) -> int:
        """Pixels the page is wider than the window (0 = no horizontal scrolling)."""
        return self.page.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - window.innerWidth"
        )

    def overflowing_elements(self, limit: int = 5) -> list[str]:
        """The outermost elements sticking out on the right (to say what to fix)."""
        return self.page.evaluate(
            """(limit) => {
              const out = [];
              for (const el of document.body.querySelectorAll('*')) {
                if (el.getBoundingClientRect().right <= window.innerWidth + 1) continue;
                const position = getComputedStyle(el).position;
                // Absolutely positioned boxes escape scrolling ancestors: always suspects.
                let p = position === 'absolute' || position === 'fixed' ? null : el.parentElement;
                let inside = false;
                while (p && p !== document.body) {
                  const r = p.getBoundingClientRect();
                  const style = getComputedStyle(p);
                  if (r.right > window.innerWidth + 1 || style.overflowX !== 'visible') {
                    inside = true; break;
                  }
                  p = p.parentElement;
                }
                if (inside) continue;
                const id = el.id ? '#' + el.id : '';
                const cls = el.className && typeof el.className === 'string'
                  ? '.' + el.className.trim().split(' ').filter(Boolean).join('.') : '';
                out.push(el.tagName.toLowerCase() + id + cls);
                if (out.length >= limit) break;
              }
              return out;
            }""",
            limit,
        )

    def text(self) -> str:
        return self.page.inner_text("body")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _safe(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (cookies, storage) per test, desktop-sized, downloads allowed."""
    context = browser.new_context(
        viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    helper = Page(context.new_page(), live_server.url)
    yield helper
    if request.node.stash.get(_call_failed, False):
        try:
            path = helper.screenshot("FAILED-" + _safe(request.node.nodeid))
            print(f"\nScreenshot of the failure: {path}")
        except Exception as error:  # the browser itself may be what failed
            print(f"\nNo screenshot: {error}")
    context.close()
