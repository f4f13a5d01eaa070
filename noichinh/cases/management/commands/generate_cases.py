"""Generate a national-scale case registry over the generated unit tree, for benchmarks.

    python manage.py generate_units --provinces 34 --communes-per-province 100 --departments 4
    python manage.py generate_cases --count 200000 --issues 50000 --seed 1

Spreads N cases and matters over the units `generate_units` made (codes GEN-…): most are
followed by a provincial committee (with one of its departments in charge), the rest by commune
working groups. They are detected over the last `--years` years up to today and run through the
stages with dated events (as the demo does: verification, investigation, prosecution with the
people prosecuted and the damage, trial, enforcement with the amount recovered, closure); some
are suspended (still, or resumed), a few are confidential, and many open ones have had no event
for months, so the stalled rule finds cases. Also M complex security and order issues.

Speed over ceremony: rows are bulk-created in batches. The case's derived fields (stage, last
activity, closure, open suspension, figures) are computed from the generated events and
suspensions exactly as `services.case_refresh` computes them, and `search_text` as the resources
build it. NO audit entries are written for the generated data. Everything generated belongs to
a GEN- unit, which is how `--replace` finds it. On PostgreSQL the command ends with VACUUM
ANALYZE of the tables it loaded.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from noichinh.cases.choices import (
    CaseField,
    CaseKind,
    Conduct,
    Confidentiality,
    Detection,
    IssueKind,
    IssueStatus,
    MonitoringLevel,
    Stage,
    SuspensionReason,
)
from noichinh.cases.demo import ISSUE_TEXTS, PLACES, SUBJECTS, _progress
from noichinh.cases.models import Case, CaseEvent, CaseSuspension, SecurityIssue
from noichinh.core.text import fold
from noichinh.petitions.management.commands.generate_petitions import vacuum_analyze
from noichinh.units.choices import UnitKind
from noichinh.units.management.commands.generate_units import PREFIX, ROOT_CODE, generated_units

INSERT_BATCH = 1000  # rows per INSERT statement
PROVINCE_SHARE = 0.8  # of cases followed by a provincial committee (the rest: communes)
DETECTIONS = [
    Detection.SELF,
    Detection.INSPECTION,
    Detection.PETITION,
    Detection.PRESS,
    Detection.REFERRED,
]
DETECTION_WEIGHTS = [30, 25, 20, 10, 15]
MONITORING = ["", MonitoringLevel.CENTRAL_STEERING, MonitoringLevel.CENTRAL_COMMISSION]
MONITORING += [MonitoringLevel.PROVINCIAL_STEERING]
MONITORING_WEIGHTS = [85, 1, 2, 12]
SUSPENSION_REASONS = [
    SuspensionReason.EXPERT_ASSESSMENT,
    SuspensionReason.ASSET_VALUATION,
    SuspensionReason.JUDICIAL_ASSISTANCE,
    SuspensionReason.CENTRAL_GUIDANCE,
    SuspensionReason.OTHER,
]
SUSPENSION_WEIGHTS = [40, 30, 5, 15, 10]
SUSPENDED = 0.06  # open cases still suspended
RESUMED = 0.05  # cases suspended once and resumed
CONFIDENTIAL = 0.03
DERIVED = (
    "stage",
    "last_event_on",
    "closed_on",
    "suspended_since",
    "suspension_reason",
    "people_prosecuted",
    "damage_amount",
    "recovered_amount",
)


def derive(
    detected_on: dt.date,
    events: list[CaseEvent],
    suspensions: list[CaseSuspension],
) -> dict[str, Any]:
    """The derived fields of a case as `services.case_refresh` computes them, from its events
    in the order (occurred_on, id) and its suspensions in the order (started_on, id) (creation
    order stands for the id: bulk inserts number rows in order)."""
    ordered = sorted(events, key=lambda e: e.occurred_on)  # stable: creation order breaks ties
    open_suspensions = sorted(
        (s for s in suspensions if s.ended_on is None), key=lambda s: s.started_on
    )
    last = ordered[-1] if ordered else None
    latest: dict[str, Any] = {
        "people_prosecuted": None,
        "damage_amount": None,
        "recovered_amount": None,
    }
    for event in ordered:
        for name in latest:
            value = getattr(event, name)
            if value is not None:
                latest[name] = value
    return {
        "stage": last.stage if last else Stage.REGISTERED,
        "last_event_on": last.occurred_on if last else detected_on,
        "closed_on": last.occurred_on if last and last.stage == Stage.CLOSED else None,
        "suspended_since": open_suspensions[0].started_on if open_suspensions else None,
        "suspension_reason": open_suspensions[0].reason if open_suspensions else "",
        **latest,
    }


def _joined(*folded: str) -> str:
    return " ".join(p for p in folded if p)


class Command(BaseCommand):
    help = (
        "Generate N cases (with events and suspensions) and M security and order issues over the "
        "generated unit tree, with the derived case fields as case_refresh computes them, for "
        "benchmarks (see bench/README.md). Bulk inserts: writes NO audit entries for the "
        "generated data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=200_000, help="cases to create")
        parser.add_argument(
            "--issues", type=int, default=50_000, help="security and order issues to create"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--batch", type=int, default=10_000, help="cases built and inserted per batch"
        )
        parser.add_argument("--years", type=int, default=6, help="detected over the last N years")
        parser.add_argument(
            "--replace", action="store_true", help="delete existing generated cases first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, issues, batch, years = (
            options["count"],
            options["issues"],
            options["batch"],
            options["years"],
        )
        if count < 0 or issues < 0:
            raise CommandError("--count and --issues must not be negative.")
        if batch < 1:
            raise CommandError("--batch must be positive.")
        if not 1 <= years <= 20:
            raise CommandError("--years must be between 1 and 20.")
        units = list(
            generated_units()
            .exclude(code=ROOT_CODE)
            .order_by("path")
            .only("id", "code", "kind", "parent_id", "short_name", "name")
        )
        provinces = [u for u in units if u.kind == UnitKind.PROVINCIAL]
        if not provinces:
            raise CommandError(
                "No generated units: run `python manage.py generate_units --provinces 34 "
                "--communes-per-province 100 --departments 4` first (see bench/README.md)."
            )
        existing = Case.objects.filter(unit__code__startswith=PREFIX).count()
        existing_issues = SecurityIssue.objects.filter(unit__code__startswith=PREFIX).count()
        if (existing or existing_issues) and not options["replace"]:
            raise CommandError(
                f"{existing} cases and {existing_issues} issues of generated units (codes "
                f"{PREFIX}…) already exist. Run again with --replace to delete and regenerate them."
            )
        if existing or existing_issues:
            started = time.perf_counter()
            self._delete_generated()
            self.stdout.write(
                f"deleted {existing} generated cases and {existing_issues} issues "
                f"in {time.perf_counter() - started:.1f} s"
            )
        generate_cases(
            units,
            count=count,
            issues=issues,
            seed=options["seed"],
            batch=batch,
            years=years,
            out=self.stdout,
        )
        vacuum_analyze(self, [Case, CaseEvent, CaseSuspension, SecurityIssue])

    @staticmethod
    def _delete_generated() -> None:
        """Raw deletes of everything owned by a generated unit (the collector would load every
        row): events and suspensions, the cases' document links, phases' origins, then cases."""
        cases = Case.objects.filter(unit__code__startswith=PREFIX)
        doomed = cases.values("pk")
        with transaction.atomic():
            CaseEvent.objects.filter(case__in=doomed)._raw_delete("default")
            CaseSuspension.objects.filter(case__in=doomed)._raw_delete("default")
            Case.documents.through.objects.filter(case__in=doomed)._raw_delete("default")
            cases.update(origin=None)
            if Case.objects.filter(origin__in=doomed).exists():
                raise CommandError("Cases of other units were split off from generated ones.")
            Case.objects.filter(unit__code__startswith=PREFIX)._raw_delete("default")
            issues = SecurityIssue.objects.filter(unit__code__startswith=PREFIX)
            SecurityIssue.documents.through.objects.filter(
                securityissue__in=issues.values("pk")
            )._raw_delete("default")
            issues._raw_delete("default")


def generate_cases(
    units: list[Any],
    *,
    count: int,
    issues: int,
    seed: int = 1,
    batch: int = 10_000,
    years: int = 6,
    out: Any = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Build and bulk-insert `count` cases (with events and suspensions) and `issues` security
    issues over `units` (objects with id, code, kind, parent_id, short_name and name),
    deterministically for a seed and a day. Returns the row counts. Used by this command and
    by `generate_national` (noichinh.benchmarks)."""
    today = today or timezone.localdate()
    first_day = today - dt.timedelta(days=365 * years)
    builder = Builder(units, seed, first_day, today)
    started = time.perf_counter()
    events = suspensions = 0
    with transaction.atomic():
        made = 0
        while made < count:
            size = min(batch, count - made)
            cases, new_events, new_suspensions = builder.cases(size)
            Case.objects.bulk_create(cases, batch_size=INSERT_BATCH)
            for event in new_events:
                event.case_id = event.case.pk
            for suspension in new_suspensions:
                suspension.case_id = suspension.case.pk
            CaseEvent.objects.bulk_create(new_events, batch_size=INSERT_BATCH)
            CaseSuspension.objects.bulk_create(new_suspensions, batch_size=INSERT_BATCH)
            made += size
            events += len(new_events)
            suspensions += len(new_suspensions)
            if out is not None and (made % 50_000 < batch or made == count):
                elapsed = time.perf_counter() - started
                out.write(f"  cases: {made}/{count} ({elapsed:.0f} s)")
        case_seconds = time.perf_counter() - started
        started = time.perf_counter()
        made = 0
        while made < issues:
            size = min(batch, issues - made)
            SecurityIssue.objects.bulk_create(builder.issues(size), batch_size=INSERT_BATCH)
            made += size
        issue_seconds = time.perf_counter() - started
    rows = count + events + suspensions
    if out is not None:
        out.write(
            f"cases created: {count} with {events} events and {suspensions} suspensions, "
            f"detected {first_day:%d/%m/%Y}-{today:%d/%m/%Y}, in {case_seconds:.1f} s "
            f"({count / case_seconds if case_seconds else 0:,.0f} cases/s, "
            f"{rows / case_seconds if case_seconds else 0:,.0f} rows/s)"
        )
        out.write(
            f"security issues created: {issues} in {issue_seconds:.1f} s "
            f"({issues / issue_seconds if issue_seconds else 0:,.0f}/s)"
        )
    return {"cases": count, "events": events, "suspensions": suspensions, "issues": issues}


