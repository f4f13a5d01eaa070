"""The case registry's API: /api/cases/ (with nested events and suspensions and the verbs as
actions), /api/case-events/, /api/case-suspensions/, /api/security-issues/,
/api/stall-rules/; the same gate and services as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from noichinh.core.api import ScopedModelSerializer, register_api, viewset_for
from noichinh.core.scoping import restrict_choice
from noichinh.documents.models import Document

from . import services
from .choices import Stage, SuspensionReason
from .models import Case, CaseEvent, CaseSuspension, SecurityIssue, StallRule
from .resources import (
    CaseEventResource,
    CaseResource,
    CaseSuspensionResource,
    SecurityIssueResource,
    StallRuleResource,
)


class CaseSerializer(ScopedModelSerializer):
    class Meta:
        model = Case
        fields = [
            "id",
            *CaseResource.fields,
            "origin",
            "phase",
            "stage",
            "last_event_on",
            "suspended_since",
            "suspension_reason",
            "closed_on",
            "people_prosecuted",
            "damage_amount",
            "recovered_amount",
        ]
        read_only_fields = [
            "origin",
            "phase",
            "stage",
            "last_event_on",
            "suspended_since",
            "suspension_reason",
            "closed_on",
            "people_prosecuted",
            "damage_amount",
            "recovered_amount",
        ]


class _PartSerializer(ScopedModelSerializer):
    """The owner unit is the case's: shown, never written."""


class CaseEventSerializer(_PartSerializer):
    class Meta:
        model = CaseEvent
        fields = ["id", "unit", *CaseEventResource.fields]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


class CaseSuspensionSerializer(_PartSerializer):
    class Meta:
        model = CaseSuspension
        fields = ["id", "unit", *CaseSuspensionResource.fields]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


class StallRuleSerializer(ScopedModelSerializer):
    class Meta:
        model = StallRule
        fields = ["id", *StallRuleResource.fields]


class SecurityIssueSerializer(ScopedModelSerializer):
    class Meta:
        model = SecurityIssue
        fields = ["id", *SecurityIssueResource.fields]


class EventInput(serializers.Serializer):
    occurred_on = serializers.DateField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    people_prosecuted = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    damage_amount = serializers.DecimalField(
        max_digits=20, decimal_places=0, required=False, allow_null=True, min_value=0
    )
    recovered_amount = serializers.DecimalField(
        max_digits=20, decimal_places=0, required=False, allow_null=True, min_value=0
    )
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True
    )


class SuspendInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=SuspensionReason.choices)
    started_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResumeInput(serializers.Serializer):
    ended_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SplitInput(serializers.Serializer):
    title = serializers.CharField(max_length=400)
    detected_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


CaseResource.serializer = CaseSerializer
CaseEventResource.serializer = CaseEventSerializer
CaseSuspensionResource.serializer = CaseSuspensionSerializer
StallRuleResource.serializer = StallRuleSerializer
SecurityIssueResource.serializer = SecurityIssueSerializer


class CaseViewSet(viewset_for(CaseResource)):  # type: ignore[misc]
    def _input(self, request: Request, serializer_class: Any) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        if "document" in serializer.fields:
            serializer.fields["document"].queryset = restrict_choice(
                Document.objects.all(), request.user, "view", CaseEvent, "document"
            )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _run(self, service: Any, **data: Any) -> Any:
        # A service's refusal (ValidationError) becomes a 400 in core.api.exception_handler.
        return service(user=self.request.user, case=self.get_object(), **data)

    @extend_schema(request=EventInput, responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        """The case's timeline; POST records an event."""
        if request.method == "POST":
            event = self._run(services.case_record_event, **self._input(request, EventInput))
            return Response(CaseEventSerializer(event).data, status=status.HTTP_201_CREATED)
        case = self.get_object()
        rows = CaseEvent.objects.restrict(request.user, "view").filter(case=case)
        return Response(CaseEventSerializer(rows, many=True).data)

    @extend_schema(request=SuspendInput, responses=CaseSuspensionSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def suspensions(self, request: Request, pk: str | None = None) -> Response:
        """The case's suspensions; POST suspends it."""
        if request.method == "POST":
            row = self._run(services.case_suspend, **self._input(request, SuspendInput))
            return Response(CaseSuspensionSerializer(row).data, status=status.HTTP_201_CREATED)
        case = self.get_object()
        rows = CaseSuspension.objects.restrict(request.user, "view").filter(case=case)
        return Response(CaseSuspensionSerializer(rows, many=True).data)

    @extend_schema(request=ResumeInput, responses=CaseSuspensionSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        row = self._run(services.case_resume, **self._input(request, ResumeInput))
        return Response(CaseSuspensionSerializer(row).data)

    @extend_schema(request=SplitInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str | None = None) -> Response:
        part = self._run(services.case_split, **self._input(request, SplitInput))
        return Response(CaseSerializer(part).data, status=status.HTTP_201_CREATED)


register_api(CaseResource, "cases", viewset=CaseViewSet)
register_api(CaseEventResource, "case-events")
register_api(CaseSuspensionResource, "case-suspensions")
register_api(StallRuleResource, "stall-rules")
register_api(SecurityIssueResource, "security-issues")
