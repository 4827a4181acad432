"""`{% headroom_block dashboard %}`: the headroom block of a federation or unit dashboard
(reports/headroom.py, templates/reports/_headroom.html), one line in each dashboard template."""

from django import template
from django.utils import timezone

from ..headroom import dashboard_headroom

register = template.Library()


@register.inclusion_tag("reports/_headroom.html")
def headroom_block(dashboard) -> dict:
    """One query (the kept per-unit counts); nothing on a past year's dashboard."""
    today = timezone.localdate()
    if hasattr(dashboard, "rows"):  # a federation's dashboard: its units and their sum
        block = dashboard_headroom(
            dashboard.rows,
            dashboard.federation_total or dashboard.units_total,
            dashboard.period,
            today,
            dashboard.federation.pk,
        )
    else:  # one unit's dashboard
        block = dashboard_headroom([dashboard.row], None, dashboard.period, today)
    return {"block": block}
