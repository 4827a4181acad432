from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    """The records behind the further indicators: officers and their training, Party
    introductions and admissions, collective agreements (uses grassroots and members)."""

    name = "activities"
    verbose_name = "Hoạt động công đoàn"

    def ready(self) -> None:
        from grassroots.signals import affiliations_changed

        from .stats import on_affiliations_changed

        # The records count for the unit their CĐCS belonged to on their day: a CĐCS moved
        # (or a restructuring applied, undone) attributes them again, in the same transaction.
        affiliations_changed.connect(
            on_affiliations_changed, dispatch_uid="activities_record_stats"
        )
