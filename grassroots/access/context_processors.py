from .scope import scope_for

# The product's name as users see it (the Python package stays `unionportal`).
PRODUCT_NAME = "Phát triển Đoàn viên"


def user_scope(request):
    """The user's scope, for menus (what to show, never what to allow); the product name."""
    return {"scope": scope_for(getattr(request, "user", None)), "product_name": PRODUCT_NAME}


# Menu entry of each page: (URL namespace, URL name) -> section; a namespace alone covers all
# of its pages. The menu marks that entry with aria-current="page".
_SECTIONS = {
    ("", "home"): "progress",
    ("", "progress-unit"): "progress",
    ("", "progress-drill"): "progress",
    ("", "reported-entry"): "reported",
    ("", "reported-history"): "progress",
    ("grassroots", "targets"): "targets",
    ("grassroots", ""): "grassroots",
    ("members", ""): "members",
    ("imports", ""): "imports",
    ("plans", ""): "plans",
    ("approvals", ""): "approvals",
    ("guide", ""): "guide",
    ("admin", ""): "admin",
}


def menu_section(request):
    """Which menu entry the current page belongs to (for aria-current and the bold link)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": ""}
    namespace = match.namespace or ""
    section = _SECTIONS.get((namespace, match.url_name or "")) or _SECTIONS.get((namespace, ""))
    return {"nav_section": section or ""}
