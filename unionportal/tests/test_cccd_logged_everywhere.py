"""Findings 3 and 6 of issue 14: every page, download and admin page that shows a full CCCD
writes the access log (or masks it); the admin writes no member, stay or CĐCS around the
services."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, reverse

from members.models import AccessLog, Placement
from tests.downloads import text_of

from .test_access_matrix import MATRIX, _clients


def _shows_full_cccd(response, cccd: str) -> bool:
    return cccd in text_of(response)


@pytest.mark.parametrize("name", sorted(set(MATRIX) - {"logout"}))
def test_no_full_cccd_without_a_log_row(name, org, users):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(org)) + row.query(org)
    from imports.models import ImportJob

    # An import whose preview holds unit A's member (what an officer's file would show).
    ImportJob.objects.update(
        samples={"headers": ["Họ và tên", "Số CCCD"], "new": [[2, "x", org.member_a.cccd]]}
    )
    clients = _clients(users)
    problems = []
    for role in clients:
        before = AccessLog.objects.count()
        response = clients[role].get(url)
        if _shows_full_cccd(response, org.member_a.cccd) and AccessLog.objects.count() == before:
            problems.append(f"GET {url} as {role} shows the full CCCD, no log row")
    assert not problems, "\n".join(problems)


def test_the_edit_page_logs_the_opening(org, users, login):
    client = login(users.officer_a)
    response = client.get(reverse("members:member-update", args=[org.member_a.pk]))
    assert org.member_a.cccd in response.content.decode()
    entry = AccessLog.objects.get()
    assert (entry.user, entry.member, entry.action) == (
        users.officer_a,
        org.member_a,
        AccessLog.Action.VIEW_MEMBER,
    )


def _admin_urls(org) -> list[str]:
    """Every URL of every model admin, with the objects of unit A (change, history, delete)."""
    objects = {
        "member": org.member_a,
        "placement": Placement.objects.filter(member=org.member_a).first(),
        "grassrootsunion": org.grassroots_a,
    }
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        obj = objects.get(meta.model_name) or model._default_manager.first()
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            route = str(pattern.pattern)
            converters = re.findall(r"<(?:\w+:)?(\w+)>", route)
            if "([^/]+)" in route:  # simple-history's record page: (object_id, history_id)
                record = (
                    obj.history.first() if obj is not None and hasattr(obj, "history") else None
                )
                if record is not None:
                    urls.append(reverse(f"admin:{pattern.name}", args=[obj.pk, record.history_id]))
                continue
            kwargs = {}
            if "object_id" in converters:
                if obj is None:
                    continue
                kwargs["object_id"] = obj.pk
            if set(converters) - {"object_id"}:
                continue
            urls.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
    return urls


def test_no_admin_page_shows_a_full_cccd(org, users):
    client = Client()
    client.force_login(users.admin)
    shown = []
    for url in _admin_urls(org):
        before = AccessLog.objects.count()
        response = client.get(url)
        full = response.status_code == 200 and _shows_full_cccd(response, org.member_a.cccd)
        if full and AccessLog.objects.count() == before:
            shown.append(url)
    assert len(_admin_urls(org)) > 20
    assert not shown, shown


@pytest.mark.parametrize(
    "model", ["members_member", "members_placement", "grassroots_grassrootsunion"]
)
def test_the_admin_neither_adds_changes_nor_deletes_service_owned_registers(org, users, model):
    """The attack: changing a member's CĐCS or dates in the admin left the open stay in the old
    CĐCS; adding a member there created no stay."""
    client = Client()
    client.force_login(users.admin)
    obj = {
        "members_member": org.member_a,
        "members_placement": Placement.objects.get(member=org.member_a),
        "grassroots_grassrootsunion": org.grassroots_a,
    }[model]
    change = reverse(f"admin:{model}_change", args=[obj.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = {"grassroots": org.grassroots_b.pk, "joined_on": "01/01/2021", "full_name": "X"}
    assert client.post(change, data).status_code == 403
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    assert (
        client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code
        == 403
    )
    org.member_a.refresh_from_db()
    assert org.member_a.grassroots == org.grassroots_a
    assert (
        Placement.objects.get(member=org.member_a, end_on__isnull=True).grassroots
        == org.grassroots_a
    )
