"""Rules of the registry: reading the code into fields, the congress term, number conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from noichinh.core.scoping import Scope

from .choices import DocumentFormat
from .codes import CodeError, ParsedCode, find_cited, parse_code
from .models import Citation, Document, DocumentType, Issuer, Term


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
        probe.issue_date = dt.date.fromisoformat(issue)
    return probe.conflict_key()


def document_conflicts(document: Document, user: Any) -> Any:
    """The other documents that share this one's number in its group, as the user may see."""
    return (
        _group(document.conflict_key())
        .exclude(pk=document.pk)
        .filter(pk__in=Document.objects.restrict(user, "view").values("pk"))
    )


# -- citations: the issue date a citing text gives a document --------------------------------


def day_text(day: dt.date) -> str:
    """A date as the pages write it: 9/5/2023."""
    return f"{day.day}/{day.month}/{day.year}"


def document_for_code(code: str, unit: Any) -> Document | None:
    """The document a unit means by a number-and-symbol: its own, else the nearest unit's up
    the tree (numbers restart per issuer, so 01-HD/BNCTU of one province is not another's)."""
    own_and_above = [*Scope.of([unit.path]).ancestor_paths(), unit.path]
    return (
        Document.objects.filter(code=code, unit__path__in=own_and_above)
        .order_by("-unit__depth", "-issue_date", "-id")
        .first()
    )


def citations_sync(record: Any, texts: Iterable[str]) -> None:
    """Keep the citations of `record` equal to the "CODE ngày D/M/YYYY" found in its texts
    (a deleted record keeps none). A derived index, written without audit entries: the
    citing record's own write is audited."""
    content_type = ContentType.objects.get_for_model(type(record))
    existing = Citation.objects.filter(content_type=content_type, object_id=record.pk)
    if not type(record).objects.filter(pk=record.pk).exists():
        existing.delete()
        return
    types, issuers = catalogue()
    wanted: dict[tuple[int, dt.date], str] = {}
    for text in texts:
        for cited in find_cited(text or "", types=types, issuers=issuers):
            document = document_for_code(cited.code, record.unit)
            if document is not None:
                wanted.setdefault((document.pk, cited.day), cited.excerpt[:200])
    for citation in existing:
        if (citation.document_id, citation.cited_date) not in wanted:
            citation.delete()
    have = set(existing.values_list("document_id", "cited_date"))
    for (document_id, day), excerpt in wanted.items():
        if (document_id, day) not in have:
            Citation.objects.create(
                unit=record.unit,
                document_id=document_id,
                cited_date=day,
                excerpt=excerpt,
                content_type=content_type,
                object_id=record.pk,
            )


def _visible_citations(citations: Iterable[Citation], user: Any) -> list[Citation]:
    """The citations whose citing record the user may see (through each model's gate)."""
    citations = list(citations)
    by_type: dict[int, set[int]] = {}
    for citation in citations:
        by_type.setdefault(citation.content_type_id, set()).add(citation.object_id)
    visible: set[tuple[int, int]] = set()
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        manager: Any = model._default_manager
        queryset = manager.restrict(user, "view") if hasattr(manager, "restrict") else manager
        visible |= {
            (type_id, pk) for pk in queryset.filter(pk__in=ids).values_list("pk", flat=True)
        }
    return [c for c in citations if (c.content_type_id, c.object_id) in visible]


def cited_dates(document: Document, citations: Iterable[Citation]) -> list[dt.date]:
    """The registered issue date, then every other date the citations give, in date order;
    one date means no conflict."""
    others = sorted({c.cited_date for c in citations} - {document.issue_date})
    return [document.issue_date, *others]


def date_conflict_text(dates: list[dt.date]) -> str:
    texts = [day_text(d) for d in dates]
    joined = (
        texts[0]
        if len(texts) == 1
        else _("%(first)s and %(last)s")
        % {
            "first": ", ".join(texts[:-1]),
            "last": texts[-1],
        }
    )
    return _("Issue dates cited differ: %(dates)s") % {"dates": joined}


def document_date_conflict(document: Document, user: Any) -> dict[str, Any] | None:
    """On the document's page: the dates cited for it, when any differs from the registered
    one, with the citing records (as the user may see them)."""
    citations = _visible_citations(
        document.citations.select_related("content_type").order_by("cited_date", "id"), user
    )
    dates = cited_dates(document, citations)
    if len(dates) < 2:
        return None
    return {
        "text": date_conflict_text(dates),
        "citations": [c for c in citations if c.cited_date != document.issue_date],
    }


def record_date_warnings(records: Iterable[Any]) -> list[str]:
    """On a citing record's page: for each document the records cite with a date other than
    its registered one, "CODE: Issue dates cited differ: A and B"."""
    citations: list[Citation] = []
    for record in records:
        content_type = ContentType.objects.get_for_model(type(record))
        citations += Citation.objects.filter(
            content_type=content_type, object_id=record.pk
        ).select_related("document")
    by_document: dict[int, list[Citation]] = {}
    for citation in citations:
        by_document.setdefault(citation.document_id, []).append(citation)
    warnings = []
    for group in by_document.values():
        document = group[0].document
        dates = cited_dates(document, group)
        if len(dates) > 1:
            warnings.append(f"{document.code}: {date_conflict_text(dates)}")
    return warnings
