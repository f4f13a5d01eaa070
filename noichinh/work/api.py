from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from noichinh.core.api import ScopedModelSerializer, register_api, viewset_for
from noichinh.core.scoping import restrict_choice
from noichinh.documents.models import Document

from . import services
from .models import Conclusion, Meeting, Milestone, Project, Task, WorkProgramme
from .resources import (
    ConclusionResource,
    MeetingResource,
    MilestoneResource,
    ProjectResource,
    TaskResource,
    WorkProgrammeResource,
)


class MeetingSerializer(ScopedModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", *MeetingResource.fields]


class ConclusionSerializer(ScopedModelSerializer):
    """The owner unit is the meeting's: shown, never written."""

    class Meta:
        model = Conclusion
        fields = ["id", "unit", "meeting", "number", "text"]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


# "Task" is the intake's task too: one schema name each, or the schema describes one with the
# other's fields.
@extend_schema_serializer(component_name="WorkTask")
class TaskSerializer(ScopedModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            *TaskResource.fields,
            "series_start",
            "previous",
            "status",
            "progress",
            "completed_on",
        ]
        read_only_fields = ["series_start", "previous", "status", "progress", "completed_on"]


class ProjectSerializer(ScopedModelSerializer):
    class Meta:
        model = Project
        fields = ["id", *ProjectResource.fields]


class MilestoneSerializer(ScopedModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "unit", *MilestoneResource.fields]
        read_only_fields = ["unit"]
        full_clean_exclude = ["unit"]


class WorkProgrammeSerializer(ScopedModelSerializer):
    class Meta:
        model = WorkProgramme
        fields = ["id", *WorkProgrammeResource.fields, "issued_on", "document"]
        read_only_fields = ["issued_on", "document"]


MeetingResource.serializer = MeetingSerializer
ConclusionResource.serializer = ConclusionSerializer
TaskResource.serializer = TaskSerializer
ProjectResource.serializer = ProjectSerializer
MilestoneResource.serializer = MilestoneSerializer
WorkProgrammeResource.serializer = WorkProgrammeSerializer


class ProgressInput(serializers.Serializer):
    reported_on = serializers.DateField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    complete = serializers.BooleanField(required=False, default=False)


class CompleteInput(serializers.Serializer):
    completed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReopenInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class IssueInput(serializers.Serializer):
    issued_on = serializers.DateField()
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field: Any = self.fields["document"]
            field.queryset = restrict_choice(
                Document.objects.all(), request.user, "view", WorkProgramme
            )


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class TaskViewSet(viewset_for(TaskResource)):  # type: ignore[misc]
    """Key tasks, with the verbs of the task page: progress, complete, reopen."""

    @extend_schema(request=ProgressInput, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        services.task_progress_report(
            user=request.user, task=task, **_valid(ProgressInput, request)
        )
        task.refresh_from_db()
        return Response(TaskSerializer(task, context={"request": request}).data)

    @extend_schema(request=CompleteInput, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        following = services.task_complete(
            user=request.user, task=task, **_valid(CompleteInput, request)
        )
        data = dict(TaskSerializer(task, context={"request": request}).data)
        data["next_occurrence"] = following.pk if following is not None else None
        return Response(data)

    @extend_schema(request=ReopenInput, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        services.task_reopen(user=request.user, task=task, **_valid(ReopenInput, request))
        return Response(TaskSerializer(task, context={"request": request}).data)


class WorkProgrammeViewSet(viewset_for(WorkProgrammeResource)):  # type: ignore[misc]
    @extend_schema(request=IssueInput, responses={200: WorkProgrammeSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: Any = None) -> Response:
        programme = self.get_object()
        services.programme_issue(
            user=request.user, programme=programme, **_valid(IssueInput, request)
        )
        return Response(WorkProgrammeSerializer(programme, context={"request": request}).data)


register_api(MeetingResource, "meetings")
register_api(ConclusionResource, "conclusions")
register_api(TaskResource, "tasks", TaskViewSet)
register_api(ProjectResource, "projects")
register_api(MilestoneResource, "milestones")
register_api(WorkProgrammeResource, "programmes", WorkProgrammeViewSet)
