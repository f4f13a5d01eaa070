"""Token sign-in for API clients, and who-am-I."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from noichinh.core.api import ScopedModelSerializer, register_api
from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction
from noichinh.core.scoping import user_roles, user_scope

from .authentication import token_expired, token_lifetime
from .models import User
from .resources import RoleAssignmentResource, UserResource
from .services import user_requires_two_factor
from .views import confirmed_device


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_token = serializers.CharField(required=False, allow_blank=True, max_length=8)


class TokenView(APIView):
    """Exchange username, password (and the one-time code where two-factor is on) for a token."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expires": serializers.DateTimeField()},
            )
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(request._request, "axes_locked_out", False):
                return Response(
                    {"detail": _("Too many failed attempts: the account is locked for a while.")},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(
                {"detail": _("Wrong username or password.")}, status=status.HTTP_400_BAD_REQUEST
            )
        device = confirmed_device(user)
        if device is not None:
            if not data.get("otp_token") or match_token(user, data["otp_token"]) is None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": data["username"]},
                    request=request._request,
                )
                return Response(
                    {"otp_token": [_("Enter the current 6-digit code from your app.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        elif user_requires_two_factor(user):
            return Response(
                {
                    "detail": _(
                        "Your role requires two-factor sign-in: set it up in the web "
                        "interface first."
                    )
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):
            # An expired token is replaced, never extended.
            token.delete()
            token = Token.objects.create(user=user)
        audit_record(
            action=AuditAction.LOGIN,
            user=user,
            instance=user,
            message="api token",
            unit=user.home_unit,
        )
        return Response({"token": token.key, "expires": token.created + token_lifetime()})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer(
                "Me",
                {
                    "id": serializers.IntegerField(),
                    "username": serializers.CharField(),
                    "full_name": serializers.CharField(),
                    "unit": serializers.IntegerField(allow_null=True),
                    "roles": serializers.ListField(child=serializers.CharField()),
                    "scope": serializers.ListField(child=serializers.CharField()),
                },
            )
        }
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "full_name": user.full_name,
                "unit": user.home_unit_id,
                "roles": sorted(user_roles(user)),
                "scope": list(user_scope(user, "view").paths),
            }
        )


class UserSerializer(ScopedModelSerializer):
    unit = serializers.IntegerField(source="home_unit_id", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "title",
            "home_unit",
            "unit",
            "is_active",
            "last_login",
        ]
        read_only_fields = ["last_login"]
        full_clean_exclude = ["password"]


UserResource.serializer = UserSerializer

register_api(UserResource, "users")
register_api(RoleAssignmentResource, "role-assignments")
