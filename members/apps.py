from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Đoàn viên"

    def ready(self) -> None:
        from grassroots.signals import grassroots_dissolved

        from .services import members_end_on_dissolution

        def on_dissolved(sender, grassroots, on, user=None, **kwargs):
            members_end_on_dissolution(grassroots=grassroots, on=on, user=user)

        grassroots_dissolved.connect(
            on_dissolved, weak=False, dispatch_uid="members_end_on_dissolution"
        )
