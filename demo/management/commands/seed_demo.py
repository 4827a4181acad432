import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.demo import DEMO_PASSWORD, demo_build
from grassroots.models import Federation


def vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (LĐLĐ thành phố Hà Nội, LĐLĐ tỉnh Quảng Ninh) và tài khoản demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Bỏ qua nếu cơ sở dữ liệu đã có dữ liệu."
        )

    def handle(self, *args, if_empty: bool, **options):
        if Federation.objects.exists():
            if if_empty:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: bỏ qua tạo dữ liệu mẫu.")
                return
            self.stderr.write("Cơ sở dữ liệu đã có dữ liệu. Dùng một cơ sở dữ liệu trống.")
            raise SystemExit(1)
        started = time.perf_counter()
        counts = demo_build(timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {counts['units']} đơn vị, {vn(counts['grassroots'])} CĐCS, "
                f"{vn(counts['members'])} đoàn viên trong {time.perf_counter() - started:.0f} giây. "
                f"Tài khoản: admin, thanhpho, quangninh, thanhxuan, caugiay (mật khẩu {DEMO_PASSWORD})."
            )
        )
