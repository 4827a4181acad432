"""The columns of a spreadsheet kind, declared once (README: How it is built, Imports).

Each owning app declares the columns of its registers once (members/resources.py,
grassroots/resources.py) as a `Columns` list, and everything else is derived from it:
- the import kind's header matching, messages and change lists (`imported()`, `header()`,
  `labels()`);
- the blank template and its guide sheet (imports/downloads.py);
- the list exports (`exported()`: the same headers in the same order, plus the columns only an
  export has, such as the CĐCS's name beside its code), so an export imports back;
- the django-import-export Resource (`resource_class`), which serves the admin's import and
  export of the reference tables and names the export columns.
This module is ground floor: it imports no app.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a register's spreadsheets.

    `header` is what users write; `help` goes in the template's explanation sheet;
    `text_format` marks columns Excel must keep as text; `attribute` is the ORM lookup an export
    reads (default: `key`); `imported=False` marks a column only exports have; `exported=False`
    one only imports have; `choices` maps stored values to the labels users read and write;
    `blank_allowed` marks a column the file must have whose cells may be empty."""

    key: str
    header: str
    required: bool = True
    help: str = ""
    example: object = ""
    text_format: bool = False
    date_format: bool = False
    width: float = 18
    attribute: str | None = None
    imported: bool = True
    exported: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    blank_allowed: bool = False  # a required column whose cells may be empty

    @property
    def guide_requirement(self) -> str:
        """What the template's guide says in its 'Bắt buộc' column."""
        if not self.required:
            return "Không bắt buộc"
        return "Có cột, ô có thể để trống" if self.blank_allowed else "Bắt buộc"

    @property
    def lookup(self) -> str:
        return self.attribute or self.key


class Columns(Sequence[Column]):
    """The declared columns of one kind, in the order files show them."""

    def __init__(self, *columns: Column):
        self._columns = tuple(columns)
        keys = [c.key for c in columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys: {keys}")

    def __getitem__(self, index):
        return self._columns[index]

    def __len__(self) -> int:
        return len(self._columns)

    def __iter__(self) -> Iterator[Column]:
        return iter(self._columns)

    def get(self, key: str) -> Column:
        for column in self._columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def header(self, key: str) -> str:
        return self.get(key).header

    def imported(self) -> list[Column]:
        return [c for c in self._columns if c.imported]

    def exported(self) -> list[Column]:
        return [c for c in self._columns if c.exported]

    def labels(self) -> dict[str, str]:
        """key -> header (the names a change list uses: 'Họ và tên: An → Ân')."""
        return {c.key: c.header for c in self._columns}

    def choice_labels(self) -> dict[str, dict[str, str]]:
        """key -> {stored value: label} of the columns with choices."""
        return {c.key: dict(c.choices) for c in self._columns if c.choices}

    def text_headers(self, columns: Sequence[Column] | None = None) -> list[str]:
        return [c.header for c in (columns or self._columns) if c.text_format]

    def date_headers(self, columns: Sequence[Column] | None = None) -> list[str]:
        return [c.header for c in (columns or self._columns) if c.date_format]

    def widths(self, columns: Sequence[Column] | None = None) -> dict[str, float]:
        return {c.header: c.width for c in (columns or self._columns)}


def resource_class(
    model,
    columns: Columns,
    *,
    name: str,
    import_id_fields: Sequence[str],
    base: type | None = None,
    widgets: dict | None = None,
    attributes: dict[str, str] | None = None,
    keep_on_blank: Sequence[str] = (),
    meta: dict | None = None,
):
    """The django-import-export ModelResource of `columns`' exported columns: one field per
    column, named by its key, with the column's header and ORM lookup (`attributes` overrides
    it, e.g. a foreign key that `widgets` reads by code); a blank cell of a `keep_on_blank` column
    keeps the current value (or the model's default); `base` may add the rules of an import;
    `columns` stays on the class (`Resource.columns`)."""
    from import_export import fields, resources

    widgets = widgets or {}
    attributes = attributes or {}
    exported = columns.exported()
    attrs: dict[str, object] = {
        c.key: fields.Field(
            attribute=attributes.get(c.key, c.lookup),
            column_name=c.header,
            widget=widgets.get(c.key),
            saves_null_values=c.key not in keep_on_blank,
        )
        for c in exported
    }
    keys = tuple(c.key for c in exported)
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": keys,
            "export_order": keys,
            "import_id_fields": tuple(import_id_fields),
            **(meta or {}),
        },
    )
    attrs["columns"] = columns
    attrs["__module__"] = model.__module__
    attrs["__doc__"] = f"The {model.__name__} columns as declared once (their `columns`)."
    return type(name, (base or resources.ModelResource,), attrs)
