from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Recipients(models.TextChoices):
    COLLECTIVE = "collective", _("Collectives")
    INDIVIDUAL = "individual", _("Individuals")
    BOTH = "both", _("Collectives and individuals")


class ThresholdBasis(models.TextChoices):
    VALID_BALLOTS = "valid", _("of valid ballots")
    PRESENT = "present", _("of delegates present")


class NomineeType(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class BallotKind(models.TextChoices):
    SECRET = "secret", _("Secret ballot")
    NAMED = "named", _("Named vote")


class BallotStatus(models.TextChoices):
    # Own context: "Closed" alone is a unit's state ("Đã giải thể", dissolved).
    OPEN = "open", pgettext_lazy("ballot", "Open")
    CLOSED = "closed", pgettext_lazy("ballot", "Closed")


class Choice(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")
