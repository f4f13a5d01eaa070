from django.urls import path

from . import views
from .resources import (
    ConclusionResource,
    MeetingResource,
    MilestoneResource,
    ProjectResource,
    TaskResource,
    WorkProgrammeResource,
)

app_name = "work"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nhiem-vu/<int:pk>/tien-do/", views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:pk>/hoan-thanh/", views.task_complete, name="task_complete"),
    path("nhiem-vu/<int:pk>/mo-lai/", views.task_reopen, name="task_reopen"),
    path("ket-luan/<int:pk>/giao-nhiem-vu/", views.conclusion_assign, name="conclusion_assign"),
    path("chuong-trinh/<int:pk>/ban-hanh/", views.programme_issue, name="programme_issue"),
    *MeetingResource.urls(overrides={"detail": views.MeetingDetailView}),
    *ConclusionResource.urls(overrides={"detail": views.ConclusionDetailView}),
    *TaskResource.urls(overrides={"detail": views.TaskDetailView}),
    *ProjectResource.urls(overrides={"detail": views.ProjectDetailView}),
    *MilestoneResource.urls(),
    *WorkProgrammeResource.urls(overrides={"detail": views.ProgrammeDetailView}),
]
