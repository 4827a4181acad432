from .scope import scope_for


def user_scope(request):
    """The user's scope, for menus (what to show, never what to allow)."""
    return {"scope": scope_for(getattr(request, "user", None))}
