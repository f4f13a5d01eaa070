"""Reminder scans, declared in code: one per source, each finding the records that need someone
today (in Vietnam) and telling the users of the record's unit that the reminder rule names.

A scan yields `Item`s: a record, its state ("due_soon", "due_today", "overdue", "escalated",
"returned", "pending", "stalled", "open"), and who should hear of it (the roles held on a unit,
or named users). `run_scan` then, for each user, keeps only the records the gate lets that user
see (`Model.objects.restrict(user, "view")`), so nobody is told about a record they cannot
open, and calls `services.notify` with a key naming the record, the state and the deadline's
day: running a scan twice notifies nobody twice, an extension or a new stage speaks again.

    register_scan(Scan("tasks", "task_due", task_items))

The scheduler runs them all hourly and each morning at 7:00 Asia/Ho_Chi_Minh (apps.ready).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from noichinh.core.permissions import Role
from noichinh.core.text import format_date, format_number

from .models import Notification, NotificationKind, ReminderRule, ReminderSource
from .services import notify

# --------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class EffectiveRule:
    days_before: int
    roles: tuple[str, ...]
    escalate_after_days: int | None = None


DEFAULT_RULES: dict[str, EffectiveRule] = {
    ReminderSource.PETITION: EffectiveRule(5, (Role.SPECIALIST, Role.HEAD)),
    ReminderSource.REPORT: EffectiveRule(5, (Role.SPECIALIST, Role.HEAD)),
    ReminderSource.TASK: EffectiveRule(5, (Role.SPECIALIST, Role.HEAD)),
    ReminderSource.CASE: EffectiveRule(0, (Role.SPECIALIST, Role.HEAD)),
}


class Rules:
    """The reminder rules of one source: the rule of the nearest unit at or above a record's
    unit, else the default."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.by_path = {
            path: EffectiveRule(days, tuple(roles or ()), escalate)
            for path, days, roles, escalate in ReminderRule.objects.filter(kind=source).values_list(
                "unit__path", "days_before", "roles", "escalate_after_days"
            )
        }
        self.default = DEFAULT_RULES[source]

    def for_path(self, path: str) -> EffectiveRule:
        best = ""
        for rule_path in self.by_path:
            if path.startswith(rule_path) and len(rule_path) > len(best):
                best = rule_path
        return self.by_path[best] if best else self.default

    @property
    def widest_days(self) -> int:
        return max([self.default.days_before, *(r.days_before for r in self.by_path.values())])


def add_working_days(start: dt.date, days: int, holidays: frozenset[dt.date]) -> dt.date:
    """The N-th working day after `start` (Saturdays, Sundays and holidays skipped)."""
    from noichinh.petitions.clock import WORKING, add_days

    return add_days(start, days, WORKING, holidays)


# --------------------------------------------------------------------------------------------
# Items and scans


@dataclass
class Item:
    obj: Model
    kind: str
    state: str
    title: str
    key: str
    due_on: dt.date | None = None
    body: str = ""
    # Who hears of it: users holding one of `roles` on the unit `unit_path` itself...
    unit_path: str = ""
    roles: tuple[str, ...] = ()
    # ...and named users (a delegate of a ballot).
    user_ids: tuple[int, ...] = ()


@dataclass
class Context:
    today: dt.date
    holidays: frozenset[dt.date]
    cache: dict[str, Any] = field(default_factory=dict)

    def horizon(self, days: int) -> dt.date:
        return add_working_days(self.today, days, self.holidays)


@dataclass(frozen=True)
class Scan:
    name: str
    kind: str
    items: Callable[[Context], Iterable[Item]]


_scans: dict[str, Scan] = {}


def register_scan(scan: Scan) -> Scan:
    _scans[scan.name] = scan
    return scan


def scans() -> list[Scan]:
    return [_scans[name] for name in sorted(_scans)]


def record_url(obj: Model) -> str:
    from noichinh.core.resources import registry

    resource = registry.for_model(type(obj))
    if resource is None:
        return ""
    try:
        return reverse(resource.url_name("detail"), args=[obj.pk])
    except NoReverseMatch:
        return ""


