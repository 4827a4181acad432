from django.apps import AppConfig


class GrassrootsConfig(AppConfig):
    name = "grassroots"
    verbose_name = "Tổ chức công đoàn"
