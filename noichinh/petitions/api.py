"""API of the petitions app (registered on the core router): the same gate, the same services,
and the same protection of a denouncer's identity as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from noichinh.core.api import ScopedModelSerializer, register_api, viewset_for
from noichinh.core.scoping import restrict_choice
from noichinh.documents.models import Document

from . import identity, selectors, services
from .choices import Decision, FollowUp, Outcome
from .models import IDENTITY_FIELDS, Petition, ReceptionSession
from .resources import PetitionResource, ReceptionSessionResource, may_see_identity

# The denunciations whose identity an answer carries, collected on the request while it is
# serialised and logged once by PetitionViewSet.finalize_response.
SHOWN_KEY = "_identity_shown"

READ_ONLY = [
    "status",
    "classified_on",
    "route_note",
    "forwarded_to",
    "duplicate_of",
    "accepted_on",
    "classify_due_on",
    "resolve_due_on",
    "paused_since",
    "resolved_on",
    "outcome",
    "resolution_note",
    "follow_up",
    "follow_up_note",
]


class PetitionSerializer(ScopedModelSerializer):
    """A denouncer's identity is null (and `identity_protected` true) for who may not see it,
    and may not be written by them."""

    identity_protected = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = ["id", *PetitionResource.fields, *READ_ONLY, "identity_protected"]
        read_only_fields = READ_ONLY

    def _user(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_identity_protected(self, obj: Petition) -> bool:
        return not may_see_identity(self._user(), obj)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not may_see_identity(self._user(), instance):
            for name in IDENTITY_FIELDS:
                data[name] = None
        elif instance.is_denunciation:
            # Shown: the viewset logs the request's denunciations at once (identity.py).
            request = self.context.get("request")
            if request is not None:
                shown = getattr(request, SHOWN_KEY, None)
                if shown is None:
                    shown = []
                    setattr(request, SHOWN_KEY, shown)
                shown.append(instance)
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        if (
            isinstance(instance, Petition)
            and not may_see_identity(self._user(), instance)
            and any(name in attrs for name in IDENTITY_FIELDS)
        ):
            raise serializers.ValidationError(
                {"petitioner_name": _("The denouncer's identity is protected.")}
            )
        return super().validate(attrs)


class ReceptionSessionSerializer(ScopedModelSerializer):
    class Meta:
        model = ReceptionSession
        fields = ["id", *ReceptionSessionResource.fields]


PetitionResource.serializer = PetitionSerializer
ReceptionSessionResource.serializer = ReceptionSessionSerializer


class PetitionClassifyInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    forwarded_to = serializers.CharField(required=False, allow_blank=True, default="")
    duplicate_of = serializers.PrimaryKeyRelatedField(
        queryset=Petition.objects.all(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field: Any = self.fields["duplicate_of"]
            field.queryset = Petition.objects.restrict(request.user, "view")


class PetitionExtendInput(serializers.Serializer):
    decided_on = serializers.DateField()
    days = serializers.IntegerField(min_value=1, max_value=90)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field: Any = self.fields["document"]
            field.queryset = restrict_choice(Document.objects.all(), request.user, "view", Petition)


class PetitionPauseInput(serializers.Serializer):
    start = serializers.DateField()
    reason = serializers.CharField(max_length=1000)


class PetitionResumeInput(serializers.Serializer):
    end = serializers.DateField()


class PetitionResolveInput(serializers.Serializer):
    resolved_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PetitionFollowUpInput(serializers.Serializer):
    follow_up = serializers.ChoiceField(choices=FollowUp.choices[1:])
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PetitionViewSet(viewset_for(PetitionResource)):  # type: ignore[misc]
    """Petitions, with the verbs of the petition page as actions."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """One `view_identity` entry for the denouncers' identities the answer carries (a
        detail, a page of the list, the duplicates, a verb's answer)."""
        shown = getattr(request, SHOWN_KEY, None)
        if shown:
            setattr(request, SHOWN_KEY, [])
            identity.log_identity_view(
                user=request.user, petitions=shown, where=identity.API, request=request._request
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def _done(self, request: Request, petition: Petition) -> Response:
        petition.refresh_from_db()
        return Response(PetitionSerializer(petition, context={"request": request}).data)

    @extend_schema(request=PetitionClassifyInput, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def classify(self, request: Request, pk: Any = None) -> Response:
        petition = self.get_object()
        services.petition_classify(
            user=request.user, petition=petition, **_valid(PetitionClassifyInput, request)
        )
        return self._done(request, petition)

    @extend_schema(request=PetitionExtendInput, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: Any = None) -> Response:
        petition = self.get_object()
        services.petition_extend(
            user=request.user, petition=petition, **_valid(PetitionExtendInput, request)
        )
        return self._done(request, petition)

    @extend_schema(request=PetitionPauseInput, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: Any = None) -> Response:
        petition = self.get_object()
        services.petition_pause(
            user=request.user, petition=petition, **_valid(PetitionPauseInput, request)
        )
        return self._done(request, petition)

    @extend_schema(request=PetitionResumeInput, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: Any = None) -> Response:
        petition = self.get_object()
        services.petition_resume(
            user=request.user, petition=petition, **_valid(PetitionResumeInput, request)
        )
        return self._done(request, petition)

    @extend_schema(request=PetitionResolveInput, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        petition = self.get_object()
        services.petition_resolve(
            user=request.user, petition=petition, **_valid(PetitionResolveInput, request)
        )
        return self._done(request, petition)

    @extend_schema(request=PetitionFollowUpInput, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: Any = None) -> Response:
        petition = self.get_object()
        services.petition_record_follow_up(
            user=request.user, petition=petition, **_valid(PetitionFollowUpInput, request)
        )
        return self._done(request, petition)

    @extend_schema(request=None, responses={200: PetitionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def duplicates(self, request: Request, pk: Any = None) -> Response:
        petition = self.get_object()
        found = selectors.petition_duplicates(request.user, petition)
        return Response(PetitionSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Unit id (its subtree as on `end`)"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD)"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"])
    def statistics(self, request: Request) -> Response:
        """The inspectorate's petition statistics of a unit and a window, and the same period
        last year: the figures of the summary page (selectors.summary), through the gate."""
        from django.utils import timezone

        from noichinh.units.models import Unit

        today = timezone.localdate()
        params = StatisticsInput(data=request.query_params)
        if not params.is_valid():
            return Response({"errors": params.errors}, status=400)
        data = params.validated_data
        start = data.get("start") or dt.date(today.year, 1, 1)
        end = data.get("end") or today
        if end < start:
            return Response({"errors": {"end": [_("The end cannot be before the start.")]}}, 400)
        queryset = selectors.visible(request.user)
        unit = None
        if data.get("unit") is not None:
            unit = Unit.objects.restrict(request.user, "view").filter(pk=data["unit"]).first()
            if unit is None:
                return Response({"errors": {"unit": [str(OUTSIDE)]}}, status=400)
        else:
            unit = selectors.home_unit(request.user)
        attribution = selectors.Attribution.of(unit, end) if unit is not None else None
        total = selectors.summary(queryset, start, end, today, attribution=attribution)
        return Response(
            {
                "unit": unit.pk if unit else None,
                "as_of": end.isoformat() if unit else None,
                **total.current.as_dict(),
                "same_period_last_year": total.last_year.as_dict(),
                # False when a reorganisation changed the units between the two windows.
                "same_units": attribution.same_units if attribution else True,
                "overdue_today": total.overdue,
                "due_soon": total.due_soon,
            }
        )


OUTSIDE = gettext_lazy("Choose a unit within your scope.")


class StatisticsInput(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": OUTSIDE, "min_value": OUTSIDE, "max_string_length": OUTSIDE},
    )
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


register_api(PetitionResource, "petitions", PetitionViewSet)
register_api(ReceptionSessionResource, "reception-sessions")
