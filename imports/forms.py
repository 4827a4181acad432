"""The upload form: what to import, and a file that really is a spreadsheet of a sane size."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from typing import cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from unionportal.spreadsheets.errors import FileProblem
from unionportal.spreadsheets.sniff import (
    FORMAT_ODS,
    FORMAT_XLS,
    FORMAT_XLSX,
    check_workbook,
    check_zip,
    max_uncompressed_bytes,
    sniff,
)

from .kinds import KINDS


def _size_text(size: int) -> str:
    return filesizeformat(size)


def safe_name(name: str) -> str:
    """The uploaded file's name for display only: no folders, no control characters."""
    name = os.path.basename(str(name).replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return unicodedata.normalize("NFC", name).strip()[:200] or "file"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại dữ liệu",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn loại dữ liệu cần nhập.",
            "invalid_choice": "Bạn không được nhập loại dữ liệu này.",
        },
    )
    file = forms.FileField(
        label="File .xlsx, .xls, .ods hoặc .csv",
        error_messages={
            "required": "Hãy chọn file cần nhập.",
            "empty": "File rỗng.",
            "invalid": "Không nhận được file.",
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.xls,.ods,.csv,application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet,application/vnd.ms-excel,"
                "application/vnd.oasis.opendocument.spreadsheet,text/csv"
            }
        ),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [(k, KINDS[k].title) for k in kinds]
        self.fields[
            "file"
        ].help_text = f"Tối đa {_size_text(settings.UPLOAD_MAX_BYTES)}. Dòng đầu tiên là tên cột."
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.detected_format: str | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"File quá lớn ({_size_text(upload.size)}); giới hạn là "
                f"{_size_text(limit)}: hãy chia thành nhiều file."
            )
        # Decide by content, not by name: copy to a private temporary file and sniff it.
        with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                self.detected_format = sniff(handle.name)
                if self.detected_format in (FORMAT_XLSX, FORMAT_ODS):
                    check_zip(
                        handle.name,
                        max_uncompressed=max_uncompressed_bytes(),
                        xlsx=self.detected_format == FORMAT_XLSX,
                    )
                if self.detected_format in (FORMAT_XLS, FORMAT_ODS):
                    check_workbook(handle.name, self.detected_format)
            except FileProblem as problem:
                raise forms.ValidationError(problem.message) from None
        upload.seek(0)
        return upload
