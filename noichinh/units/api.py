from rest_framework import serializers

from noichinh.core.api import ScopedModelViewSet, register_api

from .models import Unit
from .resources import ClusterResource, UnitResource


class UnitSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "path",
            "depth",
            "valid_from",
            "valid_to",
            "successor",
            "is_active",
        ]
        read_only_fields = fields


class UnitViewSet(ScopedModelViewSet):
    """Units in the caller's scope. Read-only: reorganisations go through their pages/services."""

    resource = UnitResource
    serializer_class = UnitSerializer
    queryset = Unit.objects.none()
    http_method_names = ["get", "head", "options"]
    filterset_fields = ["kind", "parent", "code"]


register_api(UnitResource, "units", UnitViewSet)
register_api(ClusterResource, "clusters")
