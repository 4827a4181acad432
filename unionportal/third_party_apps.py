"""Vietnamese names for third-party apps whose name is a plain (untranslatable) string; the
admin shows them as section titles. Used in INSTALLED_APPS instead of the apps' own configs."""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Chống dò mật khẩu"


class TasksDbConfig(TasksAppConfig):
    verbose_name = "Tác vụ nền"
