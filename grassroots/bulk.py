"""Bulk variants of the organisation services, for the imports: many CĐCS founded or corrected
at once (`GrassrootsBatch.found_many` / `update_many`, the bulk `grassroots_found` /
`grassroots_update`) and many units saved at once (`units_save_many`). The targets import
writes through `grassroots.targets.targets_save` itself.

The import kinds (imports/kinds) parse every row and check it with the same rule functions as
the forms and services (grassroots/rules.py); the rows handed over here are checked, and these
functions own the writes: the CĐCS rows and their history, the first affiliation (valid from
the founding day, moved with a corrected founding date), and the one figures refresh at the
end (`finish`). New CĐCS go in with COPY on PostgreSQL (unionportal.bulk.TableWriter).
"""

from __future__ import annotations

from datetime import date, datetime

from unionportal.bulk import TableWriter, allocate_ids, is_postgresql

from .models import Affiliation, DistrictUnion, Federation, GrassrootsUnion, grassroots_search_text
from .services import figures_touch


class GrassrootsBatch:
    """The CĐCS writes of one import (one transaction). `user` and `reason` go in the history
    rows; `finish()` announces the figures once, after the last chunk."""

    def __init__(self, *, user, reason: str, now: datetime):
        self.user = user if getattr(user, "pk", None) else None
        self.user_id = getattr(self.user, "pk", None)
        self.reason = reason
        self.now = now
        self.touched: dict[int, date] = {}
        self.writer = TableWriter(GrassrootsUnion)
        self.affiliation_writer = TableWriter(Affiliation, with_pk=False)
        self.history_model = GrassrootsUnion.history.model
        self.history_writer = TableWriter(self.history_model, with_pk=False)
        self.tracked = [
            f.attname
            for f in self.history_model._meta.concrete_fields
            if not f.attname.startswith("history_")
        ]

    def touch(self, grassroots_id: int, since: date) -> None:
        current = self.touched.get(grassroots_id)
        if current is None or since < current:
            self.touched[grassroots_id] = since

    def found_many(self, records: list[dict]) -> list[int]:
        """Found checked new CĐCS (`records`: code, name, district_union_id, tax_code, sector,
        workers, founded_on): each with its first affiliation and a history row. Returns their
        ids."""
        if not records:
            return []
        rows = [
            {
                "code": r["code"],
                "name": r["name"],
                "tax_code": r["tax_code"],
                "sector": r["sector"],
                "workers": r["workers"],
                "founded_on": r["founded_on"],
                "address": r.get("address", ""),
                "dissolved_on": None,
                "dissolution_reason": "",
                "district_union_id": r["district_union_id"],
                "search_text": grassroots_search_text(r["code"], r["name"], r["tax_code"]),
            }
            for r in records
        ]
        if is_postgresql():
            for row, pk in zip(rows, allocate_ids(GrassrootsUnion, len(rows)), strict=True):
                row["id"] = pk
        ids = self.writer.insert(rows)
        affiliations = []
        history = []
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
            affiliations.append(
                {
                    "grassroots_id": pk,
                    "district_union_id": row["district_union_id"],
                    "valid_from": row["founded_on"],
                    "valid_to": None,
                }
            )
            entry = {name: row[name] for name in self.tracked}
            entry.update(
                history_date=self.now,
                history_change_reason=self.reason,
                history_type="+",
                history_user_id=self.user_id,
            )
            history.append(entry)
            self.touch(pk, row["founded_on"])
        self.affiliation_writer.insert(affiliations)
        self.history_writer.insert(history)
        return list(ids)

    def update_many(self, updates: list[tuple[dict, dict]]) -> None:
        """Write checked corrections of CĐCS (`updates`: (the CĐCS as values(), the changed
        fields)), each with a history row; a new founding date moves the first affiliation
        with it, as `grassroots_update` does."""
        if not updates:
            return
        from simple_history.utils import bulk_update_with_history

        objs = []
        fields: set[str] = set()
        for old, diff in updates:
            obj = GrassrootsUnion(**old)
            for name, value in diff.items():
                setattr(obj, name, value)
            obj.search_text = grassroots_search_text(obj.code, obj.name, obj.tax_code)
            objs.append(obj)
            fields.update(diff)
            if "founded_on" in diff:
                first = (
                    Affiliation.objects.filter(grassroots_id=obj.pk).order_by("valid_from").first()
                )
                if first is not None:
                    first.valid_from = diff["founded_on"]
                    first.save(update_fields=["valid_from"])
            if "founded_on" in diff or "workers" in diff:
                # The founding counts (and the 25+ indicator) of the founding day change.
                self.touch(obj.pk, min(old["founded_on"], obj.founded_on))
        bulk_update_with_history(
            objs,
            GrassrootsUnion,
            sorted(fields | {"search_text"}),
            batch_size=500,
            default_user=self.user,
            default_change_reason=self.reason,
            default_date=self.now,
        )

    def finish(self) -> None:
        if self.touched:
            figures_touch(self.touched.keys(), min(self.touched.values()))


def units_save_many(
    *,
    federations: list[tuple[Federation | None, dict, dict]],
    unions: list[tuple[DistrictUnion | None, dict, dict]],
    known_federations: dict[str, Federation],
    user,
    reason: str,
) -> None:
    """Create or correct checked units: federations first (a union may name one created in the
    same file), then upper-level unions, each with a history row naming `user` and `reason`.
    Each item is (the unit or None for a new one, field -> value, {"key": code, "parent":
    federation code}); `known_federations`: code -> federation already registered."""
    user = user if getattr(user, "pk", None) else None
    created: dict[str, Federation] = {}
    for old, fields, extra in federations:
        if old is None:
            federation = Federation.objects.create(code=extra["key"], **fields)
            created[federation.code.upper()] = federation
        else:
            for name, value in fields.items():
                setattr(old, name, value)
            old.save()
    for old_union, fields, extra in unions:
        if old_union is None:
            parent = created.get(extra["parent"]) or known_federations[extra["parent"]]
            union = DistrictUnion(code=extra["key"], federation=parent, **fields)
        else:
            union = old_union
            for name, value in fields.items():
                setattr(union, name, value)
        union._history_user = user
        union._change_reason = reason
        union.save()
