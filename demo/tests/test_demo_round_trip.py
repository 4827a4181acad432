"""Issue 12, point 1: the portal's own export of the whole demo federation re-imports unchanged
(0 errors, 0 changes), in both formats the member list offers."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from imports.engine import run_import
from members.models import Member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_whole_federation_export_reimports_unchanged(demo, client, tmp_path, fmt):
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    export = client.get(reverse("members:member-export", args=[fmt]))
    assert export.status_code == 200
    path = tmp_path / f"doan-vien.{fmt}"
    path.write_bytes(b"".join(export.streaming_content))
    outcome = run_import("members", path, user=admin, commit=False)
    assert outcome.errors == [] and outcome.error_count == 0
    exported = Member.objects.count()
    assert exported > 1000  # the whole demo, members who left and transferred ones included
    assert (outcome.counts.new, outcome.counts.updated, outcome.counts.invalid) == (0, 0, 0)
    assert outcome.counts.unchanged == exported
