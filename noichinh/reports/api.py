"""API of the reports app (registered on the core router): indicators, report forms (with their
items), validation rules, unit reports with their values and verbs, and the roll-up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from noichinh.core.api import ScopedModelSerializer, register_api, router, viewset_for
from noichinh.core.periods import parse_period
from noichinh.core.scoping import can
from noichinh.units.models import Unit

from . import selectors, services
from .models import (
    DataValue,
    FormItem,
    FormSection,
    Indicator,
    ReportForm,
    Submission,
    ValidationRule,
)
from .resources import (
    FormItemResource,
    FormSectionResource,
    IndicatorResource,
    ReportFormResource,
    SubmissionResource,
    ValidationRuleResource,
)


class IndicatorSerializer(ScopedModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", *IndicatorResource.fields]


class ItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    section = serializers.CharField(source="section.title", read_only=True, default="")

    class Meta:
        model = FormItem
        fields = ["id", "section", "order", "indicator", "code", "name"]


class ReportFormSerializer(ScopedModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = ReportForm
        fields = ["id", *ReportFormResource.fields, "items"]


class _PartMeta:
    read_only_fields = ["unit"]
    full_clean_exclude = ["unit"]


class FormSectionSerializer(ScopedModelSerializer):
    class Meta(_PartMeta):
        model = FormSection
        fields = ["id", "unit", *FormSectionResource.fields]


class FormItemSerializer(ScopedModelSerializer):
    class Meta(_PartMeta):
        model = FormItem
        fields = ["id", "unit", *FormItemResource.fields]


class ValidationRuleSerializer(ScopedModelSerializer):
    class Meta(_PartMeta):
        model = ValidationRule
        fields = ["id", "unit", *ValidationRuleResource.fields]


class ValueSerializer(serializers.ModelSerializer):
    """A figure; for a derived indicator `registry_value` is the registry's figure (also given
    as `derived`) and `differs` is true when the reported figure is not it."""

    code = serializers.CharField(source="indicator.code", read_only=True)
    # null when the indicator is not derived or the figures agree (declared: issue 16)
    difference = serializers.DecimalField(
        max_digits=18, decimal_places=4, read_only=True, allow_null=True
    )
    registry_value = serializers.DecimalField(
        source="derived", max_digits=18, decimal_places=4, read_only=True, allow_null=True
    )
    differs = serializers.SerializerMethodField()

    class Meta:
        model = DataValue
        fields = [
            "indicator",
            "code",
            "value",
            "derived",
            "registry_value",
            "differs",
            "difference",
            "comment",
        ]

    def get_differs(self, obj: DataValue) -> bool:
        return obj.difference is not None


class SubmissionSerializer(ScopedModelSerializer):
    values = ValueSerializer(many=True, read_only=True)
    period_label = serializers.CharField(read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "form",
            "period",
            "period_label",
            "unit",
            "status",
            "period_start",
            "period_end",
            "due_on",
            "submitted_at",
            "on_time",
            "approved_at",
            "return_reason",
            "values",
        ]
        read_only_fields = fields


IndicatorResource.serializer = IndicatorSerializer
ReportFormResource.serializer = ReportFormSerializer
FormSectionResource.serializer = FormSectionSerializer
FormItemResource.serializer = FormItemSerializer
ValidationRuleResource.serializer = ValidationRuleSerializer
SubmissionResource.serializer = SubmissionSerializer


class OpenInput(serializers.Serializer):
    form = serializers.IntegerField()
    period = serializers.CharField(max_length=30)
    unit = serializers.IntegerField()


class ValueInput(serializers.Serializer):
    indicator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ValuesInput(serializers.Serializer):
    values = ValueInput(many=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class SubmissionViewSet(viewset_for(SubmissionResource)):  # type: ignore[misc]
    """Unit reports with their values; the verbs are actions (open, values, submit, approve,
    return, unlock)."""

    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("values__indicator")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"detail": _("Open a report with the open action.")}, status=405)

    def _out(self, submission: Submission, request: Request, **extra: Any) -> Response:
        submission = Submission.objects.prefetch_related("values__indicator").get(pk=submission.pk)
        data = dict(SubmissionSerializer(submission, context={"request": request}).data)
        data.update(extra)
        return Response(data)

    @extend_schema(request=OpenInput, responses={200: SubmissionSerializer})
    @action(detail=False, methods=["post"])
    def open(self, request: Request) -> Response:
        data = _valid(OpenInput, request)
        form = get_object_or_404(ReportForm.objects.restrict(request.user, "view"), pk=data["form"])
        unit = get_object_or_404(Unit.objects.restrict(request.user, "view"), pk=data["unit"])
        submission = services.submission_open(
            user=request.user, form=form, period=data["period"], unit=unit
        )
        return self._out(submission, request)

    @extend_schema(request=ValuesInput, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def values(self, request: Request, pk: Any = None) -> Response:
        submission = self.get_object()
        rows = _valid(ValuesInput, request)["values"]
        services.submission_save_values(
            user=request.user,
            submission=submission,
            values={r["indicator"]: r["value"] for r in rows},
            comments={r["indicator"]: r["comment"] for r in rows if "comment" in r},
        )
        return self._out(submission, request)

    @extend_schema(request=None, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        submission = self.get_object()
        warnings = services.submission_submit(user=request.user, submission=submission)
        return self._out(submission, request, warnings=warnings)

    @extend_schema(request=None, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        submission = self.get_object()
        services.submission_approve(user=request.user, submission=submission)
        return self._out(submission, request)

    @extend_schema(request=ReasonInput, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        submission = self.get_object()
        services.submission_return(
            user=request.user, submission=submission, **_valid(ReasonInput, request)
        )
        return self._out(submission, request)

    @extend_schema(request=ReasonInput, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: Any = None) -> Response:
        submission = self.get_object()
        services.submission_unlock(
            user=request.user, submission=submission, **_valid(ReasonInput, request)
        )
        return self._out(submission, request)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


class RollupViewSet(viewsets.ViewSet):
    """GET /api/rollup/?form=<id>&period=<code>&unit=<id>: the form's approved figures for the
    unit's subtree as it was at the period's end, with completeness, the units' lines and the
    same period last year. Bad input answers 400 with the reason; a form or unit outside the
    user's scope answers 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("form", int, required=True),
            OpenApiParameter("period", str, required=True, description="2024-9M, 2023-Q1, ..."),
            OpenApiParameter("unit", int, required=True),
        ],
        responses={200: dict},
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, str] = {}
        ids: dict[str, int] = {}
        for name in ("form", "unit"):
            raw = params.get(name, "")
            if not raw.isdigit():
                errors[name] = _("Give the id of the %(what)s.") % {"what": name}
            else:
                ids[name] = int(raw)
        code = params.get("period", "")
        period = parse_period(code)
        if period is None:
            errors["period"] = _("“%(code)s” is not a period code (e.g. 2024-9M, 2023-Q1).") % {
                "code": code
            }
        if errors:
            raise ApiValidationError(errors)
        assert period is not None
        if not can(request.user, "view", Submission):
            return Response({"detail": _("You may not do this.")}, status=403)
        form = get_object_or_404(ReportForm.objects.restrict(request.user, "view"), pk=ids["form"])
        unit = get_object_or_404(Unit.objects.restrict(request.user, "view"), pk=ids["unit"])
        period = form.period(code)  # a period of another type: 400 with the reason
        result = selectors.rollup(form, period, unit)
        return Response(
            {
                "form": form.pk,
                "form_code": form.code,
                "period": period.code,
                "period_label": period.label,
                "unit": unit.pk,
                "unit_code": unit.code,
                "completeness": {
                    "expected": result.expected,
                    "submitted": result.sent,
                    "approved": result.approved,
                    "on_time": result.on_time,
                },
                "last_year_period": result.last_year_period.code,
                "last_year_units": [u.code for u in result.last_year_units],
                "last_year_completeness": {
                    "expected": result.last_year_expected,
                    "approved": result.last_year_approved,
                },
                "figures": [
                    {
                        "indicator": f.indicator.pk,
                        "code": f.indicator.code,
                        "name": f.indicator.name,
                        "measure": f.indicator.measure,
                        "value": _number(f.value),
                        "last_year": _number(f.last_year),
                        "change": _number(f.change),
                        "change_percent": _number(
                            round(f.change_percent, 2) if f.change_percent is not None else None
                        ),
                        "records_url": f.records,
                        "registry_value": _number(f.registry),
                        "differs": f.differs,
                        "comparison": f.comparison.as_dict() if f.comparison else None,
                    }
                    for f in result.figures
                ],
                "units": [
                    {
                        "unit": line.unit.pk,
                        "unit_code": line.unit.code,
                        "unit_name": str(line),
                        "expected": line.expected,
                        "submitted": line.sent,
                        "approved": line.approved,
                        "on_time": line.on_time,
                        "values": {
                            f.indicator.code: _number(line.values.get(f.indicator.pk))
                            for f in result.figures
                        },
                        "registry_values": {
                            f.indicator.code: _number(line.registry.get(f.indicator.pk))
                            for f in result.figures
                            if f.indicator.pk in line.registry
                        },
                        "differs": [
                            f.indicator.code
                            for f in result.figures
                            if f.indicator.pk in line.differs
                        ],
                    }
                    for line in result.lines
                ],
            }
        )


register_api(IndicatorResource, "indicators")
register_api(ReportFormResource, "report-forms")
register_api(FormSectionResource, "form-sections")
register_api(FormItemResource, "form-items")
register_api(ValidationRuleResource, "validation-rules")
register_api(SubmissionResource, "submissions", SubmissionViewSet)
router.register("rollup", RollupViewSet, basename="rollup")
