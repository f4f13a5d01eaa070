from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from noichinh.core.api import ScopedModelSerializer, register_api, viewset_for

from . import services
from .codes import CodeError
from .models import Document
from .resources import DocumentResource, DocumentTypeResource, IssuerResource, TermResource


class DocumentSerializer(ScopedModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "unit",
            "code",
            "format",
            "number",
            "year",
            "type_code",
            "issuer_code",
            "issue_date",
            "title",
            "summary",
            "term",
            "implements",
            "references",
            "has_conflict",
            "file_url",
        ]
        read_only_fields = [
            "format",
            "number",
            "year",
            "type_code",
            "issuer_code",
            "term",
            "has_conflict",
        ]
        full_clean_exclude = ["format", "number", "type_code", "issuer_code"]

    def get_file_url(self, obj: Document) -> str | None:
        return reverse("documents:document_file", args=[obj.pk]) if obj.file else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Read the code first, as the pages do, so a bad code is a 400 on "code".
        probe = Document(**{k: v for k, v in attrs.items() if not isinstance(v, list)})
        if self.instance is not None:
            for key in ("unit", "issue_date", "code"):
                if key not in attrs:
                    setattr(probe, key, getattr(self.instance, key))
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            services.document_prepare(probe)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return super().validate(attrs)


DocumentResource.serializer = DocumentSerializer

ParsedSerializer = inline_serializer(
    "ParsedCode",
    {
        "canonical": serializers.CharField(),
        "format": serializers.CharField(),
        "number": serializers.CharField(),
        "year": serializers.IntegerField(allow_null=True),
        "type_code": serializers.CharField(),
        "issuer_code": serializers.CharField(),
        "warnings": serializers.ListField(child=serializers.CharField()),
    },
)


class DocumentViewSet(viewset_for(DocumentResource)):  # type: ignore[misc]
    @extend_schema(
        parameters=[OpenApiParameter("code", str, required=True)], responses={200: ParsedSerializer}
    )
    @action(detail=False, methods=["get"])
    def parse(self, request: Request) -> Response:
        """Read a number-and-symbol (both formats) without saving anything."""
        try:
            parsed = services.code_parse(request.query_params.get("code", ""))
        except CodeError as error:
            return Response({"code": [str(error)]}, status=400)
        return Response(
            {
                "canonical": parsed.canonical,
                "format": parsed.format,
                "number": parsed.number,
                "year": parsed.year,
                "type_code": parsed.type_code,
                "issuer_code": parsed.issuer_code,
                "warnings": list(parsed.warnings),
            }
        )


register_api(DocumentResource, "documents", DocumentViewSet)
register_api(DocumentTypeResource, "document-types")
register_api(IssuerResource, "issuers")
register_api(TermResource, "terms")
