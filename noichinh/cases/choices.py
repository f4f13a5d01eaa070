from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    CRIMINAL_CASE = "criminal_case", _("Criminal case")
    MATTER = "matter", _("Matter")


class Conduct(models.TextChoices):
    CORRUPTION = "corruption", _("Corruption")
    NEGATIVE = "negative", _("Negative conduct")


class CaseField(models.TextChoices):
    LAND = "land", _("Land")
    FINANCE = "finance", _("Finance and banking")
    HEALTH = "health", _("Health")
    PROCUREMENT = "procurement", _("Procurement")
    CONSTRUCTION = "construction", _("Construction investment")
    RESOURCES = "resources", _("Natural resources and minerals")
    PUBLIC_ASSETS = "public_assets", _("Public assets")
    TRANSPORT = "transport", _("Transport")
    OTHER = "other", _("Other")


class Detection(models.TextChoices):
    SELF = "self", _("Detected by the committee itself")
    INSPECTION = "inspection", _("Through inspection")
    PETITION = "petition", _("Through petitions")
    PRESS = "press", _("Through the press")
    REFERRED = "referred", _("Referred by another body")


class MonitoringLevel(models.TextChoices):
    NONE = "", _("Not monitored")
    CENTRAL_STEERING = "1", _("Monitored by the Central Steering Committee")
    CENTRAL_COMMISSION = "2", _("Monitored by the Central Internal Affairs Commission")
    PROVINCIAL_STEERING = "3", _("Monitored by the provincial steering committee")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("Normal")
    CONFIDENTIAL = "confidential", _("Confidential")


class Stage(models.TextChoices):
    """Stages in their order; a case's stage is the one of its latest event."""

    REGISTERED = "registered", _("Registered")
    INSPECTION = "inspection", _("Inspection")
    VERIFICATION = "verification", _("Verification")
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    FIRST_TRIAL = "first_trial", _("First-instance trial")
    APPEAL = "appeal", _("Appeal trial")
    ENFORCEMENT = "enforcement", _("Enforcement of judgment")
    # "Closed" alone is a dissolved unit ("Đã giải thể"); a case that ended is another word.
    CLOSED = "closed", pgettext_lazy("case", "Closed")


# The stages a stalled rule can be set for (a closed case is never stalled).
STALL_STAGES = [c for c in Stage.choices if c[0] != Stage.CLOSED]


class SuspensionReason(models.TextChoices):
    EXPERT_ASSESSMENT = "assessment", _("Awaiting expert assessment")
    ASSET_VALUATION = "valuation", _("Awaiting asset valuation")
    JUDICIAL_ASSISTANCE = "assistance", _("Awaiting judicial assistance from abroad")
    CENTRAL_GUIDANCE = "guidance", _("Awaiting guidance from central bodies")
    OTHER = "other", _("Other")


class StalledState(models.TextChoices):
    STALLED = "stalled", _("Stalled")
    SUSPENDED = "suspended", _("Suspended")
    ONGOING = "ongoing", _("Open")
    CLOSED = "closed", pgettext_lazy("case", "Closed")


class IssueKind(models.TextChoices):
    MASS_GATHERING = "gathering", _("Mass gathering")
    COLLECTIVE_COMPLAINT = "collective", _("Long-running collective complaint")
    LAND_DISPUTE = "land", _("Land dispute")
    LABOUR = "labour", _("Labour dispute or strike")
    RELIGION_ETHNIC = "religion", _("Religious or ethnic issue")
    ENVIRONMENT = "environment", _("Environmental incident")
    OTHER = "other", _("Other")


class IssueStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    STABILISED = "stabilised", _("Stabilised")
    RESOLVED = "resolved", _("Resolved for good")
