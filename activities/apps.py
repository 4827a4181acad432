from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    """The records behind the further indicators: officers and their training, Party
    introductions and admissions, collective agreements (uses grassroots and members)."""

    name = "activities"
    verbose_name = "Hoạt động công đoàn"
