"""The API base: the same gate and the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from .audit import snapshot
from .resources import ModelResource
from .scoping import ScopedQuerySet, restrict_choice
from .services import object_create, object_delete, object_update

ACTION_MAP = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class ScopedModelSerializer(serializers.ModelSerializer):
    """Limits every related-object choice to what the user may use for this write."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        action = "change" if self.instance is not None else "add"
        for name, field in self.fields.items():
            # many=True wraps the related field
            target: Any = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is not None and isinstance(queryset.all(), ScopedQuerySet):
                model = self.Meta.model
                target.queryset = restrict_choice(queryset.all(), request.user, action, model, name)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Run the model's own validation so the API and the pages refuse the same input.
        model: Any = self.Meta.model
        instance = self.instance or model()
        plain = {k: v for k, v in attrs.items() if not isinstance(v, list)}
        for key, value in plain.items():
            setattr(instance, key, value)
        try:
            exclude = [*self._m2m_names(model), *getattr(self.Meta, "full_clean_exclude", ())]
            instance.full_clean(exclude=exclude)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs

    @staticmethod
    def _m2m_names(model: Any) -> list[str]:
        return [f.name for f in model._meta.many_to_many]


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A viewset whose every query goes through the gate, and every write through a service."""

    resource: type[ModelResource]

    def get_queryset(self) -> Any:
        action = ACTION_MAP.get(self.action or "", "view")
        queryset = self.resource.model.objects.restrict(self.request.user, action)  # type: ignore[attr-defined]
        if self.resource.select_related:
            queryset = queryset.select_related(*self.resource.select_related)
        return queryset.order_by(*self.resource.ordering)

    def perform_create(self, serializer: Any) -> None:
        m2m: dict[str, Any] = {
            k: v for k, v in serializer.validated_data.items() if isinstance(v, list)
        }
        plain = {k: v for k, v in serializer.validated_data.items() if k not in m2m}
        instance = object_create(
            user=self.request.user, instance=self.resource.new_instance(plain), m2m=m2m
        )
        serializer.instance = instance

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        before = snapshot(instance)
        m2m: dict[str, Any] = {
            k: v for k, v in serializer.validated_data.items() if isinstance(v, list)
        }
        for key, value in serializer.validated_data.items():
            if key not in m2m:
                setattr(instance, key, value)
        object_update(user=self.request.user, instance=instance, before=before, m2m=m2m)

    def perform_destroy(self, instance: Any) -> None:
        reason = self.request.query_params.get("reason", "") or self.request.data.get("reason", "")
        object_delete(user=self.request.user, instance=instance, reason=str(reason))


def viewset_for(resource: type[ModelResource]) -> type[ScopedModelViewSet]:
    writes = ["get", "post", "put", "patch", "delete", "head", "options"]
    methods = writes if resource.generic_write else ["get", "head", "options"]
    if "delete" not in resource.actions():
        methods = [m for m in methods if m != "delete"]
    attrs = {
        "resource": resource,
        "serializer_class": resource.get_serializer_class(),
        "filterset_class": resource.get_filterset_class(),
        "http_method_names": methods,
        # The schema generator reads this; requests go through get_queryset (the gate).
        "queryset": resource.model._default_manager.none(),
    }
    return type(f"{resource.model.__name__}ViewSet", (ScopedModelViewSet,), attrs)


router = DefaultRouter()


def register_api(resource: type[ModelResource], prefix: str, viewset: Any = None) -> None:
    router.register(
        prefix,
        viewset or viewset_for(resource),
        basename=resource.api_basename or resource.model_name(),
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """4xx with a reason for every refusal; Django's own exceptions become DRF's."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("You may not do this."))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, ProtectedError):
        exc = exceptions.ValidationError(
            {"detail": _("This record cannot be deleted: other records refer to it.")}
        )
    return drf_exception_handler(exc, context)