def _deadline_state(due_on: dt.date, ctx: Context, rule: EffectiveRule) -> str:
    """ "overdue", "due_today", "due_soon" (within the rule's working days), or ""."""
    if due_on < ctx.today:
        if rule.escalate_after_days is not None and (
            (ctx.today - due_on).days >= rule.escalate_after_days
        ):
            return "escalated"
        return "overdue"
    if due_on == ctx.today:
        return "due_today"
    if due_on <= ctx.horizon(rule.days_before):
        return "due_soon"
    return ""


def _deadline_title(state: str, what: str, due_on: dt.date, ctx: Context) -> str:
    if state in ("overdue", "escalated"):
        days = (ctx.today - due_on).days
        return _("Overdue by %(days)s days: %(what)s") % {
            "days": format_number(days),
            "what": what,
        }
    if state == "due_today":
        return _("Due today: %(what)s") % {"what": what}
    return _("Due on %(day)s: %(what)s") % {"day": format_date(due_on), "what": what}


def _deadline_items(
    *,
    kind: str,
    rows: Iterable[Any],
    due_of: Callable[[Any], dt.date | None],
    label: Callable[[Any], str],
    ctx: Context,
    rules: Rules,
) -> Iterator[Item]:
    for obj in rows:
        due_on = due_of(obj)
        if due_on is None:
            continue
        path = obj.unit.path
        rule = rules.for_path(path)
        state = _deadline_state(due_on, ctx, rule)
        if not state:
            continue
        what = label(obj)
        base = f"{kind}:{obj._meta.label_lower}:{obj.pk}:{due_on.isoformat()}"
        if state == "escalated":
            # The head hears of it as an escalation; the others keep their "overdue" one.
            yield Item(
                obj,
                NotificationKind.ESCALATION,
                state,
                _deadline_title(state, what, due_on, ctx),
                f"{base}:escalated",
                due_on,
                unit_path=path,
                roles=(Role.HEAD,),
            )
            state = "overdue"
        yield Item(
            obj,
            kind,
            state,
            _deadline_title(state, what, due_on, ctx),
            f"{base}:{state}",
            due_on,
            unit_path=path,
            roles=rule.roles,
        )


def petition_items(ctx: Context) -> Iterator[Item]:
    petition = apps.get_model("petitions", "Petition")
    rules = Rules(ReminderSource.PETITION)
    horizon = ctx.horizon(rules.widest_days)
    # The deadline running now is the stored `current_due_on` (petitions/aggregates.py keeps
    # it on every write; indexed with the unit): the legal clock's rule, not restated here.
    rows = (
        petition.objects.filter(current_due_on__lte=horizon)
        .select_related("unit")
        .only("pk", "reference", "subject", "status", "current_due_on", "unit__path")
    )

    def label(p: Any) -> str:
        step = _("classify") if p.status == "received" else _("resolve")
        return f"{p} ({step})"

    yield from _deadline_items(
        kind=NotificationKind.PETITION_DUE,
        rows=rows,
        due_of=lambda p: p.current_due_on,
        label=label,
        ctx=ctx,
        rules=rules,
    )


def report_items(ctx: Context) -> Iterator[Item]:
    submission = apps.get_model("reports", "Submission")
    rules = Rules(ReminderSource.REPORT)
    horizon = ctx.horizon(rules.widest_days)
    due = submission.objects.filter(status="draft", due_on__lte=horizon).select_related(
        "unit", "form"
    )
    yield from _deadline_items(
        kind=NotificationKind.REPORT_DUE,
        rows=due,
        due_of=lambda s: s.due_on,
        label=str,
        ctx=ctx,
        rules=rules,
    )
    # Returned for correction: the unit's specialists and head hear of it once per return.
    for sub in submission.objects.filter(status="returned").select_related("unit", "form"):
        reason = hashlib.sha1(sub.return_reason.encode(), usedforsecurity=False).hexdigest()[:10]
        yield Item(
            sub,
            NotificationKind.REPORT_RETURNED,
            "returned",
            _("Returned for correction: %(what)s") % {"what": sub},
            f"report_returned:{sub.pk}:{reason}",
            sub.due_on,
            body=sub.return_reason,
            unit_path=sub.unit.path,
            roles=rules.for_path(sub.unit.path).roles,
        )


