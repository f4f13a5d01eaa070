from django.urls import path

from . import views
from .resources import ClusterResource, UnitResource

app_name = "units"

urlpatterns = [
    path("them/", views.unit_add, name="unit_add"),
    path("theo-ngay/", views.unit_tree_on, name="unit_tree_on"),
    path("<int:pk>/doi-ten/", views.unit_rename, name="unit_rename"),
    path("<int:pk>/chuyen/", views.unit_move, name="unit_move"),
    path("<int:pk>/sap-nhap/", views.unit_merge, name="unit_merge"),
    path("<int:pk>/chia-tach/", views.unit_split, name="unit_split"),
    path("<int:pk>/giai-the/", views.unit_close, name="unit_close"),
    *UnitResource.urls(overrides={"detail": views.UnitDetailView}),
    *ClusterResource.urls(overrides={"detail": views.ClusterDetailView}),
]
