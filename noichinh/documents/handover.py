"""Documents are dated (core.handover): a closed unit's document may be registered late, as of
its issue date; after the closing, the heir issues."""

from __future__ import annotations

from noichinh.core.handover import register_record_date

from .models import Citation, Document

register_record_date(Document, "issue_date")
register_record_date(Citation, "cited_date")