def submission_items(ctx: Context) -> Iterator[Item]:
    """Reports submitted and waiting for the approver (the form's approver role on the form's
    unit)."""
    submission = apps.get_model("reports", "Submission")
    for sub in submission.objects.filter(status="submitted").select_related(
        "unit", "form", "form__unit"
    ):
        day = timezone.localdate(sub.submitted_at) if sub.submitted_at else sub.due_on
        yield Item(
            sub,
            NotificationKind.SUBMISSION_PENDING,
            "pending",
            _("Waiting for your approval: %(what)s") % {"what": sub},
            f"submission_pending:{sub.pk}:{day.isoformat()}",
            sub.due_on,
            unit_path=sub.form.unit.path,
            roles=(sub.form.approver_role,),
        )


def registration_items(ctx: Context) -> Iterator[Item]:
    """Target registrations submitted and waiting for the level above (its heads)."""
    registration = apps.get_model("campaigns", "TargetRegistration")
    rows = registration.objects.filter(status="submitted", unit__parent__isnull=False)
    for reg in rows.select_related("unit", "unit__parent", "campaign"):
        day = reg.submitted_on.isoformat() if reg.submitted_on else ""
        yield Item(
            reg,
            NotificationKind.REGISTRATION_PENDING,
            "pending",
            _("Waiting for your approval: %(what)s") % {"what": reg},
            f"registration_pending:{reg.pk}:{day}",
            unit_path=reg.unit.parent.path,
            roles=(Role.HEAD,),
        )


def task_items(ctx: Context) -> Iterator[Item]:
    task = apps.get_model("work", "Task")
    rules = Rules(ReminderSource.TASK)
    horizon = ctx.horizon(rules.widest_days)
    rows = task.objects.filter(status="open", due_on__lte=horizon).select_related("unit")
    yield from _deadline_items(
        kind=NotificationKind.TASK_DUE,
        rows=rows,
        due_of=lambda t: t.due_on,
        label=str,
        ctx=ctx,
        rules=rules,
    )


def case_items(ctx: Context) -> Iterator[Item]:
    from noichinh.cases.choices import Stage
    from noichinh.cases.rules import cached_rules, stalled_q, verdict_text

    case = apps.get_model("cases", "Case")
    rules = Rules(ReminderSource.CASE)
    rows = (
        case.objects.filter(stalled_q(ctx.today, cached_rules()))
        .exclude(stage=Stage.CLOSED)
        .select_related("unit")
    )
    for obj in rows:
        since = obj.suspended_since or obj.last_event_on or obj.detected_on
        text = obj.stall(ctx.today)
        yield Item(
            obj,
            NotificationKind.CASE_STALLED,
            "stalled",
            _("Stalled case: %(what)s") % {"what": obj},
            f"case_stalled:{obj.pk}:{obj.stage}:{since.isoformat() if since else ''}",
            body=verdict_text(text),
            unit_path=obj.unit.path,
            roles=rules.for_path(obj.unit.path).roles,
        )


def ballot_items(ctx: Context) -> Iterator[Item]:
    """Open ballots, to each delegate with an account who has not taken part yet."""
    ballot = apps.get_model("awards", "Ballot")
    delegate = apps.get_model("awards", "Delegate")
    participation = apps.get_model("awards", "BallotParticipation")
    for b in ballot.objects.filter(status="open").select_related("review", "unit"):
        voted = participation.objects.filter(ballot=b, voted=True).values("delegate_id")
        users = tuple(
            delegate.objects.filter(review_id=b.review_id, user__isnull=False)
            .exclude(pk__in=voted)
            .values_list("user_id", flat=True)
        )
        if not users:
            continue
        yield Item(
            b,
            NotificationKind.BALLOT_OPEN,
            "open",
            _("A ballot is open for you: %(what)s") % {"what": b},
            f"ballot_open:{b.pk}",
            user_ids=users,
        )


register_scan(Scan("ballots", NotificationKind.BALLOT_OPEN, ballot_items))
register_scan(Scan("cases", NotificationKind.CASE_STALLED, case_items))
register_scan(Scan("petitions", NotificationKind.PETITION_DUE, petition_items))
register_scan(Scan("registrations", NotificationKind.REGISTRATION_PENDING, registration_items))
register_scan(Scan("reports", NotificationKind.REPORT_DUE, report_items))
register_scan(Scan("submissions", NotificationKind.SUBMISSION_PENDING, submission_items))
register_scan(Scan("tasks", NotificationKind.TASK_DUE, task_items))


