"""What can go wrong in an import, in the words users read."""

from __future__ import annotations

from dataclasses import dataclass


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, damaged, too big, hostile)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: the Excel row number (None for the whole file), the column, the reason."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return f"row {self.row}, {self.column or '-'}: {self.message}"

    def as_vietnamese(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return f"Dòng {self.row}, cột {self.column or '-'}: {self.message}"

    def as_list(self) -> list:
        return [self.row, self.column, self.message]

    @classmethod
    def from_list(cls, data: list) -> RowError:
        return cls(data[0], data[1], data[2])
