"""Forms of the work area: the records' own forms (dates typed dd/mm/yyyy) and the small forms
of the verbs on the detail pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.forms import DateInput, VerbForm
from noichinh.documents.models import Document
from noichinh.units.models import Unit

from .choices import Recurrence
from .models import Conclusion, Meeting, Milestone, Project, Task, WorkProgramme

SELECT_MANY = {"size": 8}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "unit",
            "kind",
            "period",
            "session_number",
            "title",
            "held_on",
            "place",
            "online",
            "connected_locations",
            "chair",
            "attending_units",
            "expected_units",
            "agenda",
            "results",
            "limitations",
            "materials",
        ]
        widgets = {
            "held_on": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "limitations": forms.Textarea(attrs={"rows": 4}),
            "attending_units": forms.SelectMultiple(attrs=SELECT_MANY),
            "materials": forms.SelectMultiple(attrs=SELECT_MANY),
        }


class ConclusionForm(forms.ModelForm):
    class Meta:
        model = Conclusion
        fields = ["meeting", "number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "unit",
            "number",
            "title",
            "description",
            "co_units",
            "meeting",
            "conclusion",
            "project",
            "programme",
            "due_month",
            "due_on",
            "recurrence",
            "documents",
        ]
        labels = {"unit": _("Owner unit")}
        widgets = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "co_units": forms.SelectMultiple(attrs=SELECT_MANY),
            "documents": forms.SelectMultiple(attrs=SELECT_MANY),
        }


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["unit", "title", "year", "description", "due_on", "documents"]
        widgets = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "documents": forms.SelectMultiple(attrs=SELECT_MANY),
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["project", "title", "due_on", "done_on", "note"]
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class WorkProgrammeForm(forms.ModelForm):
    class Meta:
        model = WorkProgramme
        fields = ["unit", "year", "title", "due_on"]
        widgets = {"due_on": DateInput()}


# -- verbs ----------------------------------------------------------------------------------


class ProgressForm(VerbForm):
    reported_on = forms.DateField(label=_("Report date"), widget=DateInput())
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    complete = forms.BooleanField(label=_("The task is completed"), required=False)


class CompleteForm(VerbForm):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReopenForm(VerbForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskFromConclusionForm(VerbForm):
    unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.all())
    title = forms.CharField(label=_("Task"), max_length=500)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), choices=Recurrence.choices, required=False
    )


class IssueForm(VerbForm):
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    document = forms.ModelChoiceField(
        label=_("Issuing document"), queryset=Document.objects.all(), required=False
    )
