"""View mixins of the one door: every view gets its objects through the model's scoped
queryset, and anything out of scope answers 404."""

from typing import TYPE_CHECKING, Protocol, cast

from django.db.models import Model, QuerySet
from django.http import Http404

from .scope import scope_for

if TYPE_CHECKING:
    from django.views import View

    _View = View  # what the mixins are mixed into, for the type checker
else:
    _View = object


class _ScopedManager(Protocol):
    def for_user(self, user) -> QuerySet: ...

    def editable_by(self, user) -> QuerySet: ...


class ScopedQuerysetMixin(_View):
    """Objects come from `model.objects.for_user(user)`; anything else answers 404.

    Set `scope_action = "change"` on views that write: they then use `editable_by(user)`.
    """

    scope_action = "view"
    model: type[Model]

    def get_queryset(self):
        manager = cast(_ScopedManager, self.model._default_manager)
        if self.scope_action == "view":
            return manager.for_user(self.request.user)
        return manager.editable_by(self.request.user)


class RegisterWriterRequiredMixin(_View):
    """Views that create in the registers: only officers and admins; others get 404."""

    def dispatch(self, request, *args, **kwargs):
        if not scope_for(request.user).can_write_registers:
            raise Http404("Không có quyền.")
        return super().dispatch(request, *args, **kwargs)
