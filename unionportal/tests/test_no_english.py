"""No English on any page (issue 13): every page of the access matrix, as every role that may
open it, plus the admin site's index, changelists and add forms, is scanned for the English
words Django and its apps print when a translation is missing ("- Select an option -",
"Authentication and Authorization", "Save and add another"...)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from .test_access_matrix import MATRIX, ROLES, _clients

pytestmark = pytest.mark.django_db

# Whole words or phrases, case-sensitive, as Django, the admin and the apps show them.
ENGLISH = [
    "Select an option",
    "Authentication and Authorization",
    "Users",
    "Groups",
    "Save and add another",
    "Save and continue editing",
    "Log out",
    "Log in",
    "View site",
    "Welcome",
    "Recent actions",
    "Add",
    "Change",
    "Delete",
    "Search",
    "Filter",
    "Home",
    "Password",
    "Username",
    "Submit",
    "Previous",
    "Next",
    "Tasks",
    "Task results",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Import",
    "Export",
    "History",
    "Yes",
    "No",
    "Unknown",
    "This field is required",
    "Enter a valid",
    "Page not found",
]
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")


class _Visible(HTMLParser):
    """The text a person reads: element text and the attributes shown or spoken."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and name in self.SHOWN_ATTRIBUTES:
                self.parts.append(value)
            if value and tag == "input" and name == "value":
                kinds = dict(attrs).get("type", "")
                if kinds in ("submit", "button", "reset"):
                    self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return sorted(set(PATTERN.findall(" ".join(parser.parts))))


def test_the_scan_finds_english():
    assert english_in("<p>Xin chào</p><select><option>- Select an option -</option></select>")
    assert english_in('<input type="submit" value="Save and add another">')
    assert not english_in("<p>Lưu</p><script>var Users = 1;</script>")


def _pages(org) -> list[tuple[str, str]]:
    pages = []
    for name, row in MATRIX.items():
        if row.get is None or name in ("logout", "favicon"):
            continue
        url = reverse(name, kwargs=row.kwargs(org)) + row.query(org)
        for role, status in zip(ROLES, row.get.split(), strict=True):
            if status == "200":
                pages.append((role, url))
    pages.append(("admin", reverse("admin:index")))
    for model in admin.site._registry:
        meta = model._meta
        pages.append(("admin", reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")))
        pages.append(("admin", reverse(f"admin:{meta.app_label}_{meta.model_name}_add")))
    pages.append(("A", "/khong-co-trang-nay/"))  # the 404 page
    return pages


def test_no_english_on_any_page(org, users, reform):
    clients = _clients(users, reform)
    problems = []
    for role, url in _pages(org):
        response = clients[role].get(url)
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        found = english_in(response.content.decode())
        if found:
            problems.append(f"{url} as {role}: {found}")
    assert not problems, "\n".join(problems)
