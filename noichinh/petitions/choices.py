from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person at citizen reception")
    POST = "post", _("By post")
    FORWARDED = "forwarded", _("Forwarded by another body")
    ONLINE = "online", _("Online")


class PetitionKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation")
    FEEDBACK = "feedback", _("Feedback")


class ComplaintRound(models.TextChoices):
    NONE = "", _("Not a complaint")
    FIRST = "first", _("First complaint")
    SECOND = "second", _("Second complaint")


class PetitionField(models.TextChoices):
    LAND = "land", _("Land compensation and clearance")
    ADMINISTRATION = "administration", _("Administrative matters")
    JUSTICE = "justice", _("Justice and judicial bodies")
    CORRUPTION = "corruption", _("Corruption and negative conduct")
    PARTY = "party", _("Party officials and members")
    OTHER = "other", _("Other")


class Complexity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    COMPLEX = "complex", _("Complex")
    VERY_COMPLEX = "very_complex", _("Especially complex")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    FORWARDED = "forwarded", _("Forwarded to the competent body")
    GUIDED = "guided", _("Guided back to the petitioner")
    REJECTED = "rejected", _("Not accepted")
    DUPLICATE = "duplicate", _("Duplicate")
    RESOLVED = "resolved", _("Resolved")


# A petition is open while received or accepted; every other status closes it (resolved, or
# classified away: forwarded, guided back, not accepted, a duplicate).
OPEN_STATUSES = (PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED)


class Decision(models.TextChoices):
    """How a received petition is classified and routed (petition_classify)."""

    ACCEPT = "accept", _("Accept (within jurisdiction)")
    FORWARD = "forward", _("Forward to the competent body")
    GUIDE = "guide", _("Guide the petitioner")
    REJECT = "reject", _("Do not accept")
    DUPLICATE = "duplicate", _("Duplicate of an earlier petition")


DECISION_STATUS = {
    Decision.ACCEPT: PetitionStatus.ACCEPTED,
    Decision.FORWARD: PetitionStatus.FORWARDED,
    Decision.GUIDE: PetitionStatus.GUIDED,
    Decision.REJECT: PetitionStatus.REJECTED,
    Decision.DUPLICATE: PetitionStatus.DUPLICATE,
}


class Outcome(models.TextChoices):
    # complaints (Law on Complaints 2011)
    CORRECT = "correct", _("Correct")
    PARTLY_CORRECT = "partly_correct", _("Partly correct")
    WRONG = "wrong", _("Wrong")
    # denunciations (Law on Denunciations 2018)
    FOUNDED = "founded", _("Founded")
    PARTLY_FOUNDED = "partly_founded", _("Partly founded")
    UNFOUNDED = "unfounded", _("Unfounded")
    # recommendations and feedback
    ANSWERED = "answered", _("Answered")


OUTCOMES_BY_KIND: dict[str, tuple[str, ...]] = {
    PetitionKind.COMPLAINT: (Outcome.CORRECT, Outcome.PARTLY_CORRECT, Outcome.WRONG),
    PetitionKind.DENUNCIATION: (Outcome.FOUNDED, Outcome.PARTLY_FOUNDED, Outcome.UNFOUNDED),
    PetitionKind.RECOMMENDATION: (Outcome.ANSWERED,),
    PetitionKind.FEEDBACK: (Outcome.ANSWERED,),
}


class FollowUp(models.TextChoices):
    NONE = "", _("Not recorded")
    IN_PROGRESS = "in_progress", _("Being carried out")
    DONE = "done", _("Carried out")
    NOT_DONE = "not_done", _("Not carried out")


class DeadlineState(models.TextChoices):
    """A petition's position against its legal deadline on a day (derived, never stored)."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    RESOLVED_ON_TIME = "resolved_on_time", _("Resolved on time")
    RESOLVED_LATE = "resolved_late", _("Resolved late")
