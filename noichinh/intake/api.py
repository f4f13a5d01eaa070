"""`POST /api/intake/extract/`: the facts of a report's text or file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .extract import extract
from .files import ReadError, check_text, read_upload
from .serializers import (
    ErrorSerializer,
    ExtractFileRequestSerializer,
    ExtractionSerializer,
    ExtractTextRequestSerializer,
    render,
)


def _error(message: str, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": message}, status=code)


class ExtractView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="intake_extract",
        summary="Read a report: periods, dates, figures, ratios, changes, documents, "
        "organisations, people, tasks and consistency warnings.",
        request={
            "application/json": ExtractTextRequestSerializer,
            "multipart/form-data": ExtractFileRequestSerializer,
        },
        responses={
            200: ExtractionSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Empty or unreadable input."),
            413: OpenApiResponse(ErrorSerializer, description="Text over 2 MB, file over 20 MB."),
            415: OpenApiResponse(ErrorSerializer, description="Not a .docx, .txt or .pdf."),
        },
        examples=[
            OpenApiExample(
                "Text",
                request_only=True,
                value={"text": "9 tháng đầu năm 2024, đã giải quyết 7.187/8.651 đơn, đạt 83%."},
            )
        ],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            data = request.data
            upload = request.FILES.get("file")
        except RequestDataTooBig:
            return _error(_("The text is larger than 2 MB: split the report into parts."), 413)
        except ParseError:
            return _error(_("The request is not valid JSON."))
        try:
            if upload is not None:
                text = read_upload(upload)
            else:
                raw = data.get("text") if hasattr(data, "get") else None
                if raw is None:
                    return _error(
                        _("Send the text in the field text, or a file in the field file.")
                    )
                text = check_text(raw)
        except ReadError as error:
            return _error(str(error), error.status)
        found = extract(text, user=request.user)
        return Response(render(found.as_json(include_text=True)))
