from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    BRIEFING = "briefing", _("Briefing")
    REVIEW = "review", _("Review conference")
    STEERING_SESSION = "steering_session", _("Steering committee session")
    OTHER = "other", _("Other meeting")


class MeetingPeriod(models.TextChoices):
    QUARTER = "quarter", _("Quarterly")
    SIX_MONTHS = "six_months", _("Six-month")
    NINE_MONTHS = "nine_months", _("Nine-month")
    YEAR = "year", _("Yearly")


class Recurrence(models.TextChoices):
    NONE = "", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHLY = "six_monthly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Completed")


class DeadlineState(models.TextChoices):
    """A task's position against its deadline on a day (derived, never stored)."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
