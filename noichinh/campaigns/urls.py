from django.urls import path

from . import views
from .resources import (
    CampaignResource,
    CriterionResource,
    ReviewResource,
    TargetChangeResource,
    TargetRegistrationResource,
    TargetResource,
)

app_name = "campaigns"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cum/<int:pk>/", views.cluster_review, name="cluster_review"),
    path("dang-ky/<int:pk>/chi-tieu/", views.registration_set_target, name="registration_set"),
    path("dang-ky/<int:pk>/dieu-chinh/", views.registration_amend, name="registration_amend"),
    path("dang-ky/<int:pk>/trinh/", views.registration_submit, name="registration_submit"),
    path("dang-ky/<int:pk>/phe-duyet/", views.registration_approve, name="registration_approve"),
    path("dang-ky/<int:pk>/tra-lai/", views.registration_return, name="registration_return"),
    path("dang-ky/<int:pk>/de-nghi/", views.registration_request, name="registration_request"),
    path("dang-ky/<int:pk>/xuat/", views.registration_export, name="registration_export"),
    *CampaignResource.urls(overrides={"detail": views.CampaignDetailView}),
    *CriterionResource.urls(),
    *ReviewResource.urls(),
    *TargetRegistrationResource.urls(overrides={"detail": views.RegistrationDetailView}),
    *TargetResource.urls(),
    *TargetChangeResource.urls(),
]
