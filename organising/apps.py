from django.apps import AppConfig


class OrganisingConfig(AppConfig):
    name = "organising"
    verbose_name = "Phát triển tổ chức (doanh nghiệp chưa có CĐCS)"

    def ready(self) -> None:
        from grassroots.signals import figures_changed

        from .services import on_figures_changed

        # The enterprise <-> CĐCS link is derived data: refreshed whenever a CĐCS is founded,
        # changed, moved or dissolved (grassroots announces those with figures_changed).
        figures_changed.connect(on_figures_changed, dispatch_uid="organising_enterprise_links")
