"""Proposing a CĐCS's ward union from its address (địa chỉ trụ sở), after the 2025 reform.

The 2025 communes and wards come from `vietnam-provinces` (the official list, codes included):
for each CĐCS, the part of its address that names a ward ("Phường Thanh Xuân", "Xã Sóc Sơn",
"P. Khương Đình") is looked up among the 2025 wards of its federation's province (accents, case
and the Unicode form ignored), then matched to a ward union of the federation named after it
("Công đoàn phường Thanh Xuân"). Nothing is guessed: an address that names no ward, a ward that
no longer exists (old district-based addresses: "Phường Khương Trung, Quận Thanh Xuân"), two
wards of the same name, or a ward without a union of its own, leave the CĐCS unproposed with
the reason. The officer reviews the proposal (a plan file, or the plan's preview) before it is
applied. (`vietnam-address-converter` was evaluated and not used: 22 s to load, ambiguous for
split wards, non-official codes.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from unionportal.text import fold

from .models import DistrictUnion, Federation, GrassrootsUnion

_PARTS = re.compile(r"[,;]|\s+-\s+")
_WARD = re.compile(r"^(phuong|xa|dac khu|p\.|x\.)\s*(.+)$")
_OLD = re.compile(r"^(quan|huyen|thi xa|thi tran|tx\.|q\.|h\.)\s")
_TYPES = {"p.": "phuong", "x.": "xa"}
_FEDERATION_PREFIX = re.compile(r"^(ldld|lien doan lao dong)\s+(thanh pho|tinh|tp\.?)?\s*")
_PROVINCE_PREFIX = re.compile(r"^(thanh pho|tinh)\s+")


def _key(text: str) -> str:
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())


@cache
def _provinces() -> dict[str, int]:
    from vietnam_provinces import Province

    return {_PROVINCE_PREFIX.sub("", _key(p.name)): int(p.code) for p in Province.iter_all()}


@cache
def _wards_of(province: int) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(full folded name -> names, bare folded name -> names) of the province's 2025 wards."""
    from vietnam_provinces import Ward

    full: dict[str, list[str]] = {}
    bare: dict[str, list[str]] = {}
    for ward in Ward.iter_all():
        if int(ward.province_code) != province:
            continue
        key = _key(ward.name)
        full.setdefault(key, []).append(ward.name)
        bare.setdefault(_WARD.sub(r"\2", key), []).append(ward.name)
    return full, bare


def federation_province(federation: Federation) -> int | None:
    """The 2025 province of a federation, from its name ("LĐLĐ thành phố Hà Nội" -> 1)."""
    name = _FEDERATION_PREFIX.sub("", _key(federation.name))
    return _provinces().get(name)


@cache
def province_names() -> dict[int, str]:
    """The 2025 provinces of `vietnam-provinces`: {official code: name}."""
    from vietnam_provinces import Province

    return {int(p.code): p.name for p in Province.iter_all()}


def provinces_without_federation(federations: list[Federation], today: date) -> list[str]:
    """The 2025 provinces (the official list of `vietnam-provinces`, 34 from 01/07/2025) that no
    federation active `today` stands for, in the list's order: for the national dashboard's
    coverage line. A federation is matched to its province by name (`federation_province`)."""
    covered = {
        federation_province(f) for f in federations if f.ended_on is None or f.ended_on >= today
    }
    return [name for code, name in province_names().items() if code not in covered]


def address_ward(address: str) -> tuple[str, bool]:
    """(the ward part of `address`, folded, with its type: "phuong thanh xuan"; is it an old
    district-based address). ("", ...) when no part names a ward."""
    parts = [_key(p) for p in _PARTS.split(address or "") if p.strip()]
    old = any(_OLD.match(p + " ") for p in parts)
    for part in reversed(parts):  # the ward comes after the street
        found = _WARD.match(part)
        if found:
            kind = _TYPES.get(found.group(1), found.group(1))
            return f"{kind} {found.group(2).strip()}", old
    return "", old


