"""The enterprise writes of an import (one transaction): the register's own bulk service, called
by the enterprises import kind, so that no import writes the register around organising.

`register_many` adds checked new enterprises (stage "chưa tiếp cận"); `update_many` applies
checked changes, recording every change of the worker counts (WorkerCountChange: before, after,
file); `finish()` links the new enterprises to a CĐCS already founded under their tax code and rebuilds
the counts of the units touched (organising.tally).
"""

from __future__ import annotations

from datetime import date, datetime

from grassroots.models import GrassrootsUnion
from unionportal.bulk import TableWriter, allocate_ids, is_postgresql

from .models import Enterprise, Stage, WorkerCountChange, enterprise_search_text
from .services import enterprise_links_sync
from .tally import tally_refresh

LINK_CHUNK = 5000


class EnterpriseBatch:
    def __init__(self, *, user, source_name: str, now: datetime, today: date):
        self.user_id = getattr(user, "pk", None)
        self.source_name = source_name[:255]
        self.now = now
        self.today = today
        self.writer = TableWriter(Enterprise)
        self.new_codes: list[str] = []
        self.units: set[int] = set()

    def register_many(self, records: list[dict]) -> None:
        """New enterprises from checked `records` (the Enterprise fields an import carries)."""
        if not records:
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
        self.units.update(record["district_union_id"] for record in records)
        self.new_codes.extend(record["full_tax_code"] for record in records)
        if is_postgresql():
            for row, pk in zip(rows, allocate_ids(Enterprise, len(rows)), strict=True):
                row["id"] = pk
        self.writer.insert(rows)

    def update_many(self, updates: list[tuple[dict, dict]]) -> None:
        """Apply checked changes: (the enterprise's current values incl. pk, {field: new})."""
        if not updates:
            return
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

        Only the new tax codes some CĐCS carries are synced (one indexed lookup per 5.000
        codes): most of a tax office list has no CĐCS, and reading 100.000 new rows back to
        find that out cost more than writing them."""
        codes, matched = self.new_codes, list[str]()
        for start in range(0, len(codes), LINK_CHUNK):
            matched.extend(
                GrassrootsUnion.objects.filter(tax_code__in=codes[start : start + LINK_CHUNK])
                .values_list("tax_code", flat=True)
                .distinct()
            )
        for start in range(0, len(matched), LINK_CHUNK):
            enterprise_links_sync(
                Enterprise.objects.filter(full_tax_code__in=matched[start : start + LINK_CHUNK]),
                refresh=False,
            )
        tally_refresh(self.units)
