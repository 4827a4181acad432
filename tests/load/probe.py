"""A logged-in user who keeps working while the database restarts (used by db_restart.sh).

Every ~0.1 s it opens the member list, and every fifth time admits a member (unique CCCD with
the prefix 097). Each answer is classified: ok (200/302), the Vietnamese 503 page, or bad
(anything else: a 500, a traceback, an English error, a dropped connection). Writes a JSON
timeline and the CCCDs it submitted with their answers.

    python tests/load/probe.py https://127.0.0.1:8799 SECONDS OUT.json
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from datetime import date

import requests
import urllib3
from htmlforms import PASSWORD, hidden_inputs, select_options  # same folder

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
VIETNAMESE_503 = "Hệ thống tạm thời gián đoạn"
_rng = random.SystemRandom()


def classify(response: requests.Response | None) -> str:
    if response is None:
        return "bad"
    if response.status_code in (200, 302):
        return "ok"
    text = response.text
    if response.status_code == 503 and VIETNAMESE_503 in text and "Traceback" not in text:
        return "503-vi"
    return "bad"


def login(session: requests.Session, host: str) -> None:
    # Generous timeout: the probe may log in while 50 others do (a login is ~1 s of CPU).
    page = session.get(f"{host}/dang-nhap/", timeout=120).text
    token = hidden_inputs(page)["csrfmiddlewaretoken"]
    response = session.post(
        f"{host}/dang-nhap/",
        data={"csrfmiddlewaretoken": token, "username": "thanhxuan", "password": PASSWORD},
        headers={"Referer": f"{host}/dang-nhap/"},
        allow_redirects=False,
        timeout=120,
    )
    if response.status_code != 302:
        raise SystemExit(f"probe: login failed ({response.status_code})")


def admit(session: requests.Session, host: str) -> tuple[str, requests.Response | None]:
    cccd = f"097{_rng.randrange(10**9):09d}"
    form = session.get(f"{host}/doan-vien/ket-nap/", timeout=10)
    if form.status_code != 200:
        return cccd, form
    data = hidden_inputs(form.text)
    data.update(
        full_name="Thăm Dò Khôi Phục",
        gender="female",
        birth_date="05/03/1990",
        cccd=cccd,
        grassroots=select_options(form.text, "grassroots")[0],
        joined_on=date.today().strftime("%d/%m/%Y"),
        action="save",
    )
    response = session.post(
        f"{host}/doan-vien/ket-nap/",
        data=data,
        headers={"Referer": f"{host}/doan-vien/ket-nap/"},
        allow_redirects=False,
        timeout=15,
    )
    return cccd, response


def main(host: str, seconds: float, out: str) -> None:
    session = requests.Session()
    session.verify = False
    session.trust_env = False  # 127.0.0.1 only: no proxy, no CA bundle from the environment
    login(session, host)
    started = time.time()
    timeline, admissions, samples = [], [], {}
    n = 0
    while time.time() - started < seconds:
        n += 1
        at = time.time()
        try:
            if n % 5 == 0:
                cccd, response = admit(session, host)
                kind = classify(response)
                admissions.append(
                    {"cccd": cccd, "status": getattr(response, "status_code", None), "kind": kind}
                )
            else:
                response = session.get(f"{host}/doan-vien/?q=nguyen", timeout=15)
                kind = classify(response)
        except requests.RequestException as error:
            response, kind = None, "bad"
            samples.setdefault("exception", str(error)[:300])
        if kind != "ok" and response is not None:
            body = re.sub(r"\s+", " ", response.text)[:300]
            samples.setdefault(f"{kind} {response.status_code}", body)
        timeline.append({"t": round(at - started, 2), "kind": kind})
        time.sleep(0.1)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "started": started,
                "timeline": timeline,
                "admissions": admissions,
                "samples": samples,
            },
            handle,
            ensure_ascii=False,
        )


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3])
