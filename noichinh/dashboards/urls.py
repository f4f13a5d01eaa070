from django.urls import path

from . import briefing_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("tong-quan/bao-cao/", briefing_views.briefing, name="briefing"),
    path(
        "tong-quan/bao-cao/tac-vu/<str:result_id>/",
        briefing_views.briefing_status,
        name="briefing_status",
    ),
    path(
        "tong-quan/bao-cao/tac-vu/<str:result_id>/<str:kind>/",
        briefing_views.briefing_file,
        name="briefing_file",
    ),
]
