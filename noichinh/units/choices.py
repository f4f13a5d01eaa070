from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Central commission")
    PROVINCIAL = "provincial", _("Provincial committee")
    DEPARTMENT = "department", _("Department")
    DISTRICT_GROUP = "district_group", _("District working group")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    CREATED = "created", _("Established")
    RENAMED = "renamed", _("Renamed")
    MOVED = "moved", _("Moved")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Split")
    CLOSED = "closed", _("Closed")


class LinkRole(models.TextChoices):
    SOURCE = "source", _("Before")
    TARGET = "target", _("After")
