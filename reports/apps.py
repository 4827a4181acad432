from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from grassroots.signals import figures_changed
        from unionportal.bulk import planner_statistics_after_migrate

        from .stats import on_figures_changed

        figures_changed.connect(on_figures_changed, dispatch_uid="reports_stats_refresh")
        # Sent once per `migrate` for this app (the last one installed): ANALYZE a database
        # that has no planner statistics yet.
        post_migrate.connect(
            planner_statistics_after_migrate, sender=self, dispatch_uid="planner_statistics"
        )
