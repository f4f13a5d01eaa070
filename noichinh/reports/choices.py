from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF = "half", _("Six-month")
    NINE_MONTHS = "nine_months", _("Nine-month")
    YEAR = "year", _("Yearly")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    MAX = "max", _("Maximum")
    NONE = "none", _("Not aggregated")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    DERIVED = "derived", _("Derived from a registry")
    RATIO = "ratio", _("Percentage of two indicators")


class Reporting(models.TextChoices):
    CHILDREN = "children", _("Units directly under the owner")
    SELECTED = "selected", _("Selected units")


class Operator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    EQ = "eq", "="
    GE = "ge", "≥"
    GT = "gt", ">"
    SUM = "sum", _("= sum of the parts")
    PERCENT = "percent", _("= percentage of right over denominator")


class Severity(models.TextChoices):
    BLOCK = "block", _("Blocks submission")
    WARN = "warn", _("Warning only")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    LOCKED = "locked", _("Locked for editing")


EDITABLE = (Status.DRAFT, Status.RETURNED)
FINAL = (Status.APPROVED, Status.LOCKED)
