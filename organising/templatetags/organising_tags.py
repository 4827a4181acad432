"""The CĐCS page's link to its employer's enterprise, without grassroots importing organising:
templates/grassroots/grassrootsunion_detail.html has one `{% include %}` of
organising/_grassroots_employer.html, which calls this tag."""

from django import template

from ..models import Enterprise

register = template.Library()


@register.simple_tag
def grassroots_employer(grassroots, user):
    """The enterprise with the CĐCS's tax code, if the user may see it (else None)."""
    if not grassroots.tax_code:
        return None
    return (
        Enterprise.objects.for_user(user)
        .filter(full_tax_code=grassroots.tax_code)
        .select_related("recruited_by")
        .first()
    )
