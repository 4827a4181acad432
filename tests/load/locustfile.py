"""Load scenario: 50 people using the portal at once (run it with tests/load/run.sh).

- Federation staff (thanhpho) open the federation dashboard, a unit's dashboard and the list
  behind a number (drill-down).
- District officers (phuongthanhxuan, the ward union of today) search their member register (names typed without
  accents, as people do) and admit new members through the admission form, each with a CCCD
  no one has (prefix 098: not a province code, so never one of the demo's).

Every user logs in through the login form (CSRF token, correct password: django-axes only counts
failures). A login costs about a second of CPU (PBKDF2), so the figures are reset once every user
is logged in, and the run stops UNIONPORTAL_MEASURE_SECONDS (120) later: the figures are those of
50 logged-in people working. Logins are timed on their own before that (printed by run.sh from
the log). Traffic goes to 127.0.0.1 only, and the run is bounded: the locustfile refuses other
hosts, more than 100 users, or a run without a time limit.
"""

from __future__ import annotations

import logging
import os
import random
import re
from datetime import date
from urllib.parse import urlsplit

import gevent
import urllib3
from htmlforms import (  # same folder (locust adds it)
    PASSWORD,
    hidden_inputs,
    page_links,
    select_options,
)
from locust import HttpUser, between, events, task
from locust.exception import StopUser

STAFF = ["thanhpho"]
# The officers who enter members today: the ward union that took over Thanh Xuân's CĐCS
# (the district federations thanhxuan and caugiay ended on 30/06/2025 and are read-only).
OFFICERS = ["phuongthanhxuan"]
SEARCHES = ["nguyen van", "tran thi", "le", "pham", "hoang", "ngoc", "thu", "minh", "huong", "duc"]
FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thu"]
LAST = ["An", "Bình", "Cường", "Dung", "Hà", "Hoà", "Lan", "Long", "Nam", "Phương", "Tâm"]
MAX_USERS = 100
# Seconds a person pauses between two clicks (reading the page, typing): "min max".
THINK_MIN, THINK_MAX = (float(x) for x in os.environ.get("UNIONPORTAL_THINK", "3 6").split())

MEASURE_SECONDS = float(os.environ.get("UNIONPORTAL_MEASURE_SECONDS", "120"))

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # self-signed, 127.0.0.1
_rng = random.SystemRandom()
_logged_in = {"count": 0, "measuring": False}
log = logging.getLogger("unionportal.load")


def _user_logged_in(environment) -> None:
    """Once the last user is in: reset the figures, measure for MEASURE_SECONDS, stop."""
    _logged_in["count"] += 1
    target = environment.parsed_options.num_users if environment.parsed_options else None
    if _logged_in["measuring"] or not target or _logged_in["count"] < target:
        return
    _logged_in["measuring"] = True
    login = environment.stats.get("login", "POST")
    log.warning(
        "LOGINS: %d, median %.0f ms, p95 %.0f ms; all users in: measuring for %.0f s",
        login.num_requests,
        login.median_response_time,
        login.get_response_time_percentile(0.95),
        MEASURE_SECONDS,
    )
    environment.stats.reset_all()

    def stop_later():
        gevent.sleep(MEASURE_SECONDS)
        log.warning("MEASURED: %.0f s with all users in; stopping", MEASURE_SECONDS)
        environment.runner.quit()

    gevent.spawn(stop_later)


@events.test_start.add_listener
def _bounded(environment, **kwargs):
    """Refuse to load anything but this machine, or to run unbounded."""
    host = urlsplit(environment.host or "").hostname
    options = environment.parsed_options
    problems = []
    if host != "127.0.0.1":
        problems.append(f"host must be 127.0.0.1, not {host!r}")
    if options is not None:
        if options.num_users and options.num_users > MAX_USERS:
            problems.append(f"at most {MAX_USERS} users")
        if options.headless and not options.run_time:
            problems.append("a headless run needs --run-time")
    if problems:
        environment.runner.quit()
        raise SystemExit("locustfile: " + "; ".join(problems))


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(THINK_MIN, THINK_MAX)
    usernames: list[str] = []

    def on_start(self):
        self.client.verify = False
        self.client.trust_env = False  # 127.0.0.1 only: no proxy, no CA bundle from the environment
        self.username = _rng.choice(self.usernames)
        page = self.client.get("/dang-nhap/", name="login page").text
        token = hidden_inputs(page).get("csrfmiddlewaretoken")
        with self.client.post(
            "/dang-nhap/",
            data={"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD},
            headers={"Referer": self.host + "/dang-nhap/"},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {self.username}: {response.status_code}")
                raise StopUser()
        _user_logged_in(self.environment)
        self.home = self.client.get("/", name="dashboard: home").text

    def _get(self, url: str, name: str, must_contain: str = "") -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif must_contain and must_contain not in response.text:
                response.failure(f"page without {must_contain!r}")
            return response.text


class FederationStaff(PortalUser):
    """Dashboards, units and drill-downs."""

    weight = 2
    usernames = STAFF

    @task(3)
    def dashboard(self):
        self.home = self._get("/", "dashboard: home", "Tiến độ")

    @task(2)
    def unit_dashboard(self):
        links = page_links(self.home, "/tien-do/don-vi/")
        if links:
            self._get(_rng.choice(links), "dashboard: unit", "Tiến độ")

    @task(3)
    def drill_down(self):
        links = page_links(self.home, "/tien-do/chi-tiet/")
        if links:
            self._get(_rng.choice(links), "dashboard: drill-down", "Tổng số")


class DistrictOfficer(PortalUser):
    """Searches of the member register and admissions."""

    weight = 3
    usernames = OFFICERS

    @task(1)
    def dashboard(self):
        self._get("/", "dashboard: home", "Tiến độ")

    @task(4)
    def search(self):
        self._get(f"/doan-vien/?q={_rng.choice(SEARCHES)}", "members: search", "Đoàn viên")

    @task(2)
    def admit(self):
        form = self._get("/doan-vien/ket-nap/", "members: admission form", "Kết nạp")
        choices = select_options(form, "grassroots")
        if not choices:
            return
        data = hidden_inputs(form)
        data.update(
            full_name=f"{_rng.choice(FIRST)} {_rng.choice(MIDDLE)} {_rng.choice(LAST)}",
            gender=_rng.choice(["male", "female"]),
            birth_date=f"{_rng.randint(1, 28):02d}/{_rng.randint(1, 12):02d}/"
            f"{_rng.randint(1970, 2004)}",
            cccd=f"098{_rng.randrange(10**9):09d}",
            phone="",
            occupation="Công nhân",
            card_number="",
            grassroots=_rng.choice(choices),
            joined_on=date.today().strftime("%d/%m/%Y"),
            action="save",
        )
        with self.client.post(
            "/doan-vien/ket-nap/",
            data=data,
            headers={"Referer": self.host + "/doan-vien/ket-nap/"},
            allow_redirects=False,
            name="members: admit",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)<', response.text)
                response.failure(f"{response.status_code} {errors[:2]}")
