"""Median server time of every main page and every save, on the demo database.

    .venv/bin/python manage.py bench_pages                    # the database of `make run`
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/unionportal_demo \\
        .venv/bin/python manage.py bench_pages --build         # migrate + seed_demo if empty

The pages are requested through the Django test client (DEBUG off) as the demo user who opens
them every day; the saves (found a CĐCS, admit, transfer, leave, upload and confirm a member
import) each run inside a transaction that is rolled back, so the demo data stays as it was and
every repetition writes the same thing. Times are medians over `--repeat` runs, in ms; a page over
500 ms or a save over 1 s is marked "CHẬM". The database must hold the demo (`seed_demo`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

PAGE_LIMIT_MS = 500
SAVE_LIMIT_MS = 1000


class _Rollback(Exception):
    pass


def _median_ms[T](action: Callable[[], T], repeat: int) -> tuple[float, T]:
    times: list[float] = []
    result: T
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _csv_members(code: str, joined: str, count: int = 20) -> bytes:
    lines = ["Họ và tên,Giới tính,Ngày sinh,Số CCCD,Số điện thoại,Mã CĐCS,Ngày kết nạp"]
    for index in range(count):
        lines.append(
            f"Bench Nguyễn Văn {index},Nam,05/03/1990,0990{index:08d},09{index:08d},{code},{joined}"
        )
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Đo thời gian các trang chính và các thao tác ghi trên dữ liệu mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--build", action="store_true", help="migrate và seed_demo nếu cơ sở dữ liệu trống."
        )

    def handle(self, *args, repeat: int, build: bool, **options):
        from grassroots.models import DistrictUnion, Federation

        if build:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("seed_demo", if_empty=True, verbosity=0)
        if not Federation.objects.filter(name__contains="Hà Nội").exists():
            raise CommandError("Không thấy dữ liệu mẫu: chạy `manage.py seed_demo` (hoặc --build).")
        self.stdout.write(
            f"Cơ sở dữ liệu: {connection.vendor} {connection.settings_dict['NAME']}, "
            f"{repeat} lần mỗi mục (trung vị, ms)"
        )
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "*"]):
            self.unit = DistrictUnion.objects.get(userrole__user__username="phuongthanhxuan")
            slow = 0
            for label, kind, ms, status in [*self.pages(repeat), *self.saves(repeat)]:
                limit = PAGE_LIMIT_MS if kind == "page" else SAVE_LIMIT_MS
                flag = "CHẬM" if ms > limit else ""
                slow += bool(flag)
                self.stdout.write(f"{kind:5} {label:52} {ms:8.0f} ms  {status}  {flag}")
        self.stdout.write(
            f"Giới hạn: trang < {PAGE_LIMIT_MS} ms, thao tác ghi < {SAVE_LIMIT_MS} ms; "
            f"{slow} mục vượt."
        )

    def client(self, username: str) -> Client:
        from django.contrib.auth import get_user_model

        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    def pages(self, repeat: int):
        from grassroots.models import GrassrootsUnion
        from members.models import Member
        from reports.drilldown import DrillKind, drill_in_use

        today = timezone.localdate()
        grassroots = GrassrootsUnion.objects.filter(district_union=self.unit).order_by("pk")[0]
        member = Member.objects.filter(grassroots=grassroots, left_on__isnull=True).first()
        assert member is not None  # the demo's CĐCS has members
        year = f"?year={today.year}&period=nam"
        pages = [
            ("thanhpho", "bảng tiến độ LĐLĐ", "/"),
            (
                "thanhpho",
                "bảng tiến độ LĐLĐ, quý 1 năm trước",
                f"/?year={today.year - 1}&period=quy-1",
            ),
            ("thanhpho", "bảng tiến độ một đơn vị", reverse("progress-unit", args=[self.unit.pk])),
            ("phuongthanhxuan", "trang chủ cán bộ (bảng tiến độ đơn vị)", "/"),
            ("thanhpho", "danh sách CĐCS", reverse("grassroots:grassroots-list")),
            ("phuongthanhxuan", "danh sách CĐCS (đơn vị)", reverse("grassroots:grassroots-list")),
            ("thanhpho", "danh sách đoàn viên", reverse("members:member-list")),
            (
                "phuongthanhxuan",
                "tìm đoàn viên 'nguyen'",
                reverse("members:member-list") + "?q=nguyen",
            ),
            (
                "phuongthanhxuan",
                "chi tiết CĐCS",
                reverse("grassroots:grassroots-detail", args=[grassroots.pk]),
            ),
            (
                "phuongthanhxuan",
                "chi tiết đoàn viên",
                reverse("members:member-detail", args=[member.pk]),
            ),
            ("phuongthanhxuan", "nhật ký thay đổi", reverse("members:audit-list")),
            ("phuongthanhxuan", "form thành lập CĐCS", reverse("grassroots:grassroots-create")),
            ("phuongthanhxuan", "form kết nạp", reverse("members:member-create")),
            (
                "phuongthanhxuan",
                "form chuyển",
                reverse("members:member-transfer", args=[member.pk]),
            ),
            ("phuongthanhxuan", "form ra khỏi", reverse("members:member-leave", args=[member.pk])),
            ("thanhpho", "chỉ tiêu", reverse("grassroots:targets")),
            ("phuongthanhxuan", "nhập dữ liệu", reverse("imports:import-start")),
            ("phuongthanhxuan", "lịch sử nhập", reverse("imports:import-history")),
        ]
        for kind in filter(drill_in_use, DrillKind):  # the lists of indicators in use
            for who, scope in (("thanhpho", ""), ("phuongthanhxuan", f"&unit={self.unit.pk}")):
                url = reverse("progress-drill", args=[kind.value]) + year + scope
                pages.append((who, f"chi tiết {kind.value} ({who})", url))
        clients: dict[str, Client] = {}
        for who, label, url in pages:
            client = clients.setdefault(who, self.client(who))
            client.get(url)  # warm-up (template and query caches)
            ms, response = _median_ms(partial(client.get, url), repeat)
            yield label, "page", ms, response.status_code

    def _save(self, action: Callable[[], object]) -> object:
        result = None
        try:
            with transaction.atomic():
                result = action()
                raise _Rollback
        except _Rollback:
            pass
        return result

    def saves(self, repeat: int):
        from grassroots.models import GrassrootsUnion
        from members.models import Member

        today = timezone.localdate()
        day = (today - timedelta(days=3)).strftime("%d/%m/%Y")
        officer = self.client("phuongthanhxuan")
        grassroots = list(
            GrassrootsUnion.objects.filter(district_union=self.unit, dissolved_on__isnull=True)
            .exclude(founded_on__gt=today - timedelta(days=30))
            .order_by("pk")[:2]
        )
        member = Member.objects.filter(grassroots=grassroots[0], left_on__isnull=True).first()
        assert member is not None  # the demo's CĐCS has members

        def found():
            return officer.post(
                reverse("grassroots:grassroots-create"),
                {
                    "name": "Công đoàn Công ty Đo Thời Gian",
                    "code": "BENCH-01",
                    "tax_code": "0109999999",
                    "sector": "private_enterprise",
                    "workers": "40",
                    "founded_on": day,
                    "district_union": self.unit.pk,
                },
            )

        def admit():
            return officer.post(
                reverse("members:member-create"),
                {
                    "full_name": "Nguyễn Thị Đo",
                    "gender": "female",
                    "birth_date": "05/03/1990",
                    "cccd": "001190999999",
                    "grassroots": grassroots[0].pk,
                    "joined_on": day,
                },
            )

        def transfer():
            return officer.post(
                reverse("members:member-transfer", args=[member.pk]),
                {"to_grassroots": grassroots[1].pk, "on": day, "version": member.version},
            )

        def leave():
            return officer.post(
                reverse("members:member-leave", args=[member.pk]),
                {"on": day, "reason": "retirement", "version": member.version},
            )

        def import_members():
            from imports.models import ImportJob

            upload = SimpleUploadedFile(
                "doan-vien.csv", _csv_members(grassroots[0].code, day), "text/csv"
            )
            response = officer.post(
                reverse("imports:import-start"), {"kind": "members", "file": upload}
            )
            job = ImportJob.objects.order_by("-pk").first()
            if job is None or job.status != ImportJob.Status.CHECKED:
                raise CommandError(f"Nhập thử không qua bước kiểm tra: {job and job.errors}")
            response = officer.post(reverse("imports:import-confirm", args=[job.pk]))
            job.refresh_from_db()
            if job.status != ImportJob.Status.DONE:
                raise CommandError(f"Nhập thử không ghi được: {job.status} {job.message}")
            return response

        for label, action in (
            ("thành lập CĐCS", found),
            ("kết nạp đoàn viên", admit),
            ("chuyển đoàn viên", transfer),
            ("ra khỏi tổ chức", leave),
            ("nhập 20 đoàn viên (tải lên + xác nhận)", import_members),
        ):
            ms, response = _median_ms(partial(self._save, action), repeat)
            status = getattr(response, "status_code", "?")
            if status != 302:
                status = f"{status} (không chuyển trang: thao tác không thành công?)"
            yield label, "save", ms, status
