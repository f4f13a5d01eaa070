"""Periodic reports: indicators, report forms (sections, items, validation rules), and each
unit's submission for a form and a period, with one value per indicator.

A submission's period is stored as its code (core.periods) with its first and last day, so
reports are found by period without parsing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.comparisons import Polarity
from noichinh.core.counts import count_choices
from noichinh.core.models import UnitOwned
from noichinh.core.periods import Period, parse_period
from noichinh.core.permissions import Role

from .choices import Aggregation, Operator, PeriodKind, Reporting, Severity, Source, Status


class Indicator(UnitOwned):
    """A figure that report forms ask for. Indicators of a unit are read by every unit below
    it (a central indicator is used by the provinces)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    measure = models.CharField(
        _("unit of measure"), max_length=30, blank=True, help_text=_("For example: vụ, đơn, %.")
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    count_key = models.CharField(
        _("derived count"),
        max_length=100,
        blank=True,
        help_text=_("The registry count a derived indicator is computed from."),
    )
    numerator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("numerator"),
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals"), default=0, validators=[MaxValueValidator(4)]
    )
    polarity = models.CharField(
        _("polarity"),
        max_length=15,
        choices=Polarity.choices,
        default=Polarity.NEUTRAL,
        help_text=_(
            "Whether a rise is good news (cases resolved) or bad news (overdue petitions, "
            "traffic accidents): it colours the comparison with the same period last year."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.source == Source.DERIVED:
            known = {key for key, _label in count_choices()}
            if not self.count_key:
                errors["count_key"] = _("Choose the registry count of a derived indicator.")
            elif self.count_key not in known:
                errors["count_key"] = _("“%(key)s” is not a known derived count.") % {
                    "key": self.count_key
                }
        elif self.count_key:
            errors["count_key"] = _("Only a derived indicator has a registry count.")
        if self.source == Source.RATIO:
            if self.numerator_id is None or self.denominator_id is None:
                errors["denominator"] = _("A percentage needs a numerator and a denominator.")
            elif self.pk is not None and self.pk in (self.numerator_id, self.denominator_id):
                errors["numerator"] = _("A percentage cannot be computed from itself.")
        elif self.numerator_id or self.denominator_id:
            errors["numerator"] = _("Only a percentage has a numerator and a denominator.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_derived(self) -> bool:
        return self.source == Source.DERIVED

    @property
    def is_ratio(self) -> bool:
        return self.source == Source.RATIO


class ReportForm(UnitOwned):
    """A report form: which units report, for which periods, by when, approved by whom."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    period_type = models.CharField(_("period type"), max_length=20, choices=PeriodKind.choices)
    cumulative = models.BooleanField(
        _("cumulative from the start of the year"),
        default=False,
        help_text=_("Only for monthly, quarterly and six-month forms."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("due days after the period ends"), default=5, validators=[MaxValueValidator(120)]
    )
    reporting = models.CharField(
        _("reporting units"), max_length=10, choices=Reporting.choices, default=Reporting.CHILDREN
    )
    reporting_units = models.ManyToManyField(
        "units.Unit", blank=True, related_name="+", verbose_name=_("selected units")
    )
    approver_role = models.CharField(
        _("approved by"),
        max_length=20,
        choices=[(Role.HEAD, Role.HEAD.label), (Role.SYSTEM_ADMIN, Role.SYSTEM_ADMIN.label)],
        default=Role.HEAD,
    )
    active = models.BooleanField(_("in use"), default=True)
    description = models.TextField(_("description"), blank=True)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["code"]
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"

    def clean(self) -> None:
        if self.cumulative and self.period_type not in (
            PeriodKind.MONTH,
            PeriodKind.QUARTER,
            PeriodKind.HALF,
        ):
            raise ValidationError(
                {"cumulative": _("Only monthly, quarterly and six-month forms can be cumulative.")}
            )

    def period(self, code: str) -> Period:
        """The form's period of a code; ValidationError when it is not one of this form's."""
        period = parse_period(code)
        if (
            period is None
            or period.type != self.period_type
            or period.cumulative != self.cumulative
        ):
            raise ValidationError(_("“%(code)s” is not a period of this form.") % {"code": code})
        return period

    def due_on(self, period: Period) -> dt.date:
        return period.end + dt.timedelta(days=self.due_days)


class FormSection(UnitOwned):
    """A numbered section of a form (I, II, ...); owned by the form's unit."""

    form = models.ForeignKey(
        ReportForm, on_delete=models.CASCADE, related_name="sections", verbose_name=_("form")
    )
    number = models.PositiveSmallIntegerField(
        _("section number"), validators=[MinValueValidator(1)]
    )
    title = models.CharField(_("heading"), max_length=300)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["form", "number"]
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="report_section_number")
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.number}. {self.title}"


class FormItem(UnitOwned):
    """An indicator asked by a form, in a section, in order; owned by the form's unit."""

    form = models.ForeignKey(
        ReportForm, on_delete=models.CASCADE, related_name="items", verbose_name=_("form")
    )
    section = models.ForeignKey(
        FormSection,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("section"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["form", "section__number", "order", "id"]
        verbose_name = _("form item")
        verbose_name_plural = _("form items")
        constraints = [
            models.UniqueConstraint(fields=["form", "indicator"], name="report_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.form.code}: {self.indicator.name}"

    def clean(self) -> None:
        section = self.section if self.section_id else None
        if section is not None and self.form_id and section.form_id != self.form_id:
            raise ValidationError({"section": _("The section belongs to another form.")})


class ValidationRule(UnitOwned):
    """left OPERATOR right; or left = sum of parts; or left = right / denominator x 100 within
    the tolerance (in percentage points). Owned by the form's unit."""

    form = models.ForeignKey(
        ReportForm, on_delete=models.CASCADE, related_name="rules", verbose_name=_("form")
    )
    left = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    right = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compared with"),
    )
    denominator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )
    parts = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("parts"))
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=8, decimal_places=3, default=Decimal("0.5")
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.BLOCK
    )
    message = models.CharField(_("message shown"), max_length=300, blank=True)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["form", "id"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")

    def __str__(self) -> str:
        if self.message:
            return self.message
        right = self.right.code if self.right else ""
        return f"{self.left.code} {self.get_operator_display()} {right}"

    def clean(self) -> None:
        compares = (Operator.LE, Operator.LT, Operator.EQ, Operator.GE, Operator.GT)
        if self.operator in compares and self.right_id is None:
            raise ValidationError({"right": _("Choose the indicator to compare with.")})
        if self.operator == Operator.PERCENT and (
            self.right_id is None or self.denominator_id is None
        ):
            raise ValidationError(
                {"denominator": _("A percentage rule needs a numerator and a denominator.")}
            )


class Submission(UnitOwned):
    """A unit's report on a form for a period."""

    form = models.ForeignKey(
        ReportForm, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("form")
    )
    period = models.CharField(_("period"), max_length=30)
    period_start = models.DateField(_("first day"), editable=False)
    period_end = models.DateField(_("last day"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    due_on = models.DateField(_("due on"), editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted by"),
    )
    on_time = models.BooleanField(_("on time"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-period_end", "form", "unit__path"]
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "period", "unit"], name="report_submission_once"
            )
        ]
        indexes = [models.Index(fields=["form", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.form.code} · {self.period_label()} · {self.unit}"

    @property
    def period_value(self) -> Period:
        return Period.parse(self.period)

    def period_label(self) -> str:
        period = parse_period(self.period)
        return period.label if period else self.period

    period_label.short_description = _("period")  # type: ignore[attr-defined]

    @property
    def status_css(self) -> str:
        css: dict[str, str] = {
            Status.DRAFT: "status-closed",
            Status.SUBMITTED: "status-warning",
            Status.APPROVED: "status-active",
            Status.RETURNED: "status-danger",
            Status.LOCKED: "status-active",
        }
        return css.get(self.status, "status-closed")

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    def fill_period(self) -> None:
        """First and last day and the due date from the period's code (before validation)."""
        if self.form_id:
            try:
                period = self.form.period(self.period)
            except ValidationError as error:
                raise ValidationError({"period": error.messages}) from error
            self.period_start, self.period_end = period.start, period.end
            self.due_on = self.form.due_on(period)

    def clean(self) -> None:
        self.fill_period()


class DataValue(models.Model):
    """One figure of a submission: the value reported, the value derived from the registries
    (for derived indicators) and a comment."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="values", verbose_name=_("report")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    derived = models.DecimalField(
        _("derived value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="report_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.value}"

    @property
    def difference(self) -> Decimal | None:
        """Entered minus derived, when both exist and differ."""
        if self.value is None or self.derived is None or self.value == self.derived:
            return None
        return self.value - self.derived
