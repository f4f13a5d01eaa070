"""The campaigns API: /api/campaigns/, /api/criteria/, /api/reviews/,
/api/target-registrations/ (with submit, approve, return actions), /api/targets/,
/api/target-changes/ (read-only) and /api/progress/?registration=&review=."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from noichinh.core.api import ScopedModelSerializer, register_api, viewset_for

from . import progress, services
from .models import Campaign, Criterion, Review, Target, TargetChange, TargetRegistration
from .resources import (
    CampaignResource,
    CriterionResource,
    ReviewResource,
    TargetChangeResource,
    TargetRegistrationResource,
    TargetResource,
)


class CampaignSerializer(ScopedModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", *CampaignResource.fields]


class _PartSerializer(ScopedModelSerializer):
    """Owned by the campaign's (or registration's) unit: shown, never written."""


class CriterionSerializer(_PartSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "unit", *CriterionResource.fields]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


class ReviewSerializer(_PartSerializer):
    class Meta:
        model = Review
        fields = ["id", "unit", *ReviewResource.fields]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


class TargetRegistrationSerializer(ScopedModelSerializer):
    class Meta:
        model = TargetRegistration
        fields = [
            "id",
            *TargetRegistrationResource.fields,
            "status",
            "submitted_on",
            "decided_on",
            "return_reason",
        ]
        read_only_fields = ["status", "submitted_on", "decided_on", "return_reason"]


class TargetSerializer(_PartSerializer):
    class Meta:
        model = Target
        fields = ["id", "unit", *TargetResource.fields]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


class TargetChangeSerializer(ScopedModelSerializer):
    class Meta:
        model = TargetChange
        fields = [
            "id",
            "unit",
            "target",
            "old_value",
            "new_value",
            "reason",
            "changed_on",
            "changed_by",
        ]


CampaignResource.serializer = CampaignSerializer
CriterionResource.serializer = CriterionSerializer
ReviewResource.serializer = ReviewSerializer
TargetRegistrationResource.serializer = TargetRegistrationSerializer
TargetResource.serializer = TargetSerializer
TargetChangeResource.serializer = TargetChangeSerializer


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField()


class RegistrationViewSet(viewset_for(TargetRegistrationResource)):  # type: ignore[misc]
    def _reply(self, registration: TargetRegistration) -> Response:
        return Response(TargetRegistrationSerializer(registration).data)

    @extend_schema(request=None, responses=TargetRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._reply(
            services.registration_submit(user=request.user, registration=self.get_object())
        )

    @extend_schema(request=None, responses=TargetRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._reply(
            services.registration_approve(user=request.user, registration=self.get_object())
        )

    @extend_schema(request=ReturnInput, responses=TargetRegistrationSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        data = ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._reply(
            services.registration_return(
                user=request.user,
                registration=self.get_object(),
                reason=data.validated_data["reason"],
            )
        )


register_api(CampaignResource, "campaigns")
register_api(CriterionResource, "criteria")
register_api(ReviewResource, "reviews")
register_api(TargetRegistrationResource, "target-registrations", viewset=RegistrationViewSet)
register_api(TargetResource, "targets")
register_api(TargetChangeResource, "target-changes")


def _int_param(request: Request, name: str, required: bool = True) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        if required:
            raise ValidationError({name: _("This parameter is required.")})
        return None
    if not raw.isdigit():
        raise ValidationError({name: _("A whole number is expected.")})
    return int(raw)


class ProgressView(APIView):
    """Progress of a registration: actual against target per criterion at a review's cut-off
    (`review` omitted: the whole period)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("registration", OpenApiTypes.INT, required=True),
            OpenApiParameter("review", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        pk = _int_param(request, "registration") or 0
        registration = (
            TargetRegistration.objects.restrict(request.user, "view")
            .select_related("campaign", "unit")
            .filter(pk=pk)
            .first()
        )
        if registration is None:
            raise NotFound()
        review_pk = _int_param(request, "review", required=False)
        review = None
        if review_pk is not None:
            review = registration.campaign.reviews.filter(pk=review_pk).first()
            if review is None:
                raise ValidationError(
                    {"review": _("The review must be of the registration's campaign.")}
                )
        result = progress.registration_unit_progress(registration, review)
        body: dict[str, Any] = {
            "registration": registration.pk,
            "unit": registration.unit_id,
            "review": review.pk if review else None,
            "cutoff": result.end.isoformat(),
            # Closed before the cut-off: no figures of its own, they count for this unit.
            "merged_into": result.merged_into.pk if result.merged_into is not None else None,
            "note": result.merged_note,
            # Units merged into this one before the cut-off: their targets are added.
            "predecessors": [unit.pk for unit in result.predecessors],
            "met_every_target": result.met_every_target if result.has_figures else None,
            "criteria": [
                {
                    "criterion": row.criterion.pk,
                    "number": row.criterion.number,
                    "name": row.criterion.name,
                    "target": row.target,
                    "actual": row.actual,
                    "percent": float(row.percent) if row.percent is not None else None,
                    "state": row.state,
                    "records": row.url,
                }
                for row in result.rows
            ],
        }
        return Response(body)
