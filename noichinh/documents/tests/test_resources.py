"""The permission matrix for documents and their catalogues."""

import datetime as dt
from typing import Any

from noichinh.core.testkit import ResourceTestCase
from noichinh.documents.models import Document, DocumentType, Issuer, Term
from noichinh.documents.resources import (
    DocumentResource,
    DocumentTypeResource,
    IssuerResource,
    TermResource,
)
from noichinh.documents.services import document_prepare


class DocumentResourceTests(ResourceTestCase):
    resource = DocumentResource

    def make(self, unit: Any) -> Any:
        document = Document(
            unit=unit,
            code=f"{self.unique('')[1:]}-KH/BNCTU",
            issue_date=dt.date(2024, 3, 1),
            title=f"Kế hoạch {unit.code}",
        )
        document_prepare(document)
        document.save()
        return document

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "code": f"{self.unique('')[1:]}-HD/BNCTU",
            "issue_date": "05/03/2024",
            "title": "Hướng dẫn thử",
            "summary": "Tóm tắt",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "code": f"{self.unique('')[1:]}-HD/BNCTU",
            "issue_date": "2024-03-05",
            "title": "Qua API",
            "summary": "",
            "references": [],
        }


class DocumentTypeResourceTests(ResourceTestCase):
    resource = DocumentTypeResource

    def make(self, unit: Any) -> Any:
        return DocumentType.objects.create(unit=unit, code=self.unique("T"), name="Loại thử")

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {"unit": unit.pk, "code": self.unique("L"), "name": "Loại mới"}


class IssuerResourceTests(ResourceTestCase):
    resource = IssuerResource

    def make(self, unit: Any) -> Any:
        return Issuer.objects.create(unit=unit, code=self.unique("I"), name="Cơ quan thử")

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {"unit": unit.pk, "code": self.unique("CQ"), "name": "Cơ quan mới"}


class TermResourceTests(ResourceTestCase):
    resource = TermResource

    def make(self, unit: Any) -> Any:
        return Term.objects.create(
            unit=unit, name=self.unique("Khóa"), starts_on=dt.date(2000 + next_year(), 1, 1)
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {"unit": unit.pk, "name": "Nhiệm kỳ mới", "starts_on": f"01/01/{1900 + next_year()}"}

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "name": "Qua API", "starts_on": f"{1900 + next_year()}-01-01"}


_years = iter(range(1, 99))


def next_year() -> int:
    return next(_years)
