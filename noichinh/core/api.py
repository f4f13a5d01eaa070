"""The API base: the same gate and the same services as the pages."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from .audit import snapshot
from .models import Versioned
from .resources import ModelResource
from .scoping import ScopedQuerySet, restrict_choice
from .services import (
    StaleVersion,
    object_create,
    object_delete,
    object_update,
    stale_changes,
    stale_message,
)

VERSION_FIELD = "version"


class Conflict(exceptions.APIException):
    """409: the record changed since the version the client sent (body `version` or If-Match)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data["detail"])
        self.data = data  # answered as is (APIException would turn numbers into strings)


def is_versioned(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, Versioned)


def etag(instance: Any) -> str:
    return f'"{instance.version}"'


def if_match_version(request: Request) -> int | None:
    """The version named by an If-Match header ("3", W/"3"); None without one or for "*"."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    tag = raw.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise exceptions.ValidationError({"If-Match": [_("Not a version this API returned.")]})
    return int(tag)


ACTION_MAP = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def _model_field(model: Any, source: str) -> Any:
    if not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except Exception:
        return None


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

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        model: Any = self.Meta.model
        for name, field in fields.items():
            if isinstance(field, serializers.FileField) and not field.read_only:
                # GET answers null for no file; a PUT of that answer keeps the file as it is.
                field.allow_null = True
            stored = _model_field(model, str(field.source or name))
            if stored is None:
                continue
            # Declare what the answers hold: read-only fields lose blank and null on the way
            # ("" for no choice yet, null for no date), and the schema then refused them.
            if getattr(stored, "null", False):
                field.allow_null = True
            if isinstance(field, serializers.ChoiceField) and getattr(stored, "blank", False):
                field.allow_blank = True
        if is_versioned(self.Meta.model):
            fields[VERSION_FIELD] = serializers.IntegerField(
                required=False,
                min_value=1,
                help_text=_(
                    "The record's version, one more at each save. Send back the version you "
                    "read (or an If-Match header with the ETag) and a change saved meanwhile "
                    "answers 409 instead of being overwritten; without one the change applies "
                    "to the current version."
                ),
            )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Run the model's own validation so the API and the pages refuse the same input.
        model: Any = self.Meta.model
        for name, field in self.fields.items():
            if isinstance(field, serializers.FileField) and name in attrs and attrs[name] is None:
                del attrs[name]
        # A copy: the audit's "before" of an update is taken from the unchanged instance.
        instance = copy.copy(self.instance) if self.instance is not None else model()
        plain = {k: v for k, v in attrs.items() if not isinstance(v, list) and k != VERSION_FIELD}
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

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        return self._with_etag(response)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().update(request, *args, **kwargs)
        return self._with_etag(response)

    def _with_etag(self, response: Response) -> Response:
        version = response.data.get(VERSION_FIELD) if isinstance(response.data, dict) else None
        if isinstance(version, int):
            response["ETag"] = f'"{version}"'
        return response

    def perform_create(self, serializer: Any) -> None:
        serializer.validated_data.pop(VERSION_FIELD, None)
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
        expected = self.expected_version(serializer)
        before = snapshot(instance)
        m2m: dict[str, Any] = {
            k: v for k, v in serializer.validated_data.items() if isinstance(v, list)
        }
        for key, value in serializer.validated_data.items():
            if key not in m2m:
                setattr(instance, key, value)
        with self.refusing_stale():
            object_update(
                user=self.request.user,
                instance=instance,
                before=before,
                m2m=m2m,
                expected_version=expected,
            )

    def expected_version(self, serializer: Any) -> int | None:
        """The version the client started from: the body's `version`, else If-Match."""
        body = serializer.validated_data.pop(VERSION_FIELD, None)
        header = if_match_version(self.request)
        return body if body is not None else header

    @contextlib.contextmanager
    def refusing_stale(self) -> Iterator[None]:
        """Turn StaleVersion into a 409 naming the fields changed meanwhile and their values."""
        try:
            yield
        except StaleVersion as error:
            raise self.conflict(error) from error

    def conflict(self, error: StaleVersion) -> Conflict:
        fresh = type(error.instance)._default_manager.get(pk=error.instance.pk)
        shown = self.get_serializer(fresh).data
        changed = {
            name: {"label": label, "value": shown.get(name), "text": text}
            for name, label, text in stale_changes(error, self.request.user)
            if name in shown
        }
        return Conflict(
            {
                "detail": stale_message(error, self.request.user, page=False),
                "version": error.current,
                "changed": changed,
            }
        )

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
    if isinstance(exc, Conflict):
        return Response(exc.data, status=exc.status_code)
    return drf_exception_handler(exc, context)
