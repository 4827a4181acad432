"""The one door for access, in one room.

- `scope.py`: `Scope`, `scope_for(user)` (who may see and change what), `SYSTEM` (the portal
  itself: the command line without --user; `None` is never "everything"), and `scoped(qs, user,
  ...)`, the one filter every scoped QuerySet applies;
- `views.py`: `ScopedQuerysetMixin`, `RegisterWriterRequiredMixin` (404 out of scope);
- `admin.py`: `ScopedAdmin`, `AdminsReadOnlyAdmin` (the admin through the same door);
- `context_processors.py`: the scope for menus.

Every scoped model's QuerySet has `for_user(user)` / `editable_by(user)`, built on `scope_for`.
"""

from .scope import NO_SCOPE, SYSTEM, Scope, ScopeKind, scope_for, scoped

__all__ = ["NO_SCOPE", "SYSTEM", "Scope", "ScopeKind", "scope_for", "scoped"]
