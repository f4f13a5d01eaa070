from django.urls import path

from . import views
from .resources import (
    FormItemResource,
    FormSectionResource,
    IndicatorResource,
    ReportFormResource,
    SubmissionResource,
    ValidationRuleResource,
)

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bieu-mau/<int:pk>/mo-bao-cao/", views.form_open, name="form_open"),
    path("bieu-mau/<int:pk>/tong-hop/", views.rollup, name="rollup"),
    path("bieu-mau/<int:pk>/tong-hop/excel/", views.rollup_excel, name="rollup_excel"),
    path("bao-cao-don-vi/<int:pk>/nhap-so-lieu/", views.submission_entry, name="submission_entry"),
    path("bao-cao-don-vi/<int:pk>/phe-duyet/", views.submission_approve, name="submission_approve"),
    path("bao-cao-don-vi/<int:pk>/tra-lai/", views.submission_return, name="submission_return"),
    path("bao-cao-don-vi/<int:pk>/mo-khoa/", views.submission_unlock, name="submission_unlock"),
    path("bao-cao-don-vi/<int:pk>/excel/", views.submission_excel, name="submission_excel"),
    path("bao-cao-don-vi/<int:pk>/nhap-excel/", views.submission_import, name="submission_import"),
    *IndicatorResource.urls(),
    *ReportFormResource.urls(overrides={"detail": views.ReportFormDetailView}),
    *FormSectionResource.urls(),
    *FormItemResource.urls(),
    *ValidationRuleResource.urls(),
    *SubmissionResource.urls(overrides={"detail": views.SubmissionDetailView}),
]
