from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Báo cáo kỳ và khóa sổ"

    def ready(self) -> None:
        from reports.approved import NATIONAL_NOTE_READERS

        from .national import national_note

        if national_note not in NATIONAL_NOTE_READERS:
            NATIONAL_NOTE_READERS.append(national_note)