# --------------------------------------------------------------------------------------------
# Running


def _ancestors(path: str) -> list[str]:
    """The unit's own path first, then each unit above it."""
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[:i]) + "." for i in range(len(parts), 0, -1)]


def _holders(paths: set[str], today: dt.date) -> dict[str, dict[str, set[int]]]:
    """unit path -> role -> ids of active users holding the role on that unit itself."""
    assignment = apps.get_model("accounts", "RoleAssignment")
    found: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    if not paths:
        return found
    rows = (
        assignment.objects.filter(unit__path__in=paths, valid_from__lte=today, user__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values_list("unit__path", "role", "user_id")
    )
    for path, role, user_id in rows:
        found[path][role].add(user_id)
    return found


def _recipients(
    item: Item, holders: dict[str, dict[str, set[int]]], cache: dict[Any, set[int]]
) -> set[int]:
    """Named users, and the holders of the item's roles on its unit, or, when nobody there
    holds them (a department without accounts of its own), on the nearest unit above."""
    users = set(item.user_ids)
    if item.unit_path and item.roles:
        key = (item.unit_path, item.roles)
        if key not in cache:
            cache[key] = set()
            for path in _ancestors(item.unit_path):
                here = holders.get(path, {})
                found = set().union(*(here.get(r, set()) for r in item.roles))
                if found:
                    cache[key] = found
                    break
        users |= cache[key]
    return users


@dataclass
class ScanResult:
    name: str
    items: int = 0
    created: int = 0
    seconds: float = 0.0


def run_scan(scan: Scan, today: dt.date | None = None) -> ScanResult:
    started = time.perf_counter()
    today = today or timezone.localdate()
    from noichinh.petitions.services import holiday_set

    ctx = Context(today=today, holidays=holiday_set())
    result = ScanResult(scan.name)
    with translation.override("vi"):
        items = list(scan.items(ctx))
        result.items = len(items)
        paths = {a for i in items if i.unit_path for a in _ancestors(i.unit_path)}
        holders = _holders(paths, today)
        # user id -> the items they would hear of
        by_user: dict[int, list[Item]] = defaultdict(list)
        cache: dict[Any, set[int]] = {}
        for item in items:
            for user_id in _recipients(item, holders, cache):
                by_user[user_id].append(item)
        if not by_user:
            result.seconds = time.perf_counter() - started
            return result
        user_model = apps.get_model("accounts", "User")
        people = user_model.objects.in_bulk(list(by_user))
        for user_id, user_items in by_user.items():
            user = people.get(user_id)
            if user is None or not user.is_active:
                continue
            result.created += _notify_user(user, user_items)
    result.seconds = time.perf_counter() - started
    return result


def _notify_user(user: Any, items: list[Item]) -> int:
    keys = {i.key for i in items}
    known = set(Notification.objects.filter(user=user, key__in=keys).values_list("key", flat=True))
    fresh = [i for i in items if i.key not in known]
    if not fresh:
        return 0
    # The gate: only the records this user may see, one query per model.
    by_model: dict[type[Model], set[Any]] = defaultdict(set)
    for item in fresh:
        by_model[type(item.obj)].add(item.obj.pk)
    visible: dict[type[Model], set[Any]] = {}
    for model, pks in by_model.items():
        manager: Any = model._default_manager
        visible[model] = set(
            manager.restrict(user, "view").filter(pk__in=pks).values_list("pk", flat=True)
        )
    created = 0
    with transaction.atomic():  # one commit per user, not one per notification
        created = _notify_items(user, fresh, visible)
    return created


def _notify_items(user: Any, fresh: list[Item], visible: dict[type[Model], set[Any]]) -> int:
    created = 0
    for item in fresh:
        if item.obj.pk not in visible[type(item.obj)]:
            continue
        made = notify(
            user=user,
            kind=item.kind,
            title=item.title,
            url=record_url(item.obj),
            key=item.key,
            obj=item.obj,
            due_on=item.due_on,
            body=item.body,
        )
        created += made is not None
    return created


def run_scans(only: str | None = None, today: dt.date | None = None) -> list[ScanResult]:
    chosen = [s for s in scans() if only in (None, s.name, s.kind)]
    if only and not chosen:
        raise ValueError(f"no scan named {only!r}")
    return [run_scan(s, today) for s in chosen]
