"""Findings 1, 2 and 11 of issue 14, over real HTTP against gunicorn with the production settings
(the test client runs no proxy, reads no socket and writes no access log).

The server trusts 127.0.0.1 as its reverse proxy (UNIONPORTAL_TRUSTED_PROXIES), as in the
documented deployment: every connection comes from 127.0.0.1 and carries the client's address
in X-Forwarded-For, which these tests set the way nginx does.
"""

from __future__ import annotations

import socket
import time

import pytest

from tests.http_server import HttpClient

SERVER_ENV = {
    "UNIONPORTAL_TRUSTED_PROXIES": "127.0.0.1",
    # The username-wide lock at 12 instead of 50, so that the test sends fewer PBKDF2 logins.
    "UNIONPORTAL_LOGIN_USERNAME_FAILURE_LIMIT": "12",
}
CCCD = "001090012345"

pytestmark = pytest.mark.slow


# --- finding 1: request bodies ---------------------------------------------------------------


def _raw_post(server, path: str, *, length: int, sent: bytes, cookie: str = "", wait=5.0):
    """Send headers declaring `length` bytes and only `sent` of them; return the status line
    the server answers without the rest (None if it waits for the body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: multipart/form-data; boundary=XYZ\r\n"
            f"Content-Length: {length}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "X-Forwarded-For: 203.0.113.50\r\n\r\n"
        )
        sock.sendall(head.encode() + sent)
        try:
            answer = sock.recv(4096)
        except TimeoutError:
            return None
        return answer.split(b"\r\n", 1)[0].decode()


def _multipart_start(token: str) -> bytes:
    return (
        '--XYZ\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f'{token}\r\n--XYZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmembers\r\n'
        '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + b"x" * 65536


def _token(client: HttpClient) -> tuple[str, str]:
    import re

    page = client.get("/dang-nhap/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return token, cookie


def test_a_declared_300_mib_body_is_refused_before_it_is_read(production_server):
    """The attack: POST /nhap-du-lieu/ declaring 300 MiB, a CSRF token from the login page, no
    session. It used to stream a 298 MiB temporary file, then answer 302 to the login page."""
    token, cookie = _token(HttpClient(production_server))
    started = time.monotonic()
    status = _raw_post(
        production_server,
        "/nhap-du-lieu/",
        length=314_572_800,
        sent=_multipart_start(token),
        cookie=cookie,
    )
    assert status == "HTTP/1.1 413 Content Too Large" or (status or "").startswith("HTTP/1.1 413")
    assert time.monotonic() - started < 5
    assert not list(production_server.tmpdir.iterdir())  # no temporary upload file


def test_an_anonymous_multipart_body_is_refused_unread(production_server):
    """6 MiB (under the 20 MiB limit, over Django's 5 MiB in-memory size: a temporary file),
    anonymous: answered 400 before the body has been sent."""
    token, cookie = _token(HttpClient(production_server))
    status = _raw_post(
        production_server,
        "/nhap-du-lieu/",
        length=6 << 20,
        sent=_multipart_start(token),
        cookie=cookie,
    )
    assert (status or "").startswith("HTTP/1.1 400"), status
    assert not list(production_server.tmpdir.iterdir())


def test_a_multipart_body_to_a_page_without_upload_is_refused_unread(production_server):
    officer = HttpClient(production_server, client_address="198.51.100.20")
    assert officer.login("canbo").status_code == 302
    token = officer.cookies["csrftoken"]
    cookie = "; ".join(f"{k}={v}" for k, v in officer.cookies.items())
    for path in ("/doan-vien/ket-nap/", "/dang-nhap/"):
        status = _raw_post(
            production_server, path, length=6 << 20, sent=_multipart_start(token), cookie=cookie
        )
        assert (status or "").startswith("HTTP/1.1 400"), (path, status)


def test_an_officer_still_uploads_a_spreadsheet(production_server):
    officer = HttpClient(production_server, client_address="198.51.100.21")
    assert officer.login("canbo").status_code == 302
    header = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Số điện thoại,Mã CĐCS,Ngày kết nạp\n"
    response = officer.post(
        "/nhap-du-lieu/",
        {"kind": "members"},
        files={"file": ("dv.csv", ("\ufeff" + header + "x\n" * 50_000).encode(), "text/csv")},
    )
    assert response.status_code == 302
    assert "/nhap-du-lieu/" in response.headers["Location"]


# --- finding 2: lockout behind the proxy -----------------------------------------------------


def _fail(server, address: str, times: int, claimed: str | None = None) -> list[int]:
    statuses = []
    for _ in range(times):
        attacker = HttpClient(server, client_address=address, claimed=claimed)
        statuses.append(attacker.login("chutich", "sai-mat-khau").status_code)
    return statuses


def test_five_anonymous_requests_lock_the_attacker_not_the_owner(production_server):
    """The attack: five wrong passwords for the admin account. Behind the proxy every request
    came from 127.0.0.1, so the lock hit the owner too (15 minutes)."""
    owner = HttpClient(production_server, client_address="198.51.100.7")
    assert owner.login("chutich").status_code == 302  # the owner's usual address
    statuses = _fail(production_server, "203.0.113.9", 5)
    assert statuses == [200, 200, 200, 200, 429]
    # The attacker stays locked, even with the right password and a forged X-Forwarded-For
    # (the proxy appends the real address: the forged part is ignored).
    forged = HttpClient(production_server, client_address="203.0.113.9", claimed="10.0.0.1")
    assert forged.login("chutich").status_code == 429
    # The owner, from their address, is not.
    owner = HttpClient(production_server, client_address="198.51.100.7")
    assert owner.login("chutich").status_code == 302
    # The access log (gunicorn's) records the client's address, not the proxy's.
    lines = production_server.access_lines()
    attempts = [line for line in lines if line.startswith("203.0.113.9 ")]
    assert len([line for line in attempts if '"POST /dang-nhap/ ' in line]) >= 6


def test_forged_addresses_do_not_reset_the_count(production_server):
    statuses = [
        HttpClient(production_server, client_address="203.0.113.77", claimed=f"10.0.0.{n}")
        .login("canbo", "sai")
        .status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]


def test_many_addresses_lock_the_username_but_not_from_the_owners_address(production_server):
    """Guessing from many addresses (12 failures here, 50 by default) locks the username for
    new addresses; the owner's address of a recent successful login still gets in."""
    for n in range(3):
        _fail(production_server, f"192.0.2.{n + 1}", 4)  # 4 each: no pair lock
    assert (
        HttpClient(production_server, client_address="192.0.2.200").login("chutich").status_code
        == 429
    )  # 12 + earlier failures: the username is locked for new addresses
    owner = HttpClient(production_server, client_address="198.51.100.7")
    assert owner.login("chutich").status_code == 302


def test_the_personal_data_log_records_the_clients_address(production_server):
    officer = HttpClient(production_server, client_address="198.51.100.33")
    assert officer.login("canbo").status_code == 302
    listing = officer.get("/doan-vien/").text
    import re

    member_url = re.search(r'href="(/doan-vien/\d+/)"', listing).group(1)
    assert CCCD in officer.get(member_url).text
    admin = HttpClient(production_server, client_address="198.51.100.7")
    assert admin.login("chutich").status_code == 302
    log = admin.get("/quan-tri/members/accesslog/").text
    assert "198.51.100.33" in log


# --- finding 11: CCCD in the access log ------------------------------------------------------


def test_a_cccd_search_stays_out_of_the_access_log(production_server):
    officer = HttpClient(production_server, client_address="198.51.100.44")
    assert officer.login("canbo").status_code == 302
    page = officer.get(f"/doan-vien/?q={CCCD}")
    assert page.status_code == 200 and "Nguyễn Văn Đạt" in page.text
    officer.get("/doan-vien/xuat.csv", params={"q": CCCD})
    lines = production_server.access_lines()
    searches = [line for line in lines if '"GET /doan-vien/ ' in line]
    assert searches and searches[-1].startswith("198.51.100.44 ")
    assert not [line for line in lines if CCCD in line]
