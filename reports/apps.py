from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from grassroots.signals import figures_changed

        from .stats import on_figures_changed

        figures_changed.connect(on_figures_changed, dispatch_uid="reports_stats_refresh")
