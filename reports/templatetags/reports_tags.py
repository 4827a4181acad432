"""Number formats of the dashboards, the way officers write them (see reports.progress)."""

import html

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from grassroots.indicators import CORE_CODES, Indicator, indicators
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
def growth(row, name: str) -> str:
    """A figure's change on the same period last year: `+120`, `-15`, `0`; `–` without it."""
    if row.last_year is None:
        return "–"
    change = getattr(row.figures, name) - getattr(row.last_year, name)
    return f"+{format_int(change)}" if change > 0 else format_int(change)


@register.filter
def lookup(mapping, key):
    """`mapping[key]` in a template (None when missing)."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def indicator_cells(progress, url):
    """The three cells of one indicator: achieved (a link to the list behind it), target,
    percentage with its band (colour class, text mark, label for screen readers).

    Built in Python, with plain strings (the same HTML as `format_html`, escaped by the same
    `html.escape`): a dashboard row has up to ten of them, and 100 rows of nested includes or
    30.000 `format_html` arguments cost more than the database work of the whole page.
    """
    band = progress.band
    label = _escape(band.label)
    mark = (
        f'<span class="band-mark" aria-hidden="true">{_escape(band.mark)}</span> '
        if progress.has_target
        else ""
    )
    return mark_safe(
        f"{_linked_number(url, progress.achieved)}"
        f'<td class="table-num">{_escape(progress.target_text)}</td>'
        f'<td class="table-num band band-{_escape(band.value)}" title="{label}">{mark}'
        f"{_escape(progress.percent_text)}"
        f'<span class="visually-hidden"> ({label})</span></td>'
    )


def _escape(text) -> str:
    return html.escape(str(text))


def _linked_number(url: str | None, value: int):
    """A number cell, linked to the list behind it (not on the national total: no list)."""
    if not url:
        return mark_safe(f'<td class="table-num">{_escape(format_int(value))}</td>')
    return mark_safe(
        f'<td class="table-num"><a href="{_escape(url)}">{_escape(format_int(value))}</a></td>'
    )


@register.simple_tag
def further_indicators() -> list[Indicator]:
    """The declared indicators after the first three: the dashboard's further columns."""
    return [i for i in indicators() if i.code not in CORE_CODES]


@register.simple_tag
def progress_row(line, css_class: str = ""):
    """One dashboard row (`line` = {"row": ProgressRow, "links": {...}}): the unit's name
    (a link to its own dashboard when it has one) and every number linked to its list."""
    row, links = line["row"], line["links"]
    # The short name in the cell, the full one on hover; exports keep the full name.
    title = format_html(' title="{}"', row.name) if row.label != row.name else ""
    if links.get("unit"):
        name = format_html('<a href="{}"{}>{}</a>', links["unit"], title, row.label)
    elif title:
        name = format_html("<span{}>{}</span>", title, row.label)
    else:
        name = row.name
    if row.note:  # a unit with part of the period: "kết thúc 30/06/2025", "từ 01/10/2025"
        name = format_html(
            '{} <small class="unit-note text-body-secondary">({})</small>', name, row.note
        )
    figures = row.figures
    cells = [
        indicator_cells(row.new_members, links.get("new_members")),
        indicator_cells(row.new_grassroots, links.get("new_grassroots")),
        indicator_cells(row.new_grassroots_25plus, links.get("new_grassroots_25plus")),
        _linked_number(links.get("left_members"), figures.left_members),
        format_html('<td class="table-num">{}</td>', format_int(figures.net_members)),
        _linked_number(links.get("members_total"), figures.members_total),
        _linked_number(links.get("grassroots_total"), figures.grassroots_total),
        # The declared indicators after the first three, linked to their records' list.
        *(indicator_cells(progress, links.get(i.code)) for i, progress in row.further_indicators),
    ]
    return format_html(
        '<tr data-unit="{}"{}><th scope="row" class="unit-cell">{}</th>{}</tr>',
        row.code,
        format_html(' class="{}"', css_class) if css_class else "",
        name,
        mark_safe("".join(cells)),  # each cell was built by format_html
    )


@register.simple_tag
def chart_bars(chart):
    """The bars of a `reports.charts.BarChart` (label, bar with a tooltip, value)."""
    label_x = chart.label_width - 6
    return format_html_join(
        "\n",
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="chart-bar band-{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
        '<text class="chart-value" x="{}" y="{}">{}{}</text>',
        (
            (
                label_x,
                bar.y + 12,
                bar.label if len(bar.label) <= 34 else bar.label[:33] + "…",
                bar.band.value,
                chart.label_width,
                bar.y,
                bar.width,
                chart.bar_height,
                bar.label,
                bar.value_text,
                bar.text_x,
                bar.y + 12,
                "" if bar.band.value == "no-target" else f"{bar.band.mark} ",
                bar.value_text,
            )
            for bar in chart.bars
        ),
    )
