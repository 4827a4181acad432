"""Finding 8 of issue 14: no GET parameter of any URL of the access matrix answers 500.

The parameters of each URL are found by watching which keys the view reads from `request.GET`
on an ordinary request (QueryDict is instrumented), plus the ones the matrix itself sends; then
each is sent alone with every hostile value, and all together, as an officer and as an admin.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from .test_access_matrix import MATRIX

HOSTILE = [
    "",
    " ",
    "²",
    "١٢",  # Arabic-Indic digits: str.isdigit() is true, int() accepts them
    "𝟙𝟚",  # mathematical digits
    "99999999999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "1",
    "9999",
    "10000",
    "01/01/0001",
    "31/12/9999",
    "00/00/0000",
    "0001-01-01",
    "\x00",
    "'\"<script>",
    "%",
    "a" * 5000,
]
ARRAY = ["1", "2"]  # ?x=1&x=2


class _Recorder:
    keys: set[str] | None = None


def _recording(monkeypatch):
    """Record every key a view reads from a QueryDict."""
    recorder = _Recorder()
    recorder.keys = set()
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(QueryDict, name)

        def wrapper(self, key, *args, _original=original, **kwargs):
            if isinstance(key, str):
                recorder.keys.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, name, wrapper)
    return recorder


def _parameters(url: str, client: Client, monkeypatch, extra: str) -> set[str]:
    with monkeypatch.context() as patch:
        recorder = _recording(patch)
        client.get(url + extra)
        client.get(url + (extra + "&" if extra else "?") + "export=xlsx")
    found = set(recorder.keys)
    found.update(QueryDict(extra.lstrip("?")).keys())
    # Form fields are read through the bound form (`data.get(name)` is seen above); keys read
    # by middleware on every request (csrf, session) do not matter but do no harm.
    return {key for key in found if key and not key.startswith("HTTP_")}


GET_URLS = sorted(name for name, row in MATRIX.items() if name not in {"logout"})


@pytest.mark.parametrize("name", GET_URLS)
def test_no_hostile_parameter_answers_500(name, org, users, monkeypatch):
    row = MATRIX[name]
    base = reverse(name, kwargs=row.kwargs(org))
    extra = row.query(org)
    failures = []
    for user in (users.admin, users.officer_a, users.staff):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        params = _parameters(base, client, monkeypatch, extra)
        for key in sorted(params):
            for value in [*HOSTILE, ARRAY]:
                query = QueryDict(extra.lstrip("?"), mutable=True)
                if isinstance(value, list):
                    query.setlist(key, value)
                else:
                    query[key] = value
                response = client.get(f"{base}?{query.urlencode()}")
                if response.status_code >= 500:
                    failures.append(f"{user.username} GET {base}?{key}={value!r}")
        for value in HOSTILE[:8]:
            query = QueryDict(mutable=True)
            for key in params:
                query[key] = value
            response = client.get(f"{base}?{query.urlencode()}")
            if response.status_code >= 500:
                failures.append(f"{user.username} GET {base} all={value!r}")
    assert not failures, "\n".join(failures[:40])


def test_the_discovery_finds_the_known_parameters(org, users, monkeypatch):
    """Guard: the instrumented QueryDict sees the dashboard's and the list's parameters."""
    client = Client()
    client.force_login(users.admin)
    home = _parameters(reverse("home"), client, monkeypatch, "")
    assert {"year", "period", "as_of"} <= home
    members = _parameters(reverse("members:member-list"), client, monkeypatch, "")
    assert {"q", "district_union", "grassroots", "joined_from"} <= members
