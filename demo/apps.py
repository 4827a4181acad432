from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`): a Hà Nội and a Quảng Ninh federation that reproduce
    the source articles' figures."""

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
