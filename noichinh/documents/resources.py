from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area
from noichinh.core.permissions import ALL_ROLES, Role
from noichinh.core.resources import ModelResource, YearFilter, register
from noichinh.core.scoping import can

from . import services
from .choices import DocumentFormat
from .forms import DocumentForm
from .models import Document, DocumentType, Issuer, Term

CATALOGUE_PERMISSIONS = {
    "view": ALL_ROLES,
    "add": {Role.SYSTEM_ADMIN},
    "change": {Role.SYSTEM_ADMIN},
    "delete": {Role.SYSTEM_ADMIN},
}


class DocumentFilterSet(django_filters.FilterSet):
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=DocumentFormat.choices, empty_label=_("All")
    )
    type_code = django_filters.CharFilter(label=_("Type"), lookup_expr="iexact")
    issuer_code = django_filters.CharFilter(label=_("Issuer"), lookup_expr="iexact")
    year = YearFilter(label=_("Year issued"), field_name="issue_date__year")
    has_conflict = django_filters.BooleanFilter(label=_("Number conflict"))
    issued_after = django_filters.DateFilter(
        label=_("Issued from"), field_name="issue_date", lookup_expr="gte"
    )
    issued_before = django_filters.DateFilter(
        label=_("Issued until"), field_name="issue_date", lookup_expr="lte"
    )

    class Meta:
        model = Document
        fields = [
            "format",
            "type_code",
            "issuer_code",
            "year",
            "has_conflict",
            "issued_after",
            "issued_before",
        ]


@register
class DocumentResource(ModelResource):
    model = Document
    form = DocumentForm
    fields = ("unit", "code", "issue_date", "title", "summary", "file", "implements", "references")
    list_columns = ("code", "issue_date", "title", "issuer_code", "unit")
    detail_fields = (
        "code",
        "format",
        "doc_type",
        "issuer",
        "issue_date",
        "title",
        "summary",
        "term",
        "implements",
        "unit",
        "has_conflict",
    )
    filterset = DocumentFilterSet
    search_fields = ("code", "title", "summary", "issuer_code", "type_code")
    sortable = ("code", "issue_date", "title")
    ordering = ("-issue_date", "-id")
    import_fields = ("unit", "code", "issue_date", "title", "summary")
    natural_keys = {"unit": "code"}
    select_related = ("unit", "doc_type", "issuer", "term", "implements")
    url_prefix = ""
    area = "documents"

    @classmethod
    def prepare_write(cls, instance: models.Model) -> None:
        assert isinstance(instance, Document)
        services.document_prepare(instance)

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        assert isinstance(instance, Document)
        exists = Document.objects.filter(pk=instance.pk).exists()
        services.conflicts_refresh(
            instance.conflict_key() if exists else None, services.key_from_snapshot(before)
        )
        if exists:  # the flag was written with update(): keep the caller's copy right
            instance.has_conflict = Document.objects.get(pk=instance.pk).has_conflict
        services.citations_sync(instance, [instance.summary])


class _Catalogue(ModelResource):
    permissions = CATALOGUE_PERMISSIONS
    list_columns = ("code", "name", "unit")
    search_fields = ("code", "name")
    sortable = ("code", "name")
    ordering = ("code",)
    select_related = ("unit",)
    area = "documents"


@register
class DocumentTypeResource(_Catalogue):
    model = DocumentType
    fields = ("unit", "code", "name")
    url_prefix = "loai/"


@register
class IssuerResource(_Catalogue):
    model = Issuer
    fields = ("unit", "code", "name")
    url_prefix = "co-quan-ban-hanh/"


@register
class TermResource(ModelResource):
    model = Term
    fields = ("unit", "name", "starts_on")
    list_columns = ("name", "starts_on", "unit")
    search_fields = ("name",)
    sortable = ("name", "starts_on")
    ordering = ("-starts_on",)
    select_related = ("unit",)
    permissions = CATALOGUE_PERMISSIONS
    url_prefix = "nhiem-ky/"
    area = "documents"


register_area(
    Area(
        "documents",
        _("Documents"),
        "documents:document_list",
        80,
        lambda user: can(user, "view", Document),
    )
)
