from django.urls import path

from . import views
from .resources import (
    CaseEventResource,
    CaseResource,
    CaseSuspensionResource,
    SecurityIssueResource,
    StallRuleResource,
)

app_name = "cases"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/<int:pk>/dien-bien/", views.case_event, name="case_event"),
    path("ho-so/<int:pk>/tam-dinh-chi/", views.case_suspend, name="case_suspend"),
    path("ho-so/<int:pk>/phuc-hoi/", views.case_resume, name="case_resume"),
    path("ho-so/<int:pk>/tach/", views.case_split, name="case_split"),
    *CaseResource.urls(overrides={"detail": views.CaseDetailView}),
    *CaseEventResource.urls(),
    *CaseSuspensionResource.urls(),
    *StallRuleResource.urls(),
    *SecurityIssueResource.urls(),
]
