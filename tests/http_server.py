"""A real gunicorn with the production settings, for tests of what the test client cannot show
(request bodies read by middleware, the proxy's X-Forwarded-For, the server's access log).

`production_server(tmp_path_factory)` (fixture in unionportal/tests/conftest.py): a fresh
SQLite database migrated with the production settings, collectstatic, users and a small
organisation created by `SETUP`, then `gunicorn -c unionportal/gunicorn.conf.py` on a free
127.0.0.1 port (1 worker x 2 threads), its access log in a file. Stopped (its own pid) at the
end. `HttpClient` keeps cookies itself: production cookies are Secure, which `requests` would
not send back over plain http.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-dai-cho-kiem-thu"

SETUP = """
from datetime import date
from grassroots.models import UserRole
from tests.factories import DistrictUnionFactory, FederationFactory, GrassrootsFactory, MemberFactory, make_user
import tests.factories as f
federation = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
unit = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=federation)
g = GrassrootsFactory(district_union=unit, name="Công đoàn Công ty Alpha", founded_on=date(2019, 3, 1))
MemberFactory(grassroots=g, full_name="Nguyễn Văn Đạt", cccd="001090012345")
for name, role, where, extra in [
    ("chutich", UserRole.Role.ADMIN, None, {"is_staff": True, "is_superuser": True}),
    ("canbo", UserRole.Role.DISTRICT_OFFICER, unit, {}),
]:
    user = make_user(name, role, where, **extra)
    user.set_password(%(password)r)
    user.save()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    access_log: Path
    error_log: Path
    tmpdir: Path
    env: dict
    process: subprocess.Popen | None = None

    def access_lines(self) -> list[str]:
        time.sleep(0.3)  # gunicorn writes the line after the response
        return self.access_log.read_text(encoding="utf-8").splitlines()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def start_production_server(base: Path, **extra_env: str) -> Server:
    """Migrate, set up and start gunicorn; the caller stops it (`Server.stop`)."""
    tmpdir = base / "tmp"
    media = base / "media"
    tmpdir.mkdir()
    media.mkdir()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "UNIONPORTAL_"))},
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.production",
        "DJANGO_SECRET_KEY": "http-tests-" + os.urandom(16).hex(),
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_MEDIA_ROOT": str(media),
        "TMPDIR": str(tmpdir),  # Django's temporary upload files land here
        "GUNICORN_ACCESSLOG": str(base / "access.log"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **extra_env,
    }
    env.pop("DATABASE_URL_TEST", None)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    _manage(env, "shell", "-c", SETUP % {"password": PASSWORD})
    server = Server(
        url=f"http://127.0.0.1:{port}",
        port=port,
        access_log=base / "access.log",
        error_log=base / "error.log",
        tmpdir=tmpdir,
        env=env,
    )
    with open(server.error_log, "w") as errors:
        server.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "unionportal/gunicorn.conf.py",
                "unionportal.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=errors,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            try:
                requests.get(server.url + "/dang-nhap/", timeout=10)
                return server
            except requests.RequestException:
                if server.process.poll() is not None:
                    break
                time.sleep(0.2)
    except BaseException:
        server.stop()
        raise
    server.stop()
    raise RuntimeError("gunicorn did not start:\n" + server.error_log.read_text())


_COOKIE = re.compile(r"^([^=;\s]+)=([^;]*)")
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class HttpClient:
    """A browser-like client of `server`, optionally behind the proxy as `client_address`
    (the proxy appends it to X-Forwarded-For, after whatever the client claimed)."""

    server: Server
    client_address: str | None = None
    claimed: str | None = None  # an X-Forwarded-For the client itself sent
    cookies: dict = field(default_factory=dict)

    def headers(self) -> dict:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.client_address:
            chain = [self.claimed] if self.claimed else []
            headers["X-Forwarded-For"] = ", ".join([*chain, self.client_address])
        return headers

    def _keep(self, response) -> None:
        for raw in response.raw.headers.getlist("Set-Cookie"):
            match = _COOKIE.match(raw)
            if match:
                self.cookies[match.group(1)] = match.group(2)

    def get(self, path: str, **kwargs):
        response = requests.get(
            self.server.url + path,
            headers=self.headers(),
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self._keep(response)
        return response

    def post(self, path: str, data=None, files=None, token_from: str | None = None):
        form = self.get(token_from or path).text
        match = _TOKEN.search(form)
        data = {**(data or {}), "csrfmiddlewaretoken": match.group(1) if match else ""}
        response = requests.post(
            self.server.url + path,
            data=data,
            files=files,
            headers=self.headers(),
            allow_redirects=False,
            timeout=60,
        )
        self._keep(response)
        return response

    def login(self, username: str, password: str = PASSWORD):
        return self.post("/dang-nhap/", {"username": username, "password": password})
