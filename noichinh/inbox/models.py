"""The inbox: notifications of what needs a user, their e-mail preference, and the reminder
rules administrators set per unit. Notifications are written only through `services.notify`."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import UnitOwned
from noichinh.core.permissions import Role


class NotificationKind(models.TextChoices):
    PETITION_DUE = "petition_due", _("Petition deadline")
    REPORT_DUE = "report_due", _("Report due")
    REPORT_RETURNED = "report_returned", _("Report returned for correction")
    SUBMISSION_PENDING = "submission_pending", _("Report waiting for approval")
    REGISTRATION_PENDING = "registration_pending", _("Target registration waiting for approval")
    TASK_DUE = "task_due", _("Task deadline")
    CASE_STALLED = "case_stalled", _("Stalled case")
    BALLOT_OPEN = "ballot_open", _("Open ballot")
    ESCALATION = "escalation", _("Overdue escalation")
    EXPORT_READY = "export_ready", _("Export ready")
    IMPORT_DONE = "import_done", _("Import finished")
    DOCUMENT_READY = "document_ready", _("Document ready")


class Digest(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    OFF = "off", _("Off")


class Notification(UnitOwned):
    """One thing that needs one user. `key` names the record, its deadline state and the day,
    so a scan that runs twice notifies nobody twice. `unit` is the record's unit: the gate
    narrows every list to the user's own notifications (`scope_narrow`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    # The record it is about ("petitions.petition", "3324"), when there is one.
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_user_key_unique")
        ]
        indexes = [
            # The bell: one COUNT over the user's unread rows.
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["emailed_at", "user"], name="notification_to_mail"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_narrow(cls, user: Any) -> Q:
        return Q(user_id=getattr(user, "pk", None)) if getattr(user, "pk", None) else Q(pk__in=[])

    @classmethod
    def scope_allows(cls, user: Any, obj: Any) -> bool:
        return bool(getattr(user, "pk", None)) and obj.user_id == user.pk

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a user wants their notifications by e-mail (no row: the daily digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    digest = models.CharField(
        _("e-mail"), max_length=10, choices=Digest.choices, default=Digest.DAILY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_digest_display()}"


class ReminderSource(models.TextChoices):
    PETITION = "petition", _("Petitions")
    REPORT = "report", _("Reports")
    TASK = "task", _("Tasks")
    CASE = "case", _("Cases")


class ReminderRule(UnitOwned):
    """For the unit's subtree: remind `roles` `days_before` working days before a deadline of
    `kind`, and tell the head when a record is overdue by `escalate_after_days` days. The rule
    of the nearest unit above a record applies; without one, the defaults of `scans`."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderSource.choices)
    days_before = models.PositiveSmallIntegerField(_("working days before the deadline"))
    roles = models.JSONField(_("roles told"), default=list, blank=True)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate to the head after (days overdue)"), null=True, blank=True
    )

    ROLE_CHOICES: ClassVar[list[tuple[str, Any]]] = [
        (Role.SPECIALIST, Role.SPECIALIST.label),
        (Role.HEAD, Role.HEAD.label),
        (Role.VIEWER, Role.VIEWER.label),
    ]

    class Meta:
        ordering = ["unit__path", "kind"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="reminder_rule_unit_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit}"

    def roles_display(self) -> str:
        labels = dict(self.ROLE_CHOICES)
        return ", ".join(str(labels.get(r, r)) for r in self.roles or ())

    roles_display.short_description = _("roles told")  # type: ignore[attr-defined]
