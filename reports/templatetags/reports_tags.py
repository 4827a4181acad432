"""Number formats of the dashboards, the way officers write them (see reports.progress)."""

from django import template

from reports.progress import format_int, format_pct

register = template.Library()


@register.filter
def vn_int(value) -> str:
    """4550 -> `4.550`; None or "" -> `–`."""
    if value is None or value == "":
        return "–"
    return format_int(int(value))


@register.filter
def vn_pct(value) -> str:
    """Decimal("40.74") -> `40,74%`; Decimal("70.00") -> `70%`; None -> `–`."""
    return format_pct(value)


@register.filter
def share_pct(value) -> str:
    """A fraction 0..1 as a percentage: Decimal("0.25") -> `25%`."""
    return format_pct(None if value is None else value * 100)


@register.filter
def lookup(mapping, key):
    """`mapping[key]` in a template (None when missing)."""
    return mapping.get(key) if mapping else None
