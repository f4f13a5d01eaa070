"""Rules of the registry: reading the code into fields, the congress term, number conflicts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from noichinh.core.scoping import Scope

from .choices import DocumentFormat
from .codes import CodeError, ParsedCode, parse_code
from .models import Document, DocumentType, Issuer, Term


def catalogue() -> tuple[list[str], list[str]]:
    return (
        list(DocumentType.objects.values_list("code", flat=True)),
        list(Issuer.objects.values_list("code", flat=True)),
    )


def code_parse(text: str) -> ParsedCode:
    types, issuers = catalogue()
    return parse_code(text, types=types, issuers=issuers)


def term_for(*, unit: Any, day: Any) -> Term | None:
    """The congress term in force on `day` for `unit`: the nearest unit up the tree (itself
    first) that defines terms decides."""
    own_and_above = [*Scope.of([unit.path]).ancestor_paths(), unit.path]
    return (
        Term.objects.filter(unit__path__in=own_and_above, starts_on__lte=day)
        .order_by("-unit__depth", "-starts_on")
        .first()
    )


def document_prepare(document: Document) -> ParsedCode:
    """Fill number, type, issuer and term from the code (raises ValidationError on bad input)."""
    try:
        parsed = code_parse(document.code)
    except CodeError as error:
        raise ValidationError({"code": str(error)}) from error
    document.code = parsed.canonical
    document.format = parsed.format
    document.number = parsed.number
    document.number_value = parsed.number_value
    document.year = parsed.year
    document.type_code = parsed.type_code
    document.issuer_code = parsed.issuer_code
    document.doc_type = DocumentType.objects.filter(code=parsed.type_code).first()
    document.issuer = Issuer.objects.filter(code=parsed.issuer_code).first()
    if document.issue_date and document.unit_id:
        document.term = term_for(unit=document.unit, day=document.issue_date)
    if parsed.year and document.issue_date and parsed.year != document.issue_date.year:
        raise ValidationError(
            {
                "issue_date": _("The year in the code (%(year)s) differs from the issue date.")
                % {"year": parsed.year}
            }
        )
    return parsed


def _group(key: tuple[Any, ...]) -> Any:
    unit_id, fmt, type_code, issuer_code, number_value, (_kind, value) = key
    same = Document.objects.filter(
        unit_id=unit_id,
        format=fmt,
        type_code=type_code,
        issuer_code=issuer_code,
        number_value=number_value,
    )
    if fmt == DocumentFormat.PARTY:
        return same.filter(term_id=value)
    return same.filter(Q(year=value) | Q(year__isnull=True, issue_date__year=value))


def conflicts_refresh(*keys: tuple[Any, ...] | None) -> None:
    """Flag every document of a group that holds the same number twice with a different date or
    title (one registry, one issuer, one term); clear the flag where that no longer holds.
    A derived flag, written with update() and not audited: the documents' own writes are."""
    for key in {k for k in keys if k is not None}:
        group = _group(key)
        distinct = set(group.values_list("issue_date", "title"))
        conflicting = len(distinct) > 1
        group.exclude(has_conflict=conflicting).update(has_conflict=conflicting)


def key_from_snapshot(before: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if not before or not before.get("format"):
        return None
    probe = Document(
        unit_id=before["unit_id"],
        format=before["format"],
        type_code=before["type_code"],
        issuer_code=before["issuer_code"],
        number_value=before["number_value"],
        year=before.get("year"),
        term_id=before.get("term_id"),
    )
    issue = before.get("issue_date")
    if issue:
        import datetime as dt

        probe.issue_date = dt.date.fromisoformat(issue)
    return probe.conflict_key()


def document_conflicts(document: Document, user: Any) -> Any:
    """The other documents that share this one's number in its group, as the user may see."""
    return (
        _group(document.conflict_key())
        .exclude(pk=document.pk)
        .filter(pk__in=Document.objects.restrict(user, "view").values("pk"))
    )
