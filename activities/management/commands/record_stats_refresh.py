from django.core.management.base import BaseCommand

from activities.stats import record_stats_refresh


class Command(BaseCommand):
    help = "Tính lại số liệu ngày của hoạt động (tập huấn, Đảng, thỏa ước) từ các bản ghi."

    def handle(self, *args, **options):
        rows = record_stats_refresh()
        self.stdout.write(f"Đã ghi {rows} dòng số liệu ngày của hoạt động.")
