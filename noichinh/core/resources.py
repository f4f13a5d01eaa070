"""Declare a model once; the registry turns it into pages, API, exports and generic tests.

    @register
    class ClusterResource(ModelResource):
        model = Cluster
        fields = ("unit", "code", "name")
        list_columns = ("code", "name", "unit")
        search_fields = ("code", "name")

What a resource does not give is built from `fields`: a ModelForm, a FilterSet and a
serializer. Resources whose writes carry rules set `generic_write = False` and offer their own
service pages (units are reorganised through services, never edited field by field).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db import models
from django.urls import path
from rest_framework import serializers

from .text import fold

ACTIONS = ("list", "add", "detail", "edit", "delete", "export", "import")

FIRST_YEAR, LAST_YEAR = 1900, 2100


class YearField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year between 1900 and 2100: `?year=0`, 99999, 1e9 or "abc" is a filter error on the
    page and a 400 in the API (a `__year` lookup outside 1..9999 raised a 500)."""

    field_class = YearField


class ModelResource:
    model: ClassVar[type[models.Model]]
    fields: ClassVar[Sequence[str]] = ()
    list_columns: ClassVar[Sequence[str]] = ()
    detail_fields: ClassVar[Sequence[str]] = ()
    filter_fields: ClassVar[Sequence[str]] = ()
    search_fields: ClassVar[Sequence[str]] = ()
    sortable: ClassVar[Sequence[str]] = ()
    ordering: ClassVar[Sequence[str]] = ("-id",)
    import_fields: ClassVar[Sequence[str]] = ()
    natural_keys: ClassVar[dict[str, str]] = {}
    permissions: ClassVar[Mapping[str, Iterable[str]]] = {}
    form: ClassVar[type[forms.ModelForm] | None] = None
    create_form: ClassVar[type[forms.ModelForm] | None] = None
    filterset: ClassVar[type[django_filters.FilterSet] | None] = None
    serializer: ClassVar[type[serializers.ModelSerializer] | None] = None
    generic_write: ClassVar[bool] = True
    api: ClassVar[bool] = True
    api_basename: ClassVar[str | None] = None
    url_prefix: ClassVar[str | None] = None
    select_related: ClassVar[Sequence[str]] = ()
    # The area of the side navigation this resource belongs to (see core.navigation).
    area: ClassVar[str] = ""
    # A part of another record (a conclusion of its meeting, an event of its case) names that
    # record's field here and is owned by its unit, whatever the form says.
    owner_via: ClassVar[str] = ""

    @classmethod
    def prepare_write(cls, instance: models.Model) -> None:
        """Fill derived fields before validation (a document's number and type from its code).
        Raise ValidationError({field: message}) for input that cannot be read."""
        if cls.owner_via and getattr(instance, f"{cls.owner_via}_id", None):
            instance.unit = getattr(instance, cls.owner_via).unit  # type: ignore[attr-defined]

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        """Keep derived data of other records right after a save or a delete (before is the
        snapshot before the change; None for a creation)."""

    @classmethod
    def check_write(cls, user: Any, instance: models.Model, action: str) -> None:
        """Rules beyond scope that a write must pass (raise PermissionDenied/ValidationError)."""

    @classmethod
    def row_class(cls, obj: models.Model) -> str:
        """A CSS class for the record's row in lists (the unit tree indents by depth)."""
        return ""

    @classmethod
    def new_instance(cls, data: dict[str, Any]) -> models.Model:
        """A new, unsaved record from validated API data."""
        return cls.model(**data)

    @classmethod
    def list_actions(cls, user: Any) -> list[tuple[str, str, bool]]:
        """Extra buttons on the list page: (label, url, primary)."""
        return []

    # -- names -----------------------------------------------------------------------------
    @classmethod
    def app_label(cls) -> str:
        return cls.model._meta.app_label

    @classmethod
    def model_name(cls) -> str:
        return cls.model._meta.model_name or ""

    @classmethod
    def url_name(cls, action: str) -> str:
        return f"{cls.app_label()}:{cls.model_name()}_{action}"

    @classmethod
    def verbose_name(cls) -> str:
        return str(cls.model._meta.verbose_name)

    @classmethod
    def verbose_name_plural(cls) -> str:
        return str(cls.model._meta.verbose_name_plural)

    @classmethod
    def actions(cls) -> tuple[str, ...]:
        if cls.generic_write:
            allowed = ACTIONS if cls.import_fields else tuple(a for a in ACTIONS if a != "import")
            return allowed
        return ("list", "detail", "export")

    # -- generated parts -------------------------------------------------------------------
    @classmethod
    def get_form_class(cls, mode: str = "edit") -> type[forms.ModelForm]:
        if mode == "add" and cls.create_form is not None:
            return cls.create_form
        if cls.form is not None:
            return cls.form
        return forms.modelform_factory(cls.model, fields=list(cls.fields))

    @classmethod
    def get_filterset_class(cls) -> type[django_filters.FilterSet]:
        if cls.filterset is not None:
            return cls.filterset
        meta = type("Meta", (), {"model": cls.model, "fields": list(cls.filter_fields)})
        return type(f"{cls.model.__name__}FilterSet", (django_filters.FilterSet,), {"Meta": meta})

    @classmethod
    def get_serializer_class(cls) -> type[serializers.ModelSerializer]:
        if cls.serializer is not None:
            return cls.serializer
        from .api import ScopedModelSerializer

        meta = type("Meta", (), {"model": cls.model, "fields": ["id", *cls.fields]})
        return type(f"{cls.model.__name__}Serializer", (ScopedModelSerializer,), {"Meta": meta})

    @classmethod
    def get_detail_fields(cls) -> Sequence[str]:
        return cls.detail_fields or cls.fields

    @classmethod
    def get_list_columns(cls) -> Sequence[str]:
        return cls.list_columns or cls.fields[:5]

    @classmethod
    def get_import_fields(cls) -> Sequence[str]:
        return cls.import_fields

    @classmethod
    def build_search_text(cls, instance: models.Model) -> str:
        parts = []
        for name in cls.search_fields:
            value: Any = instance
            for attr in name.split("__"):
                value = getattr(value, attr, None)
                if value is None:
                    break
            if value is not None:
                parts.append(str(value))
        return fold(" ".join(parts))

    @classmethod
    def urls(cls, overrides: dict[str, Any] | None = None) -> list[Any]:
        """URL patterns `app:model_action` for the resource's actions; `overrides` swaps in a
        subclass of a generic view for one action."""
        from . import views

        prefix = cls.url_prefix if cls.url_prefix is not None else f"{cls.model_name()}s/"
        name = cls.model_name()
        available = cls.actions()
        routes = {
            "list": (prefix, views.ObjectListView),
            "add": (f"{prefix}add/", views.ObjectCreateView),
            "export": (f"{prefix}export/", views.ObjectExportView),
            "import": (f"{prefix}import/", views.ObjectImportView),
            "detail": (f"{prefix}<int:pk>/", views.ObjectDetailView),
            "edit": (f"{prefix}<int:pk>/edit/", views.ObjectEditView),
            "delete": (f"{prefix}<int:pk>/delete/", views.ObjectDeleteView),
        }
        patterns = []
        for action, (route, view) in routes.items():
            if action in available:
                view = (overrides or {}).get(action, view)
                patterns.append(path(route, view.as_view(resource=cls), name=f"{name}_{action}"))
        return patterns


def follow_owner(parts: Any, owner: Any) -> None:
    """Parts of a record (conclusions, milestones, case events) belong to the record's unit:
    keep them there when the record moves. Derived data, written with update(); the record's
    own change is audited."""
    if owner.unit_id:
        parts.exclude(unit_id=owner.unit_id).update(unit_id=owner.unit_id)


class Registry:
    def __init__(self) -> None:
        self._by_model: dict[type[models.Model], type[ModelResource]] = {}

    def register(self, resource: type[ModelResource]) -> type[ModelResource]:
        self._by_model[resource.model] = resource
        return resource

    def for_model(self, model: type[models.Model]) -> type[ModelResource] | None:
        return self._by_model.get(model)

    def all(self) -> list[type[ModelResource]]:
        return list(self._by_model.values())

    def for_app(self, app_label: str) -> list[type[ModelResource]]:
        return [r for r in self._by_model.values() if r.app_label() == app_label]


registry = Registry()
register = registry.register
