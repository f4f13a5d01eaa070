from typing import Any

from django.urls import path

from . import views

app_name = "intake"
urlpatterns: list[Any] = [
    path("", views.intake, name="intake"),
    path("xac-nhan/", views.confirm, name="confirm"),
]
