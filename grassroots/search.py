"""Type-to-search when an officer picks a CĐCS (admit, transfer, rejoin), with and without
JavaScript (issue 13).

The field stays a plain <select> of the CĐCS the user may pick (validation always reads the
whole scoped queryset). Above it, a search box:

- with JavaScript, htmx asks `grassroots:grassroots-search` (GET, scoped like the form: another
  unit's CĐCS are never answered) for the matching <option>s and swaps them into the select;
  one match is selected;
- without JavaScript, the "Tìm" button posts the form with `action=tim-cdcs`: the view
  (`GrassrootsSearchMixin`) shows the same form again, every typed value kept, nothing saved,
  the select narrowed to the matches.

A hidden `cdcs_q_done` holds the query the select shows. Enter pressed in any other box submits
the first submit button of the form, which is "Tìm": when the search box holds no new query the
submission is taken as a save, so Enter still saves.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views import View

from unionportal.text import clean_text, parse_id

from .access import ScopeKind, scope_for
from .models import GrassrootsUnion

QUERY = "cdcs_q"
QUERY_DONE = "cdcs_q_done"
SEARCH_ACTION = "tim-cdcs"
# What an officer reads in one go; a longer answer says to type more.
SEARCH_LIMIT = 30
WRITE, READ = "ghi", "xem"


def grassroots_choices(user, scope: str, *, exclude: int | None = None, query: str = ""):
    """Active CĐCS the user may pick: those they may write in ("ghi", admission and rejoin) or
    those they see ("xem", the destination of a transfer), in Vietnamese order."""
    base = GrassrootsUnion.objects
    queryset = base.editable_by(user) if scope == WRITE else base.for_user(user)
    queryset = queryset.filter(dissolved_on__isnull=True).select_related("district_union")
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text; no name holds one
    if query:
        queryset = queryset.search(query)
    return queryset.vi_ordered(indexed=not query)


def search_requested(data) -> bool:
    """A no-JavaScript search: "Tìm" was pressed (or Enter) with a query not searched yet."""
    if data.get("action") != SEARCH_ACTION:
        return False
    return clean_text(data.get(QUERY, "")) != clean_text(data.get(QUERY_DONE, ""))


class GrassrootsSearchSelect(forms.Select):
    """The select with its search box, its "Tìm" button and the htmx attributes."""

    def __init__(self, *, scope: str, exclude: int | None = None, attrs=None):
        super().__init__(attrs)
        self.scope = scope
        self.exclude = exclude
        self.query = ""
        self.note = ""
        self.autofocus = False

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        select_id = (attrs or {}).get("id") or f"id_{name}"
        params = {"pham_vi": self.scope, "ten": name}
        if self.exclude is not None:
            params["tru"] = str(self.exclude)
        url = f"{reverse('grassroots:grassroots-search')}?{urlencode(params)}"
        return format_html(
            '<div class="cdcs-search" data-cdcs-search>'
            '<div class="input-group mb-1">'
            '<input type="search" name="{q}" id="id_{q}" value="{query}" class="form-control"'
            ' placeholder="Gõ mã hoặc tên CĐCS để tìm" aria-label="Tìm CĐCS theo mã hoặc tên"'
            ' autocomplete="off"{autofocus} hx-get="{url}" hx-trigger="input changed delay:250ms, search"'
            ' hx-target="#{select_id}" hx-swap="innerHTML" hx-include="#{select_id}"'
            ' hx-sync="this:replace">'
            '<button type="submit" name="action" value="{action}" formnovalidate'
            ' class="btn btn-outline-secondary" data-cdcs-search-button>Tìm</button>'
            "</div>"
            '<input type="hidden" name="{done}" id="id_{done}" value="{query}">'
            '<div class="form-text cdcs-search-note" id="cdcs-search-note" aria-live="polite">'
            "{note}</div>"
            "{select}</div>",
            q=QUERY,
            done=QUERY_DONE,
            query=self.query,
            url=url,
            select_id=select_id,
            action=SEARCH_ACTION,
            note=self.note,
            select=select,
            autofocus=mark_safe(" autofocus") if self.autofocus else "",
        )


def _note(count: int, query: str) -> str:
    if not query:
        return ""
    if count == 0:
        return f"Không có CĐCS nào khớp với “{query}” trong đơn vị của bạn."
    if count > SEARCH_LIMIT:
        return f"Có hơn {SEARCH_LIMIT} CĐCS khớp: hiện {SEARCH_LIMIT} CĐCS đầu, gõ thêm để thu hẹp."
    return f"{count} CĐCS khớp với “{query}”."


def setup_search_field(
    form: forms.BaseForm,
    name: str,
    *,
    user,
    scope: str,
    exclude: int | None = None,
    autofocus: bool = False,
) -> None:
    """Give `form`'s CĐCS field `name` its scoped choices and the search box. When the form
    carries a query (a no-JS search, shown again unbound with the typed values as initial),
    the select lists only the matches (and selects a single one)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = grassroots_choices(user, scope, exclude=exclude)
    widget = GrassrootsSearchSelect(scope=scope, exclude=exclude, attrs=field.widget.attrs)
    widget.autofocus = autofocus
    field.widget = widget
    widget.choices = cast(Any, field.choices)  # the lazy ModelChoiceIterator
    source = form.data if form.is_bound else form.initial
    query = clean_text(source.get(QUERY, ""))
    widget.query = query
    if not query:
        return
    matches = list(
        grassroots_choices(user, scope, exclude=exclude, query=query)[: SEARCH_LIMIT + 1]
    )
    widget.note = _note(len(matches), query)
    matches = matches[:SEARCH_LIMIT]
    chosen = parse_id(source.get(name))
    if len(matches) == 1 and not form.is_bound:
        form.initial[name] = matches[0].pk
    elif chosen is not None and chosen not in {g.pk for g in matches}:
        kept = field.queryset.filter(pk=chosen).first()
        if kept is not None:
            matches.insert(0, kept)
    widget.choices = [("", field.empty_label or ""), *((g.pk, str(g)) for g in matches)]


