from django.db import models
from django.utils.translation import gettext_lazy as _


class CriterionLevel(models.TextChoices):
    COMMITTEE = "committee", _("Committees")
    DEPARTMENT = "department", _("Departments")


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ReviewKind(models.TextChoices):
    MIDTERM = "midterm", _("Midterm review")
    FINAL = "final", _("Final review")


class ProgressState(models.TextChoices):
    AHEAD = "ahead", _("Ahead")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    NO_TARGET = "no_target", _("No target")


class CampaignState(models.TextChoices):
    """Derived from the campaign's dates (never stored): a campaign whose end date has passed
    has ended, whatever was recorded."""

    UPCOMING = "upcoming", _("Not started yet")
    RUNNING = "running", _("Under way")
    ENDED = "ended", _("Ended")
