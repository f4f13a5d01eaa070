"""The document registry: what directs the work, identified by its number and symbol.

Catalogues (types, issuers, congress terms) are data owned by a unit, usually the central
commission; like documents, they are read by every unit below their owner
(`scope_view_ancestors`): a central plan is read by the provinces that implement it.
"""

from __future__ import annotations

import os
from typing import ClassVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import UnitOwned

from .choices import DocumentFormat

ALLOWED_FILES = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "jpg", "jpeg", "png", "zip"]


class DocumentType(UnitOwned):
    code = models.CharField(
        _("abbreviation"),
        max_length=20,
        unique=True,
        help_text=_("As written in codes, e.g. KH, HD, QĐi, NĐ."),
    )
    name = models.CharField(_("name"), max_length=150)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Issuer(UnitOwned):
    code = models.CharField(
        _("abbreviation"),
        max_length=30,
        unique=True,
        help_text=_("As written in codes, e.g. BNCTW, TU, CP."),
    )
    name = models.CharField(_("name"), max_length=255)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["code"]
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Term(UnitOwned):
    """A congress term: Party document numbers restart with each. A unit's own terms (its
    provincial congress) take precedence over those of the units above it."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("congress term")
        verbose_name_plural = _("congress terms")
        constraints = [
            models.UniqueConstraint(fields=["unit", "starts_on"], name="term_unique_start")
        ]

    def __str__(self) -> str:
        return self.name


def document_upload_to(instance: Document, filename: str) -> str:
    base = os.path.basename(filename)[-120:]
    return f"documents/{instance.issue_date:%Y}/{base}"


class Document(UnitOwned):
    code = models.CharField(
        _("number and symbol"),
        max_length=60,
        db_index=True,
        help_text=_(
            "e.g. 15-KH/BNCTW or 47/2021/NĐ-CP; the number, type and issuer are read from it."
        ),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=DocumentFormat.choices, editable=False
    )
    number = models.CharField(_("number"), max_length=10, editable=False)
    number_value = models.PositiveIntegerField(editable=False, default=0)
    year = models.PositiveSmallIntegerField(
        _("year in the code"), null=True, blank=True, editable=False
    )
    type_code = models.CharField(_("type"), max_length=20, editable=False)
    doc_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("document type"),
    )
    issuer_code = models.CharField(_("issuer"), max_length=30, editable=False)
    issuer = models.ForeignKey(
        Issuer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("issuing body"),
    )
    issue_date = models.DateField(_("issue date"))
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        blank=True,
        max_length=255,
        validators=[FileExtensionValidator(ALLOWED_FILES)],
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("congress term"),
    )
    implements = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implemented_by",
        verbose_name=_("implements"),
        help_text=_(
            "The document this one carries out, e.g. the central plan a provincial plan implements."
        ),
    )
    references = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="referenced_by",
        verbose_name=_("related documents"),
    )
    has_conflict = models.BooleanField(_("number conflict"), default=False, editable=False)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["-issue_date", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["unit", "type_code", "issuer_code", "number_value"])]

    def __str__(self) -> str:
        day = self.issue_date
        return f"{self.code} ({day.day}/{day.month}/{day.year})"

    def conflict_key(self) -> tuple[object, ...]:
        """Numbers restart with each Party congress term, each calendar year for State
        documents without the year in the code; the year in the code otherwise."""
        if self.format == DocumentFormat.PARTY:
            period: object = ("term", self.term_id)
        elif self.year:
            period = ("year", self.year)
        else:
            period = ("year", self.issue_date.year)
        return (
            self.unit_id,
            self.format,
            self.type_code,
            self.issuer_code,
            self.number_value,
            period,
        )


class Citation(UnitOwned):
    """A record of another area citing a document with an issue date ("01-HD/BNCTU ngày
    9/5/2023"). Read from the citing record's text when it is saved (`citations_sync`), so
    the registry can flag a cited date that differs from the registered one. Owned by the
    citing record's unit; the citing record is referred to generically (documents import no
    area that cites them)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="citations", verbose_name=_("document")
    )
    cited_date = models.DateField(_("cited issue date"))
    excerpt = models.CharField(_("as written"), max_length=200, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["document", "cited_date", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "document", "cited_date"],
                name="citation_unique_date",
            )
        ]

    def __str__(self) -> str:
        day = self.cited_date
        return f"{self.document.code} ngày {day.day}/{day.month}/{day.year}"
