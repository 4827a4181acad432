"""The late-reports box on the federation's home page (the dashboard in reports/ shows it
without importing this app: the template loads the tag)."""

from django import template
from django.utils import timezone

from ..national import federation_status
from ..selectors import late_units

register = template.Library()


@register.inclusion_tag("approvals/_late_units.html")
def late_units_box(federation) -> dict:
    """Units of `federation` whose period reports are past the deadline and not sent."""
    return {"late": late_units(federation, timezone.localdate()), "federation": federation}


@register.inclusion_tag("approvals/_federation_status.html")
def federation_report_box(federation) -> dict:
    """The federation's own reports to the national level: state and deadline (home page)."""
    return {
        "lines": federation_status(federation, timezone.localdate()),
        "federation": federation,
    }