class GrassrootsSearchMixin:
    """For the views of forms with a CĐCS search field: a no-JS search shows the form again."""

    def post(self, request, *args, **kwargs):
        if not search_requested(request.POST):
            return super().post(request, *args, **kwargs)  # type: ignore[misc]
        self.object = None  # a CreateView's form kwargs read it
        kwargs_form = self.get_form_kwargs()  # type: ignore[attr-defined]
        kwargs_form.pop("data", None)
        kwargs_form.pop("files", None)
        values = {
            k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "action")
        }
        kwargs_form["initial"] = {**kwargs_form.get("initial", {}), **values}
        form = self.get_form_class()(**kwargs_form)  # type: ignore[attr-defined]
        return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]


class GrassrootsSearchView(View):
    """GET /cdcs/tim/?pham_vi=ghi|xem&ten=<field>&tru=<id>&cdcs_q=<query>&<field>=<chosen>:
    the <option>s of the matching CĐCS the user may pick (htmx swaps them into the select).
    Users without a role get 404; another unit's CĐCS are simply not among the answers."""

    def get(self, request):
        user = request.user
        if scope_for(user).kind is ScopeKind.NONE:
            raise Http404("Không có quyền.")
        scope = request.GET.get("pham_vi", WRITE)
        if scope not in (WRITE, READ):
            raise Http404
        name = request.GET.get("ten", "")
        query = clean_text(request.GET.get(QUERY, ""))[:100]
        exclude = parse_id(request.GET.get("tru"))
        chosen = parse_id(request.GET.get(name)) if name else None
        choices = grassroots_choices(user, scope, exclude=exclude, query=query)
        # Without a query (the box emptied) the whole list comes back, as the page first had it.
        found = list(choices[: SEARCH_LIMIT + 1] if query else choices)
        note = _note(len(found), query)
        if query:
            found = found[:SEARCH_LIMIT]
        if query and len(found) == 1:
            chosen = found[0].pk
        return TemplateResponse(
            request,
            "grassroots/_search_options.html",
            {
                "found": found,
                "chosen": chosen,
                "query": query,
                "note": note,
                "done_name": QUERY_DONE,
            },
        )
