"""The enterprise writes of an import (one transaction): the register's own bulk service, called
by the enterprises import kind, so that no import writes the register around organising.

`known(codes)` reads the enterprises already registered under some tax codes; `register_many`
adds checked new enterprises (stage "chưa tiếp cận"); `update_many` applies checked changes,
recording every change of the worker counts (WorkerCountChange: before, after, file);
`finish()` links the new enterprises to a CĐCS already founded under their tax code and rebuilds
the counts of the units touched (organising.tally); `close()` always (also after an error).

On PostgreSQL the new rows are written with COPY lines built here, sent by a helper thread
(unionportal.bulk.CopyPipeline) while the import reads and checks the next chunk: the
database's work (the unique tax code, six indexes) and Python's then overlap instead of
adding up. Elsewhere (SQLite) they go through bulk_create.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.db import connection

from grassroots.models import GrassrootsUnion
from unionportal.bulk import (
    CopyPipeline,
    TableWriter,
    allocate_ids,
    copy_sql,
    copy_text,
    is_postgresql,
)

from .models import (
    Enterprise,
    Source,
    Stage,
    UnitBasis,
    WorkerCountChange,
    enterprise_search_text,
)
from .services import enterprise_links_sync
from .tally import tally_refresh

LINK_CHUNK = 5000
# What `known` reads of a registered enterprise (the import compares and updates these).
KNOWN_FIELDS = (
    "pk",
    "full_tax_code",
    "district_union_id",
    "workers",
    "women",
    "address",
    "ward_code",
    "founded_on",
)
# The columns of a new enterprise's COPY line, in order; every other column of the table is
# nullable and left NULL (checked by `copy_columns_as_expected`).
COPY_COLUMNS = (
    "id",
    "tax_code",
    "branch",
    "full_tax_code",
    "name",
    "address",
    "ward_code",
    "sector",
    "workers",
    "women",
    "founded_on",
    "source",
    "district_union_id",
    "unit_basis",
    "stage",
    "stage_on",
    "reached",
    "notes",
    "search_text",
    "created_at",
    "updated_at",
)
NULL = "\\N"
_NOT_CONTACTED = Stage.NOT_CONTACTED.value
# The stored text of a choice (a TextChoices member or its plain value) for the COPY line.
_CHOICE_TEXT = {
    value: str(value)
    for choices in (GrassrootsUnion.Sector, Source, UnitBasis)
    for value, _ in choices.choices
}


def copy_columns_as_expected() -> bool:
    """COPY_COLUMNS are columns of the table, and the ones left out may all be NULL."""
    fields = {f.column: f for f in Enterprise._meta.concrete_fields}
    return set(COPY_COLUMNS) <= set(fields) and all(
        field.null for column, field in fields.items() if column not in COPY_COLUMNS
    )


class EnterpriseBatch:
    def __init__(self, *, user, source_name: str, now: datetime, today: date, writing: bool = True):
        self.user_id = getattr(user, "pk", None)
        self.source_name = source_name[:255]
        self.now = now
        self.today = today
        self.writer = TableWriter(Enterprise)
        self.new_codes: list[str] = []
        self.units: set[int] = set()
        self.postgres = is_postgresql()
        self.pipeline = (
            CopyPipeline() if self.postgres and writing and copy_columns_as_expected() else None
        )
        self._now_text = now.isoformat()
        self._days: dict[date, str] = {}

    # ----- reading ---------------------------------------------------------------------------
    def known(self, codes: list[str]) -> dict[str, dict]:
        """The registered enterprises with these full tax codes: code -> KNOWN_FIELDS."""
        self.wait()
        if not codes:
            return {}
        if not self.postgres:
            return {
                row["full_tax_code"]: row
                for row in Enterprise.objects.filter(full_tax_code__in=codes).values(*KNOWN_FIELDS)
            }
        # One array parameter instead of the ORM's IN list of 2.000 placeholders (the same
        # rows; building that list in Python cost more than the query).
        columns = ["id" if f == "pk" else f for f in KNOWN_FIELDS]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {Enterprise._meta.db_table} "
                "WHERE full_tax_code = ANY(%s::text[])",
                [codes],
            )
            return {row[1]: dict(zip(KNOWN_FIELDS, row, strict=True)) for row in cursor}

    def wait(self) -> None:
        """Until the previous chunk's COPY is done: the connection is the caller's again."""
        if self.pipeline is not None:
            self.pipeline.wait()

    def close(self) -> None:
        """No helper thread outlives the import's transaction (always called)."""
        if self.pipeline is not None:
            self.pipeline.drain()

    # ----- writing ---------------------------------------------------------------------------
    def register_many(self, records: list[dict]) -> None:
        """New enterprises from checked `records` (the Enterprise fields an import carries)."""
        if not records:
            return
        self.units.update(record["district_union_id"] for record in records)
        self.new_codes.extend(record["full_tax_code"] for record in records)
        if self.pipeline is not None:
            self.wait()
            ids = allocate_ids(Enterprise, len(records))
            lines = "".join(map(self._line, records, ids))
            self.pipeline.submit(
                [(copy_sql(Enterprise._meta.db_table, COPY_COLUMNS), io.StringIO(lines))]
            )
            return
        rows = [
            {
                **record,
                "stage": Stage.NOT_CONTACTED.value,
                "stage_on": None,
                "reached": 0,
                "notes": "",
                "search_text": enterprise_search_text(
                    record["full_tax_code"], record["name"], record["address"]
                ),
                "created_at": self.now,
                "updated_at": self.now,
            }
            for record in records
        ]
        if self.postgres:
            for row, pk in zip(rows, allocate_ids(Enterprise, len(rows)), strict=True):
                row["id"] = pk
        self.writer.insert(rows)

    def _line(self, record: dict, pk: int) -> str:
        """The COPY line of one new enterprise (COPY_COLUMNS): the values the bulk_create
        path writes, in COPY text format."""
        full, name, address = record["full_tax_code"], record["name"], record["address"]
        ward, women, founded = record["ward_code"], record["women"], record["founded_on"]
        founded_text = NULL if founded is None else self._days.get(founded)
        if founded_text is None:
            if len(self._days) > 50000:
                self._days.clear()
            founded_text = self._days[founded] = founded.isoformat()
        choice = _CHOICE_TEXT
        now = self._now_text
        return (
            f"{pk}\t{record['tax_code']}\t{record['branch']}\t{full}\t{copy_text(name)}\t"
            f"{copy_text(address)}\t{NULL if ward is None else ward}\t"
            f"{choice[record['sector']]}\t{record['workers']}\t"
            f"{NULL if women is None else women}\t{founded_text}\t"
            f"{choice[record['source']]}\t{record['district_union_id']}\t"
            f"{choice[record['unit_basis']]}\t{_NOT_CONTACTED}\t{NULL}\t0\t\t"
            f"{copy_text(enterprise_search_text(full, name, address))}\t{now}\t{now}\n"
        )

    def update_many(self, updates: list[tuple[dict, dict]]) -> None:
        """Apply checked changes: (the enterprise's current values incl. pk, {field: new})."""
        if not updates:
            return
        self.wait()
        objs, changes, fields = [], [], {"updated_at"}
        for old, diff in updates:
            objs.append(Enterprise(pk=old["pk"], updated_at=self.now, **diff))
            self.units.add(old["district_union_id"])
            if diff.get("district_union_id") is not None:
                self.units.add(diff["district_union_id"])
            fields.update(diff)
            if "workers" in diff or "women" in diff:
                changes.append(
                    WorkerCountChange(
                        enterprise_id=old["pk"],
                        on=self.today,
                        by_id=self.user_id,
                        workers_before=old["workers"],
                        workers_after=diff.get("workers", old["workers"]),
                        women_before=old["women"],
                        women_after=diff.get("women", old["women"]),
                        source_name=self.source_name,
                    )
                )
        Enterprise.objects.bulk_update(objs, sorted(fields), batch_size=500)
        WorkerCountChange.objects.bulk_create(changes, batch_size=1000)

    def finish(self) -> None:
        """New enterprises whose CĐCS already exists show as "đã thành lập CĐCS" at once; the
        touched units' counts are rebuilt once, after the links.

        Only the new tax codes some CĐCS carries are synced: most of a tax office list has no
        CĐCS, and reading 100.000 new rows back to find that out cost more than writing them.
        The tax codes the CĐCS register carries are read once (a few thousand in a province,
        where 20 lookups of 5.000 codes each spent more in building their IN lists)."""
        self.wait()
        carried = set(
            GrassrootsUnion.objects.exclude(tax_code="")
            .values_list("tax_code", flat=True)
            .distinct()
        )
        matched = [code for code in dict.fromkeys(self.new_codes) if code in carried]
        for start in range(0, len(matched), LINK_CHUNK):
            enterprise_links_sync(
                Enterprise.objects.filter(full_tax_code__in=matched[start : start + LINK_CHUNK]),
                refresh=False,
            )
        tally_refresh(self.units)
