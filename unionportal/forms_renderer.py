"""The form renderer (settings.FORM_RENDERER): Django's, with plain <select>s written in Python.

Django renders every <option> of a select through two templates (the option and its
attributes): 15 ms for the 119 CĐCS of a ward union's drop-down, a sixth of the member search
and a third of the admission form under the load test (tests/load). The markup is the same as
Django's templates give (`django/forms/widgets/select.html`, `select_option.html`,
`attrs.html`): the same bytes, same attributes in the same order, same escaping, values not localized, labels
localized as a template would. Any other widget, or a select whose options use another
template, goes through the templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(_as_str(value))}"')
    return "".join(parts)


def _as_str(value) -> str:
    """`|stringformat:'s'`: str(), keeping a safe string safe."""
    return value if isinstance(value, str) else str(value)


def _label(value) -> str:
    """`{{ widget.label }}`: localized (numbers, dates) and escaped as a template does."""
    if not isinstance(value, str):
        value = localize(value)
    return conditional_escape(value)


def select_html(widget: dict) -> SafeString | None:
    """The select.html markup of a widget context, or None when an option has its own template."""
    lines = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None
            lines.append(
                f'\n  <option value="{conditional_escape(_as_str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{_label(option['label'])}</option>\n"
            )
        if group_name:
            lines.append("\n  </optgroup>")
    lines.append("\n</select>")
    return mark_safe("".join(lines))  # every value above is escaped


class FormRenderer(DjangoTemplates):
    """Django's default renderer, but plain selects are rendered without templates."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and "widget" in context:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
