"""Page links of the reports' long tables: previous/next, a few numbers, and "go to page N".

The jump is a plain GET form (works without JavaScript) that keeps every other parameter of
the page as hidden fields, so the filters, the period and the sort survive the jump.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.http import QueryDict


@dataclass(frozen=True)
class Pager:
    page: Page
    param: str  # the GET name of the page number ("page", "cdcs_page")
    fragment: str  # where the page opens ("#cdcs"), so the table is in view
    base: QueryDict
    hidden: list[tuple[str, str]] = field(default_factory=list)

    def url(self, number: int) -> str:
        params = self.base.copy()
        params[self.param] = str(number)
        return f"?{params.urlencode()}{self.fragment}"

    @property
    def numbers(self) -> list[dict]:
        """The first, the last and two either side of the current page; gaps as None."""
        last = self.page.paginator.num_pages
        current = self.page.number
        shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        result: list[dict] = []
        previous = 0
        for number in shown:
            if number - previous > 1:
                result.append({"gap": True})
            result.append({"number": number, "url": self.url(number), "current": number == current})
            previous = number
        return result

    @property
    def previous_url(self) -> str:
        return self.url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(self.page.next_page_number()) if self.page.has_next() else ""


def pager_for(query: QueryDict, page: Page, param: str = "page", fragment: str = "") -> Pager:
    """The pager of `page`, keeping every parameter of `query` but its own page number."""
    base = query.copy()
    base.pop(param, None)
    base.pop("export", None)
    hidden = [(key, value) for key, values in base.lists() for value in values]
    return Pager(page, param, fragment, base, hidden)