@dataclass(frozen=True)
class WardProposal:
    grassroots_code: str
    grassroots_name: str
    address: str
    current_unit: str
    ward: str = ""
    unit_code: str = ""
    unit_name: str = ""
    reason: str = ""


@dataclass
class Proposal:
    proposed: list[WardProposal] = field(default_factory=list)
    unproposed: list[WardProposal] = field(default_factory=list)
    already: int = 0


def _unit_key(name: str) -> str:
    return _key(name).removeprefix("cong doan ").strip()


def proposal_for(user, unit: DistrictUnion | None, on: date) -> Proposal:
    """The ward union proposed for each CĐCS in `user`'s scope (only those now in `unit`, if
    given) that is active on `on`; a few queries whatever the number of CĐCS."""
    grassroots = (
        GrassrootsUnion.objects.for_user(user)
        .filter(dissolved_on__isnull=True)
        .select_related("district_union__federation")
        .order_by("code")
    )
    if unit is not None:
        grassroots = grassroots.filter(district_union=unit)
    wards_units: dict[int, dict[str, list[DistrictUnion]]] = {}
    for candidate in DistrictUnion.objects.filter(ended_on__isnull=True).exclude(
        kind=DistrictUnion.Kind.DIRECT
    ):
        if candidate.founded_on and candidate.founded_on > on:
            continue
        wards_units.setdefault(candidate.federation_id, {}).setdefault(
            _unit_key(candidate.name), []
        ).append(candidate)
    result = Proposal()
    for g in grassroots:
        current = g.district_union
        base = {
            "grassroots_code": g.code,
            "grassroots_name": g.name,
            "address": g.address,
            "current_unit": current.code,
        }
        if not g.address.strip():
            result.unproposed.append(WardProposal(**base, reason="Chưa có địa chỉ trụ sở."))
            continue
        ward_key, old = address_ward(g.address)
        if not ward_key:
            result.unproposed.append(
                WardProposal(**base, reason="Địa chỉ không ghi phường/xã (Phường X, Xã X).")
            )
            continue
        province = federation_province(current.federation)
        if province is None:
            result.unproposed.append(
                WardProposal(
                    **base,
                    reason=f"Không xác định được tỉnh/thành phố của {current.federation.name}.",
                )
            )
            continue
        full, bare = _wards_of(province)
        names = full.get(ward_key) or bare.get(_WARD.sub(r"\2", ward_key), [])
        shown = ward_key.title()
        if not names:
            if old:
                reason = (
                    f"Địa chỉ cũ (theo quận/huyện): '{shown}' không còn trong danh mục xã/phường "
                    "từ 01/07/2025; hãy chọn đơn vị bằng tay."
                )
            else:
                reason = f"Không có phường/xã '{shown}' trong danh mục 2025 của tỉnh/thành phố."
            result.unproposed.append(WardProposal(**base, reason=reason))
            continue
        if len(names) > 1:
            result.unproposed.append(
                WardProposal(
                    **base,
                    reason=f"Có {len(names)} xã/phường tên '{shown}': {', '.join(names)}; hãy "
                    "chọn bằng tay.",
                )
            )
            continue
        ward = names[0]
        unions = wards_units.get(current.federation_id, {}).get(_key(ward), [])
        if len(unions) != 1:
            reason = (
                f"Chưa có công đoàn {ward} đang hoạt động: hãy thành lập (hoặc chọn đơn vị phục "
                "vụ phường/xã này)."
                if not unions
                else f"Có {len(unions)} đơn vị mang tên {ward}: hãy chọn bằng tay."
            )
            result.unproposed.append(WardProposal(**base, ward=ward, reason=reason))
            continue
        target = unions[0]
        if target.pk == current.pk:
            result.already += 1
            continue
        result.proposed.append(
            WardProposal(**base, ward=ward, unit_code=target.code, unit_name=target.name)
        )
    return result