class Builder:
    """Builds cases (unsaved) with their events and suspensions, and security issues."""

    def __init__(self, units: list[Any], seed: int, first_day: dt.date, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.first_day = first_day
        self.today = today
        self.span = (today - first_day).days
        self.provinces = [u for u in units if u.kind == UnitKind.PROVINCIAL]
        self.communes = [
            u for u in units if u.kind not in (UnitKind.PROVINCIAL, UnitKind.DEPARTMENT)
        ] or self.provinces
        self.departments: dict[int, list[Any]] = {}
        for unit in units:
            if unit.kind == UnitKind.DEPARTMENT and unit.parent_id:
                self.departments.setdefault(unit.parent_id, []).append(unit)
        self.sequence = 0
        self.folded: dict[str, str] = {}

    def fold(self, text: str) -> str:
        folded = self.folded.get(text)
        if folded is None:
            folded = fold(text)
            if len(self.folded) < 100_000:
                self.folded[text] = folded
        return folded

    def owner(self, province_share: float) -> tuple[Any, Any]:
        """The following unit and, for a province, most often one of its departments."""
        rng = self.rng
        if rng.random() < province_share:
            unit = rng.choice(self.provinces)
            departments = self.departments.get(unit.pk)
            department = rng.choice(departments) if departments and rng.random() < 0.7 else None
            return unit, department
        return rng.choice(self.communes), None

    def place(self, unit: Any) -> str:
        return f"{self.rng.choice(PLACES)} thuộc {unit.short_name or unit.name}"

    def cases(self, size: int) -> tuple[list[Case], list[CaseEvent], list[CaseSuspension]]:
        rng = self.rng
        cases: list[Case] = []
        all_events: list[CaseEvent] = []
        all_suspensions: list[CaseSuspension] = []
        fields = list(SUBJECTS)
        for _ in range(size):
            self.sequence += 1
            unit, department = self.owner(PROVINCE_SHARE)
            field = rng.choice(fields)
            subject = rng.choice(SUBJECTS[field]).format(place=self.place(unit))
            title = f"{subject} ({unit.code}-{self.sequence})"
            detected_on = self.first_day + dt.timedelta(days=rng.randint(0, self.span))
            case = Case(
                unit_id=unit.pk,
                department_id=department.pk if department else None,
                title=title,
                kind=CaseKind.CRIMINAL_CASE if rng.random() < 0.6 else CaseKind.MATTER,
                conduct=Conduct.CORRUPTION if rng.random() < 0.75 else Conduct.NEGATIVE,
                field=field if rng.random() < 0.9 else CaseField.OTHER,
                detected_on=detected_on,
                detection=rng.choices(DETECTIONS, DETECTION_WEIGHTS)[0],
                public_concern=rng.random() < 0.15,
                monitoring=rng.choices(MONITORING, MONITORING_WEIGHTS)[0],
                confidentiality=(
                    Confidentiality.CONFIDENTIAL
                    if rng.random() < CONFIDENTIAL
                    else Confidentiality.NORMAL
                ),
                summary="Vụ việc có dấu hiệu vi phạm pháp luật, gây thất thoát tài sản.",
            )
            folded_title = fold(title)
            case.search_text = _joined(folded_title, self.fold(case.summary))
            events = [
                CaseEvent(unit_id=unit.pk, case=case, **values)
                for values in _progress(rng, detected_on, self.today)
            ]
            for event in events:
                event.search_text = _joined(self.fold(event.description), folded_title)
            suspensions = self.suspensions(case, events, folded_title)
            for name, value in derive(detected_on, events, suspensions).items():
                setattr(case, name, value)
            cases.append(case)
            all_events += events
            all_suspensions += suspensions
        return cases, all_events, all_suspensions

    def suspensions(
        self, case: Case, events: list[CaseEvent], folded_title: str
    ) -> list[CaseSuspension]:
        rng = self.rng
        closed = bool(events) and events[-1].stage == Stage.CLOSED
        last = max((e.occurred_on for e in events), default=case.detected_on)
        found: list[CaseSuspension] = []
        draw = rng.random()
        if draw < RESUMED and events:
            # Suspended between two events and resumed.
            started = events[0].occurred_on + dt.timedelta(days=rng.randint(1, 20))
            ended = started + dt.timedelta(days=rng.randint(15, 200))
            if ended <= self.today:
                found.append(
                    self.suspension(case, started, ended, "Đã có kết quả giám định.", folded_title)
                )
        elif draw < RESUMED + SUSPENDED and not closed:
            started = last + dt.timedelta(days=rng.randint(10, 60))
            if started <= self.today:
                found.append(
                    self.suspension(
                        case, started, None, "Chờ kết quả giám định, định giá.", folded_title
                    )
                )
        return found

    def suspension(
        self,
        case: Case,
        started: dt.date,
        ended: dt.date | None,
        note: str,
        folded_title: str,
    ) -> CaseSuspension:
        suspension = CaseSuspension(
            unit_id=case.unit_id,
            case=case,
            reason=self.rng.choices(SUSPENSION_REASONS, SUSPENSION_WEIGHTS)[0],
            started_on=started,
            ended_on=ended,
            note=note,
        )
        suspension.search_text = _joined(self.fold(note), folded_title)
        return suspension

    def issues(self, size: int) -> list[SecurityIssue]:
        rng = self.rng
        kinds = list(ISSUE_TEXTS)
        result = []
        for _ in range(size):
            self.sequence += 1
            unit, department = self.owner(0.85)
            kind = rng.choice(kinds) if rng.random() < 0.95 else IssueKind.OTHER
            place = self.place(unit)
            text = ISSUE_TEXTS.get(kind, "Vụ việc phức tạp về an ninh, trật tự tại {place}")
            title = f"{text.format(place=place)} ({unit.code}-{self.sequence})"
            advised_on = self.first_day + dt.timedelta(days=rng.randint(0, self.span))
            started_on = advised_on - dt.timedelta(days=rng.randint(0, 20))
            resolved_on = advised_on + dt.timedelta(days=rng.randint(15, 200))
            resolved = resolved_on <= self.today and rng.random() < 0.7
            issue = SecurityIssue(
                unit_id=unit.pk,
                department_id=department.pk if department and rng.random() < 0.7 else None,
                title=title,
                kind=kind,
                location=place,
                people_count=rng.choice([30, 50, 80, 120, 200, 350, 500]),
                started_on=started_on,
                advised_on=advised_on,
                status=(
                    IssueStatus.RESOLVED
                    if resolved
                    else rng.choice([IssueStatus.ONGOING, IssueStatus.STABILISED])
                ),
                resolved_on=resolved_on if resolved else None,
                resolution="Tham mưu cấp ủy chỉ đạo đối thoại, giải quyết dứt điểm."
                if resolved
                else "",
                description="",
            )
            issue.search_text = _joined(fold(title), self.fold(place), self.fold(issue.resolution))
            result.append(issue)
        return result


__all__ = ["DERIVED", "Command", "derive", "generate_cases"]
