from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Spreadsheet imports: the engine, its kinds (units, CĐCS, members, targets), jobs, pages
    and commands. It writes through the owning apps' services and models."""

    name = "imports"
    verbose_name = "Nhập dữ liệu"
