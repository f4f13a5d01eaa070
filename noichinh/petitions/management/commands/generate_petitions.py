"""Generate a national-scale petition registry over the generated unit tree, for benchmarks.

    python manage.py generate_units --provinces 34 --communes-per-province 100 --departments 4
    python manage.py generate_petitions --count 1000000 --seed 1

Spreads N petitions over the units `generate_units` made (codes GEN-…): each provincial committee
receives as much as 40 commune working groups, a department a little. They are received over the
last `--years` years up to today, with the mix of the demo (complaints about land dominate,
denunciations carry protected identities), classified, accepted, extended, paused and resolved
on plausible dates; a few are never classified and some accepted ones are stuck, so the overdue
lists are not empty.

Speed over ceremony: rows are bulk-created in batches, with the stored deadlines computed by the
legal clock (`clock.due_date`, as `services.compute_deadlines` does, with the holiday calendar,
the extensions and the closed pauses) and `search_text` built by `PetitionResource` (a
denouncer's name never enters it). NO audit entries are written for the generated data, and
no reception sessions. Generated petitions have a register number starting with "GEN-" (the
unit's code), so `--replace` can delete them. On PostgreSQL the command ends with VACUUM ANALYZE
of the tables it loaded (see bench/README.md).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from functools import cache
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from noichinh.core.text import fold
from noichinh.petitions import aggregates, clock
from noichinh.petitions.choices import (
    OUTCOMES_BY_KIND,
    Channel,
    ComplaintRound,
    Complexity,
    FollowUp,
    PetitionKind,
    PetitionStatus,
)
from noichinh.petitions.crypto import blind_index
from noichinh.petitions.demo import (
    ACCUSED,
    COMMUNES,
    FAMILY,
    GIVEN,
    MIDDLE,
    PROJECTS,
    SUBJECTS,
    _kind_field,
)
from noichinh.petitions.models import (
    Petition,
    PetitionCount,
    PetitionCountNode,
    PetitionExtension,
    PetitionPause,
)
from noichinh.petitions.services import holiday_set
from noichinh.units.choices import UnitKind
from noichinh.units.management.commands.generate_units import PREFIX, ROOT_CODE, generated_units

INSERT_BATCH = 1000  # rows per INSERT statement
# Relative volume per unit kind: a provincial committee receives as much as 40 communes.
UNIT_WEIGHTS = {UnitKind.PROVINCIAL: 40.0, UnitKind.DEPARTMENT: 0.5}
COMMUNE_WEIGHT = 1.0
CHANNELS = [Channel.IN_PERSON, Channel.POST, Channel.FORWARDED, Channel.ONLINE]
CHANNEL_WEIGHTS = [30, 35, 20, 15]
COMPLEXITIES = [Complexity.NORMAL, Complexity.COMPLEX, Complexity.VERY_COMPLEX]
COMPLEXITY_WEIGHTS = [80, 15, 5]
DECISIONS = ["accept", "forward", "guide", "reject", "duplicate"]
DECISION_WEIGHTS = [62, 14, 10, 6, 3]
FOLLOW_UPS = [FollowUp.DONE, FollowUp.IN_PROGRESS, FollowUp.NOT_DONE]
FOLLOW_UP_WEIGHTS = [70, 20, 10]
NEVER_CLASSIFIED = 0.004  # left in "received" for good: overdue
STUCK = 0.03  # accepted and never resolved: overdue (or paused)
LATE = 0.12  # resolved after the deadline
PAUSED = 0.03  # a closed pause that moved the deadline
PAUSE_REASONS = ["Chờ kết quả giám định", "Chờ cơ quan chuyên môn trả lời", "Chờ xác minh"]
PEOPLE_KEPT = 5000  # recent petitioners who may write again


@cache
def _rule(kind: str, step: str, complaint_round: str) -> clock.Rule | None:
    return clock.find_rule(kind, step, complaint_round)


class Clock:
    """`clock.due_date` with the holiday calendar, memoised for the common case (no pauses)."""

    def __init__(self, holidays: frozenset[dt.date]) -> None:
        self.holidays = holidays
        self._cache: dict[tuple[Any, ...], dt.date] = {}

    def due(
        self,
        rule: clock.Rule,
        start: dt.date,
        complexity: str,
        remote: bool,
        extensions: tuple[int, ...] = (),
        pauses: tuple[tuple[dt.date, dt.date], ...] = (),
    ) -> dt.date:
        key = (id(rule), start, complexity, remote, extensions, pauses)
        found = self._cache.get(key)
        if found is None:
            found = clock.due_date(
                rule,
                start,
                complexity=complexity,
                remote=remote,
                holidays=self.holidays,
                extensions=extensions,
                pauses=pauses,
            )
            if not pauses:
                self._cache[key] = found
        return found


def generated_petitions() -> Any:
    return Petition.objects.filter(reference__startswith=PREFIX)


class Command(BaseCommand):
    help = (
        "Generate N petitions (register numbers GEN-…) over the generated unit tree, with their "
        "deadlines by the legal clock, extensions and pauses, for benchmarks (see "
        "bench/README.md). Bulk inserts: writes NO audit entries for the generated data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="petitions to create")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--batch", type=int, default=10_000, help="petitions built and inserted per batch"
        )
        parser.add_argument("--years", type=int, default=4, help="received over the last N years")
        parser.add_argument(
            "--replace", action="store_true", help="delete existing generated petitions first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, batch, years = options["count"], options["batch"], options["years"]
        if count < 0:
            raise CommandError("--count must not be negative.")
        if batch < 1:
            raise CommandError("--batch must be positive.")
        if not 1 <= years <= 20:
            raise CommandError("--years must be between 1 and 20.")
        units = list(
            generated_units().exclude(code=ROOT_CODE).order_by("path").only("id", "code", "kind")
        )
        if not units:
            raise CommandError(
                "No generated units: run `python manage.py generate_units --provinces 34 "
                "--communes-per-province 100 --departments 4` first (see bench/README.md)."
            )
        existing = generated_petitions().count()
        if existing and not options["replace"]:
            raise CommandError(
                f"{existing} generated petitions (register numbers {PREFIX}…) already exist. "
                "Run again with --replace to delete and regenerate them."
            )
        if existing:
            started = time.perf_counter()
            self._delete_generated()
            self.stdout.write(
                f"deleted {existing} generated petitions in {time.perf_counter() - started:.1f} s"
            )
        generate_petitions(
            units, count=count, seed=options["seed"], batch=batch, years=years, out=self.stdout
        )
        # Bulk rows bypass the signals: recount the kept aggregate (petitions.aggregates).
        started = time.perf_counter()
        kept = aggregates.rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"petition counts rebuilt: {kept} rows in {seconds:.1f} s")
        vacuum_analyze(
            self,
            [Petition, PetitionExtension, PetitionPause, PetitionCount, PetitionCountNode],
        )

    @staticmethod
    def _delete_generated() -> None:
        """Raw deletes (the collector would load a million rows): parts first, then the
        petitions; a duplicate_of pointing from elsewhere stops the command."""
        doomed = generated_petitions().values("pk")
        with transaction.atomic():
            PetitionExtension.objects.filter(petition__in=doomed)._raw_delete("default")
            PetitionPause.objects.filter(petition__in=doomed)._raw_delete("default")
            generated_petitions().update(duplicate_of=None)
            if Petition.objects.filter(duplicate_of__in=doomed).exists():
                raise CommandError("Other petitions are marked as duplicates of generated ones.")
            generated_petitions()._raw_delete("default")


def generate_petitions(
    units: list[Any],
    *,
    count: int,
    seed: int = 1,
    batch: int = 10_000,
    years: int = 4,
    out: Any = None,
    today: dt.date | None = None,
    rebuild_counts: bool = True,
) -> dict[str, int]:
    """Build and bulk-insert `count` petitions (with extensions and pauses) spread over `units`
    (objects with id, code and kind), deterministically for a seed and a day. Returns the row
    counts. Used by this command and by `generate_national` (noichinh.benchmarks), which
    rebuilds the kept counts once at its end (`rebuild_counts=False`)."""
    today = today or timezone.localdate()
    first_day = today - dt.timedelta(days=365 * years)
    builder = Builder(units, seed, first_day, today, Clock(holiday_set()))
    started = time.perf_counter()
    made = extensions = pauses = 0
    with transaction.atomic():
        for rows in builder.batches(count, batch):
            petitions = [p for p, _e, _pa in rows]
            for start in range(0, len(petitions), INSERT_BATCH):
                Petition.objects.bulk_create(petitions[start : start + INSERT_BATCH])
            new_extensions = [
                PetitionExtension(
                    unit_id=p.unit_id,
                    petition_id=p.pk,
                    decided_on=decided,
                    decision_number=f"{i + 1}/QĐ-GH",
                    days=days,
                    reason="Vụ việc phức tạp, phải xác minh tại nhiều nơi",
                )
                for p, ext, _pa in rows
                for i, (decided, days) in enumerate(ext)
            ]
            new_pauses = [
                PetitionPause(
                    unit_id=p.unit_id,
                    petition_id=p.pk,
                    start=pause_start,
                    end=pause_end,
                    reason=builder.rng.choice(PAUSE_REASONS),
                )
                for p, _e, pa in rows
                for pause_start, pause_end in pa
            ]
            PetitionExtension.objects.bulk_create(new_extensions, batch_size=INSERT_BATCH)
            PetitionPause.objects.bulk_create(new_pauses, batch_size=INSERT_BATCH)
            made += len(petitions)
            extensions += len(new_extensions)
            pauses += len(new_pauses)
            if out is not None and (made % 100_000 < batch or made == count):
                elapsed = time.perf_counter() - started
                out.write(f"  petitions: {made}/{count} ({elapsed:.0f} s)")
    seconds = time.perf_counter() - started
    rate = count / seconds if seconds else 0
    if out is not None:
        out.write(
            f"petitions created: {count} over {len(units)} units, received "
            f"{first_day:%d/%m/%Y}-{today:%d/%m/%Y}, with {extensions} extensions and "
            f"{pauses} pauses, in {seconds:.1f} s ({rate:,.0f}/s)"
        )
    if not rebuild_counts:
        return {"petitions": count, "extensions": extensions, "pauses": pauses}
    return {"petitions": count, "extensions": extensions, "pauses": pauses}


def vacuum_analyze(command: BaseCommand, models: list[Any]) -> None:
    """On PostgreSQL, statistics and the visibility map now rather than when autovacuum comes
    (see docs/performance.md, "PostgreSQL right after a bulk load"); ANALYZE only inside a
    transaction (a test)."""
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{statement} {connection.ops.quote_name(model._meta.db_table)}")
    command.stdout.write(f"{statement} in {time.perf_counter() - started:.1f} s")


Row = tuple[Petition, list[tuple[dt.date, int]], list[tuple[dt.date, dt.date | None]]]


class Builder:
    """Builds petitions (unsaved) with their extensions and closed pauses."""

    def __init__(
        self, units: list[Any], seed: int, first_day: dt.date, today: dt.date, clock_: Clock
    ) -> None:
        self.rng = random.Random(seed)
        self.units = units
        self.weights = [UNIT_WEIGHTS.get(u.kind, COMMUNE_WEIGHT) for u in units]
        self.first_day = first_day
        self.today = today
        self.span = (today - first_day).days
        self.clock = clock_
        self.sequence: dict[tuple[int, int], int] = {}
        self.people: list[tuple[str, str, str, str]] = []
        self.folded: dict[str, str] = {}

    def batches(self, count: int, batch: int) -> Iterator[list[Row]]:
        made = 0
        while made < count:
            size = min(batch, count - made)
            chosen = self.rng.choices(self.units, self.weights, k=size)
            days = sorted(self.rng.randint(0, self.span) for _ in range(size))
            yield [
                self.petition(unit, self.first_day + dt.timedelta(days=d))
                for unit, d in zip(chosen, days, strict=True)
            ]
            made += size

    def person(self) -> tuple[str, str, str, str]:
        rng = self.rng
        # About one petitioner in seven writes again.
        if self.people and rng.random() < 0.15:
            return rng.choice(self.people)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        person = (
            name,
            f"Thôn {rng.randint(1, 12)}, xã {rng.choice(COMMUNES)}",
            f"0{rng.randrange(10**11):011d}",
            blind_index(name),
        )
        self.people.append(person)
        if len(self.people) > PEOPLE_KEPT:
            del self.people[: PEOPLE_KEPT // 2]
        return person

    def petition(self, unit: Any, received: dt.date) -> Row:
        rng = self.rng
        kind, field = _kind_field(rng)
        commune = rng.choice(COMMUNES)
        subject = rng.choice(SUBJECTS[field]).format(p=rng.choice(PROJECTS), c=commune)
        if kind == PetitionKind.DENUNCIATION and not subject.startswith("Tố cáo"):
            subject = "Tố cáo " + subject[0].lower() + subject[1:]
        name, address, identity, key = self.person()
        complexity = rng.choices(COMPLEXITIES, COMPLEXITY_WEIGHTS)[0]
        complaint_round = ""
        if kind == PetitionKind.COMPLAINT:
            complaint_round = ComplaintRound.SECOND if rng.random() < 0.15 else ComplaintRound.FIRST
        remote = unit.kind not in UNIT_WEIGHTS and rng.random() < 0.1
        seq_key = (unit.pk, received.year)
        self.sequence[seq_key] = seq = self.sequence.get(seq_key, 0) + 1
        petition = Petition(
            unit_id=unit.pk,
            reference=f"{unit.code}/{received.year}/{seq:05d}",
            received_on=received,
            channel=rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
            kind=kind,
            complaint_round=complaint_round,
            field=field,
            subject=subject,
            summary=f"Công dân trình bày: {subject.lower()}. Đề nghị cơ quan có thẩm quyền "
            "xem xét, giải quyết theo quy định.",
            petitioner_name=name,
            petitioner_address=address,
            petitioner_id_number=identity,
            petitioner_key=key,
            accused=rng.choice(ACCUSED).format(c=commune),
            complexity=complexity,
            remote_area=remote,
        )
        extensions: list[tuple[dt.date, int]] = []
        pauses: list[tuple[dt.date, dt.date | None]] = []
        classify_rule = _rule(kind, clock.CLASSIFY, complaint_round)
        if classify_rule is not None:
            petition.classify_due_on = self.clock.due(classify_rule, received, complexity, remote)
        classified = received + dt.timedelta(days=rng.randint(1, 12))
        if classified > self.today or rng.random() < NEVER_CLASSIFIED:
            self.finish(petition)
            return petition, extensions, pauses
        decision = rng.choices(DECISIONS, DECISION_WEIGHTS)[0]
        petition.classified_on = classified
        if decision == "forward":
            petition.status = PetitionStatus.FORWARDED
            petition.forwarded_to = "Thanh tra tỉnh" if rng.random() < 0.5 else "UBND xã"
        elif decision == "guide":
            petition.status = PetitionStatus.GUIDED
            petition.route_note = "Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền."
        elif decision == "reject":
            petition.status = PetitionStatus.REJECTED
            petition.route_note = "Đơn không đủ điều kiện thụ lý (đơn nặc danh, không rõ nội dung)."
        elif decision == "duplicate":
            petition.status = PetitionStatus.DUPLICATE
            petition.route_note = "Đơn trùng nội dung đã được xem xét, giải quyết."
        else:
            self.accept(petition, classified, extensions, pauses)
        self.finish(petition)
        return petition, extensions, pauses

    def accept(
        self,
        petition: Petition,
        on: dt.date,
        extensions: list[tuple[dt.date, int]],
        pauses: list[tuple[dt.date, dt.date | None]],
    ) -> None:
        rng = self.rng
        petition.status = PetitionStatus.ACCEPTED
        petition.accepted_on = on
        rule = _rule(petition.kind, clock.RESOLVE, petition.complaint_round)
        stuck = rng.random() < STUCK
        if rule is None:
            # Recommendations and feedback: no statutory limit; answered within weeks.
            resolved = on + dt.timedelta(days=rng.randint(5, 40))
        else:
            allowed = rule.extensions_allowed(petition.complexity)
            if allowed and rng.random() < 0.6:
                days = [30] if allowed == 1 else [30, rng.choice([15, 30])]
                for i, value in enumerate(days):
                    decided = on + dt.timedelta(days=10 + 8 * i)
                    if decided <= self.today:
                        extensions.append((decided, value))
            closed: tuple[tuple[dt.date, dt.date], ...] = ()
            if rng.random() < PAUSED:
                start = on + dt.timedelta(days=rng.randint(3, 20))
                end = start + dt.timedelta(days=rng.randint(5, 40))
                if end < self.today:
                    closed = ((start, end),)
                    pauses.append((start, end))
            due = self.clock.due(
                rule,
                on,
                petition.complexity,
                petition.remote_area,
                tuple(value for _day, value in extensions),
                closed,
            )
            petition.resolve_due_on = due
            span = max((due - on).days, 1)
            if rng.random() < LATE:
                resolved = due + dt.timedelta(days=rng.randint(3, 60))
            else:
                resolved = on + dt.timedelta(days=rng.randint(max(span // 3, 1), span))
            if closed:
                resolved = max(resolved, closed[0][1] + dt.timedelta(days=1))
        if stuck or resolved > self.today:
            if rule is not None and not pauses and stuck and rng.random() < 0.2:
                # Still paused: an open pause stops the clock (not overdue).
                start = on + dt.timedelta(days=rng.randint(3, 20))
                if start <= self.today:
                    petition.paused_since = start
                    pauses.append((start, None))
            return
        petition.status = PetitionStatus.RESOLVED
        petition.resolved_on = resolved
        petition.outcome = rng.choice(OUTCOMES_BY_KIND[PetitionKind(petition.kind)])
        petition.resolution_note = "Đã ban hành quyết định/kết luận giải quyết."
        if resolved < self.today - dt.timedelta(days=90):
            petition.follow_up = rng.choices(FOLLOW_UPS, FOLLOW_UP_WEIGHTS)[0]

    def finish(self, petition: Petition) -> None:
        """`search_text` as `PetitionResource.build_search_text` makes it (without the name of
        a denouncer): folding each part is folding the whole, and the parts repeat, so each
        distinct text is folded once."""
        parts = [petition.subject, petition.summary, petition.accused]
        if not petition.is_denunciation:
            parts.append(petition.petitioner_name)
        folded = [fold(petition.reference)] + [self.fold(p) for p in parts if p]
        petition.search_text = " ".join(p for p in folded if p)

    def fold(self, text: str) -> str:
        folded = self.folded.get(text)
        if folded is None:
            folded = fold(text)
            if len(self.folded) < 200_000:
                self.folded[text] = folded
        return folded
