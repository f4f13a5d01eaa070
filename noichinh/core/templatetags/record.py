"""The record header and the action panels of record pages (docs/ui.md, "Record header")."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.utils.safestring import mark_safe

register = template.Library()


class RecordHeaderNode(Node):
    """`{% record_header %}badges{% header_buttons %}links{% header_menu %}<li>…
    {% endrecord_header %}`: the title, the status badges, the key facts and the actions menu
    (includes/record_header.html). The optional sections add buttons beside the menu and items
    to the menu, for a page whose actions are links the template builds."""

    child_nodelists = ("badge", "buttons", "menu")

    def __init__(self, badge: NodeList, buttons: NodeList, menu: NodeList) -> None:
        self.badge = badge
        self.buttons = buttons
        self.menu = menu

    def render(self, context: Any) -> str:
        parts = {
            "badge": self.badge.render(context).strip(),
            "header_buttons": self.buttons.render(context).strip(),
            "header_menu": self.menu.render(context).strip(),
        }
        header = context.template.engine.get_template("includes/record_header.html")
        with context.push(**{k: mark_safe(v) for k, v in parts.items()}):
            return str(header.render(context))


@register.tag
def record_header(parser: Parser, token: Token) -> RecordHeaderNode:
    sections = {
        "record_header": NodeList(),
        "header_buttons": NodeList(),
        "header_menu": NodeList(),
    }
    current = "record_header"
    while True:
        nodelist = parser.parse(("header_buttons", "header_menu", "endrecord_header"))
        sections[current] = nodelist
        tag = parser.next_token().contents
        if tag == "endrecord_header":
            break
        current = tag
    return RecordHeaderNode(
        sections["record_header"], sections["header_buttons"], sections["header_menu"]
    )


class ActionPanelNode(Node):
    """`{% action_panel "key" %}form{% endaction_panel %}`: the form of one action, shown only
    when the user chose it in the menu (`?do=key`, or a posted form came back with errors) and
    only if the action is offered (the service would accept it)."""

    child_nodelists = ("nodelist",)

    def __init__(self, key: Any, nodelist: NodeList) -> None:
        self.key = key
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        key = self.key.resolve(context)
        if context.get("open_action") != key:
            return ""
        action = next((a for a in context.get("record_actions", ()) if a.key == key), None)
        if action is None:
            return ""
        panel = context.template.engine.get_template("includes/action_panel.html")
        with context.push(action=action, panel_body=mark_safe(self.nodelist.render(context))):
            return str(panel.render(context))


@register.tag
def action_panel(parser: Parser, token: Token) -> ActionPanelNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("action_panel takes the action's key")
    nodelist = parser.parse(("endaction_panel",))
    parser.delete_first_token()
    return ActionPanelNode(parser.compile_filter(bits[1]), nodelist)
