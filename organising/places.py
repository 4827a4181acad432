"""Communes and wards after the 2025 reform, from the `vietnam-provinces` package."""

from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, Ward

from unionportal.text import fold


@cache
def _wards() -> dict[int, tuple[str, str]]:
    provinces = {int(p.code): p.name for p in Province.iter_all()}
    return {int(w.code): (w.name, provinces.get(int(w.province_code), "")) for w in Ward.iter_all()}


def ward_exists(code: int) -> bool:
    return code in _wards()


def ward_name(code: int | None) -> str:
    """'Phường Thanh Xuân, Thành phố Hà Nội' ('' when unknown or empty)."""
    if code is None:
        return ""
    found = _wards().get(code)
    return f"{found[0]}, {found[1]}" if found else ""


@cache
def _by_name() -> dict[str, list[int]]:
    names: dict[str, list[int]] = {}
    for code, (name, _province) in _wards().items():
        names.setdefault(fold(name), []).append(code)
    return names


def ward_codes_named(name: str) -> list[int]:
    """Codes of the wards called `name` ('Phường Thanh Xuân'; accents and case ignored)."""
    return _by_name().get(fold(name), [])
