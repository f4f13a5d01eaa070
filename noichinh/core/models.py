"""Framework models: the base of every unit-owned record, and the append-only audit log."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet

ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class Record(models.Model):
    """Timestamps and a folded search column (diacritics-free search on SQLite and PostgreSQL)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    scope_path_lookup: ClassVar[str] = "unit__path"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        from .resources import registry

        resource = registry.for_model(type(self))
        if resource is not None:
            self.search_text = resource.build_search_text(self)


class UnitOwned(Record):
    """Every domain record belongs to a unit; scope follows the unit's subtree."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )

    objects = ScopedManager()

    class Meta:
        abstract = True

    def full_clean(
        self,
        exclude: Any = None,
        validate_unique: bool = True,
        validate_constraints: bool = True,
    ) -> None:
        """The model's own validation, then the closed-unit guard (core.handover): a unit
        whose last day is before the record's date takes no new record, on every write path."""
        from django.core.exceptions import ValidationError

        from .handover import check_unit_open

        errors: dict[str, Any] = {}
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "unit" not in (exclude or ()) and "unit" not in errors:
            try:
                check_unit_open(self)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class Versioned(models.Model):
    """A record two people may edit at once: `version` grows by one on every save, and the
    generic writes (core.services.object_update) refuse a change made from an older version
    (core.services.StaleVersion: the edit page says what changed meanwhile, the API answers
    409). Adding this mixin to a model's bases is all a resource needs."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and not getattr(self, "_version_claimed", False):
            self.version = (self.version or 0) + 1
        self._version_claimed = False
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "version" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("State change")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    # A protected identity (a denouncer's) shown to a user: one entry per request and record,
    # or per request for a list (petitions.identity.log_identity_view); never the identity.
    VIEW_IDENTITY = "view_identity", _("Viewed identity")


class AuditQuerySet(ScopedQuerySet["AuditEntry"]):
    def restrict(self, user: Any, action: str = "view") -> AuditQuerySet:
        """Entries of the user's subtrees; entries tied to no unit (a failed sign-in with an
        unknown name) only for those whose scope is the whole tree."""
        from .scoping import user_scope

        scope = user_scope(user, action, self.model)
        condition = scope.q("unit_path")
        if any(len(p) and p.count(".") == 1 for p in scope.paths) or "" in scope.paths:
            condition |= models.Q(unit_path="")
        return self.filter(condition)


class AuditEntry(models.Model):
    """One entry of the append-only log. Each entry carries the hash of the one before it.

    No foreign keys: deleting a user or a record must never rewrite history.
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = models.Manager.from_queryset(AuditQuerySet)()
    scope_path_lookup: ClassVar[str] = "unit_path"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("The audit log is append-only.")


class AuditHead(models.Model):
    """The single row naming the newest entry: writers lock it; it reveals a removed tail."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head {self.last_id}"


class Handover(models.Model):
    """A record handed over from a closing unit to its heir (core.handover): who held it until
    the day before `on`. The counts of past days attribute the record to that unit."""

    object_type = models.CharField(_("record type"), max_length=100)
    object_id = models.BigIntegerField(_("record id"))
    from_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    to_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("handed over to")
    )
    on = models.DateField(_("held from"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        indexes = [models.Index(fields=["object_type", "on", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.from_unit_id}->{self.to_unit_id}"


class ScheduledRun(models.Model):
    """When each periodic entry (core.schedule) was last put on the queue."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_enqueued_at}"


class JobKind(models.TextChoices):
    EXPORT = "export", _("Excel export")
    IMPORT = "import", _("Excel import")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(UnitOwned):
    """A long import or export run by the background worker (core.jobs): who asked, for which
    list, how far it is, and its file. Only its owner sees it (`Job.objects.owned_by`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    resource = models.CharField(_("list"), max_length=100)
    title = models.CharField(_("title"), max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    source = models.FileField(_("uploaded file"), upload_to="jobs/in/%Y/%m/", blank=True)
    file = models.FileField(_("file"), upload_to="jobs/out/%Y/%m/", blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
