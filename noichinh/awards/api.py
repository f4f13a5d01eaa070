"""The awards API: /api/award-kinds/, /api/award-reviews/ (with ballot actions: open, vote,
close, results), /api/delegates/, /api/nominations/, /api/ballots/ (read-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from noichinh.core.api import ScopedModelSerializer, register_api, viewset_for

from . import services
from .choices import BallotKind, BallotStatus, Choice
from .models import AwardKind, AwardReview, Ballot, Delegate, Nomination
from .resources import (
    AwardKindResource,
    AwardReviewResource,
    BallotResource,
    DelegateResource,
    NominationResource,
)


class AwardKindSerializer(ScopedModelSerializer):
    class Meta:
        model = AwardKind
        fields = ["id", *AwardKindResource.fields]


class AwardReviewSerializer(ScopedModelSerializer):
    class Meta:
        model = AwardReview
        fields = ["id", *AwardReviewResource.fields, "status"]
        read_only_fields = ["status"]


class DelegateSerializer(ScopedModelSerializer):
    class Meta:
        model = Delegate
        fields = ["id", "unit", *DelegateResource.fields]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


class NominationSerializer(ScopedModelSerializer):
    class Meta:
        model = Nomination
        fields = ["id", *NominationResource.fields, "figures"]
        read_only_fields = ["figures"]


class BallotSerializer(ScopedModelSerializer):
    class Meta:
        model = Ballot
        fields = ["id", "unit", *BallotResource.detail_fields]


AwardKindResource.serializer = AwardKindSerializer
AwardReviewResource.serializer = AwardReviewSerializer
DelegateResource.serializer = DelegateSerializer
NominationResource.serializer = NominationSerializer
BallotResource.serializer = BallotSerializer


class OpenBallotInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BallotKind.choices, default=BallotKind.SECRET)


class VoteInput(serializers.Serializer):
    delegate = serializers.IntegerField()
    choices = serializers.DictField(child=serializers.ChoiceField(choices=Choice.choices))


def _result_rows(review: AwardReview) -> list[dict[str, Any]]:
    return [
        {
            "nomination": r.nomination.pk,
            "nominee": r.nomination.nominee_label(),
            "award_kind": r.nomination.kind_id,
            "agree": r.agree,
            "disagree": r.disagree,
            "abstain": r.abstain,
            "valid_ballots": r.valid,
            "present": r.present,
            "percent": float(r.percent) if r.percent is not None else None,
            "threshold": float(r.threshold),
            "basis": r.basis,
            "passed": r.passed,
        }
        for r in services.ballot_results(review)
    ]


class ReviewViewSet(viewset_for(AwardReviewResource)):  # type: ignore[misc]
    def _open(self, review: AwardReview) -> Ballot:
        ballot = review.ballots.filter(status=BallotStatus.OPEN).first()
        if ballot is None:
            raise ValidationError({"detail": _("No ballot is open.")})
        return ballot

    @extend_schema(request=OpenBallotInput, responses=BallotSerializer)
    @action(detail=True, methods=["post"], url_path="open-ballot")
    def open_ballot(self, request: Request, pk: str | None = None) -> Response:
        data = OpenBallotInput(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = services.ballot_open(
            user=request.user, review=self.get_object(), kind=data.validated_data["kind"]
        )
        return Response(BallotSerializer(ballot).data, status=201)

    @extend_schema(request=VoteInput, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def vote(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        data = VoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        delegate = review.delegates.filter(pk=data.validated_data["delegate"]).first()
        if delegate is None:
            raise NotFound()
        try:
            choices = {int(k): v for k, v in data.validated_data["choices"].items()}
        except ValueError:
            raise ValidationError(
                {"choices": _("The keys are the ids of the nominations.")}
            ) from None
        services.ballot_cast(
            user=request.user, ballot=self._open(review), delegate=delegate, choices=choices
        )
        return Response({"voted": True}, status=201)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"], url_path="close-ballot")
    def close_ballot(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        services.ballot_close(user=request.user, ballot=self._open(review))
        return Response({"results": _result_rows(review)})

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        return Response({"results": _result_rows(self.get_object())})


register_api(AwardKindResource, "award-kinds")
register_api(AwardReviewResource, "award-reviews", viewset=ReviewViewSet)
register_api(DelegateResource, "delegates")
register_api(NominationResource, "nominations")
register_api(BallotResource, "ballots")
