"""The actions a record page offers, for its header's menu (templates/includes/record_header.html).

A detail view lists what the user may do with the record *now*: each action is offered only when
the service that carries it out would accept it. The view asks the service's own rule (a
`*_refusal(record)` function next to the service, which the service itself raises) instead of
writing the condition a second time in the template.

An action is either a page of its own (`url`: edit, delete, a download) or a form shown on the
record page only when chosen (`?do=<key>`, rendered by `{% action_panel "<key>" %}`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class RecordAction:
    key: str
    label: str | Promise
    url: str = ""  # a page of its own; "" for a form shown on the record page (?do=key)
    danger: bool = False  # delete: last in the menu, set apart, in red
    primary: bool = False  # also shown as a button beside the menu

    @property
    def is_form(self) -> bool:
        return not self.url

    @property
    def href(self) -> str:
        return self.url or f"?do={self.key}#action-{self.key}"


def ordered_actions(actions: Iterable[RecordAction | None]) -> list[RecordAction]:
    """The actions in menu order: the others as given, the dangerous ones (delete) last."""
    kept = [a for a in actions if a is not None]
    return [a for a in kept if not a.danger] + [a for a in kept if a.danger]


def chosen_action(actions: Iterable[RecordAction], requested: str | None) -> str:
    """The key of the form action to show open, if the user chose one that is offered."""
    for action in actions:
        if action.is_form and action.key == requested:
            return action.key
    return ""
