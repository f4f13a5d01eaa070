from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Digest, NotificationKind, ReminderRule


class ReminderRuleForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("roles told"),
        choices=ReminderRule.ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The users holding these roles on the record's unit are reminded."),
    )

    class Meta:
        model = ReminderRule
        fields = ["unit", "kind", "days_before", "roles", "escalate_after_days"]
        help_texts = {
            "days_before": _("Working days (Saturdays, Sundays and public holidays skipped)."),
            "escalate_after_days": _(
                "Days overdue after which the head of the unit is told; empty: never."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = list(self.instance.roles or [])

    def clean_days_before(self) -> int:
        value = self.cleaned_data["days_before"]
        if value > 60:
            raise forms.ValidationError(_("At most 60 working days."))
        return int(value)


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *NotificationKind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("unread", _("Unread")), ("read", _("Read"))],
        required=False,
    )


class PreferenceForm(forms.Form):
    digest = forms.ChoiceField(label=_("Notifications by e-mail"), choices=Digest.choices)
