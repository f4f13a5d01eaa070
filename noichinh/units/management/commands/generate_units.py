"""Generate a national-scale unit tree (and optionally a large audit log) for load tests.

    python manage.py generate_units --provinces 34 --communes-per-province 100 --departments 4 \
        --seed 1 --audit-entries 1000000

Builds, under the root "Ban Nội chính Trung ương (dữ liệu thử)", N provincial committees, each
with D departments and C commune-level working groups. Every generated code starts with "GEN-",
so the data never collides with the demo tree and can be replaced (--replace) or recognised.

Speed over ceremony: rows are bulk-created level by level and their materialized paths set in
bulk afterwards, instead of going through `unit_create` (which writes an event, a version and an
audit entry per unit). One audit entry summarises the generation. The synthetic audit entries
(--audit-entries) continue the hash chain from the current AuditHead exactly as `audit_record`
would, so `manage.py audit_verify` still passes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from noichinh.core import request_context
from noichinh.core.audit import audit_record, entry_hash
from noichinh.core.models import AuditAction, AuditEntry, AuditHead
from noichinh.core.scoping import SYSTEM
from noichinh.core.text import fold
from noichinh.units.choices import UnitKind
from noichinh.units.models import Cluster, Unit, UnitEvent, UnitEventLink, UnitVersion, segment

PREFIX = "GEN-"
ROOT_CODE = "GEN-BNCTW"
ROOT_NAME = "Ban Nội chính Trung ương (dữ liệu thử)"
VALID_FROM = dt.date(2025, 7, 1)  # the two-level local government (Resolution 60-NQ/TW)
AUDIT_BATCH = 10_000
DASH = "\u2013"  # en dash, as in "Tổ công tác xã 17 (en dash) Tỉnh 05"
DEPARTMENT_NAMES = [
    "Văn phòng",
    "Phòng Theo dõi công tác phòng, chống tham nhũng, tiêu cực",
    "Phòng Nội chính - Tư pháp",
    "Phòng Tiếp công dân, xử lý đơn thư và cải cách tư pháp",
    "Phòng Tổng hợp",
    "Phòng Cải cách tư pháp",
]
AUDIT_ACTIONS = [
    (AuditAction.UPDATE, 50),
    (AuditAction.CREATE, 25),
    (AuditAction.TRANSITION, 15),
    (AuditAction.EXPORT, 10),
]


def generated_units() -> Any:
    """Every generated unit: the GEN- codes and anything placed under a generated root."""
    condition = Q(code__startswith=PREFIX)
    for root_path in Unit.objects.filter(code=ROOT_CODE).values_list("path", flat=True):
        condition |= Q(path__startswith=root_path)
    return Unit.objects.filter(condition)


def _set_paths(units: list[Unit]) -> None:
    """Write the computed paths and depths: one prepared UPDATE run for all rows (executemany),
    far cheaper than `bulk_update`'s CASE expressions for thousands of rows."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    path, depth, pk = (connection.ops.quote_name(c) for c in ("path", "depth", "id"))
    sql = f"UPDATE {table} SET {path} = %s, {depth} = %s WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(u.path, u.depth, u.pk) for u in units])


@dataclass
class Plan:
    provinces: int
    communes: int
    departments: int
    seed: int

    @property
    def total(self) -> int:
        return 1 + self.provinces * (1 + self.departments + self.communes)


class Command(BaseCommand):
    help = (
        "Generate a national-scale test tree (codes GEN-…) and optionally synthetic audit "
        "entries with a valid hash chain, for benchmarks (see bench/README.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=int, default=34, help="provincial committees")
        parser.add_argument(
            "--communes-per-province", type=int, default=100, help="commune working groups each"
        )
        parser.add_argument("--departments", type=int, default=4, help="departments each")
        parser.add_argument("--seed", type=int, default=1, help="random seed (names, audit)")
        parser.add_argument(
            "--audit-entries", type=int, default=0, help="synthetic audit entries to add"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete existing GEN- units first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan(
            provinces=options["provinces"],
            communes=options["communes_per_province"],
            departments=options["departments"],
            seed=options["seed"],
        )
        audit_entries = options["audit_entries"]
        if not 1 <= plan.provinces <= 99:
            raise CommandError("--provinces must be between 1 and 99 (34 or 63 for the country).")
        if not 0 <= plan.communes <= 9999:
            raise CommandError("--communes-per-province must be between 0 and 9999.")
        if not 0 <= plan.departments <= 99:
            raise CommandError("--departments must be between 0 and 99.")
        if audit_entries < 0:
            raise CommandError("--audit-entries must not be negative.")

        token = request_context.set_current(request_context.RequestInfo("generate_units", None))
        try:
            with transaction.atomic():
                existing = generated_units().count()
                if existing and not options["replace"]:
                    raise CommandError(
                        f"{existing} generated units (codes {PREFIX}…) already exist. "
                        "Run again with --replace to delete and regenerate them."
                    )
                if existing:
                    started = time.perf_counter()
                    self._delete_generated()
                    self.stdout.write(
                        f"deleted {existing} generated units "
                        f"in {time.perf_counter() - started:.1f} s"
                    )
                started = time.perf_counter()
                units = self._create_units(plan)
                root = units[0]
                audit_record(
                    action=AuditAction.IMPORT,
                    user=SYSTEM,
                    object_type="units.unit",
                    object_id=str(root.pk),
                    object_repr=f"{root.name}: {len(units)} đơn vị",
                    unit=root,
                    message=(
                        f"generate_units: {len(units)} units ({plan.provinces} provinces x "
                        f"({plan.departments} departments + {plan.communes} communes)), "
                        f"seed {plan.seed}, {audit_entries} synthetic audit entries"
                    ),
                )
                seconds = time.perf_counter() - started
                self.stdout.write(f"units created: {len(units)} in {seconds:.1f} s")
                if audit_entries:
                    started = time.perf_counter()
                    self._create_audit_entries(units, audit_entries, plan.seed)
                    seconds = time.perf_counter() - started
                    rate = audit_entries / seconds if seconds else 0
                    self.stdout.write(
                        f"audit entries created: {audit_entries} in {seconds:.1f} s ({rate:,.0f}/s)"
                    )
        finally:
            request_context.reset(token)
        if connection.vendor == "postgresql":
            # The state autovacuum reaches a little later, now: statistics (until then the planner
            # guesses a few hundred rows per prefix and sorts the whole subtree for the audit
            # page) and the visibility map (index-only counts instead of one heap page per
            # entry). VACUUM cannot run inside a transaction (e.g. a test): ANALYZE alone there.
            started = time.perf_counter()
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in (Unit, UnitVersion, AuditEntry):
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
            self.stdout.write(f"{command} in {time.perf_counter() - started:.1f} s")

    # Deleting -----------------------------------------------------------------------------

    def _delete_generated(self) -> None:
        """Delete the generated subtree, deepest first (parent is PROTECT). Role assignments on
        generated units go with them; anything else that still points at them (records, other
        units' history) stops the command instead of being deleted silently."""
        from noichinh.accounts.models import RoleAssignment, User

        doomed = generated_units()
        doomed_ids = doomed.values("pk")
        doomed.update(successor=None)
        RoleAssignment.objects.filter(unit__in=doomed_ids).delete()
        User.objects.filter(home_unit__in=doomed_ids).update(home_unit=None)
        event_ids = list(
            UnitEventLink.objects.filter(unit__in=doomed_ids).values_list("event_id", flat=True)
        )
        UnitEventLink.objects.filter(unit__in=doomed_ids).delete()
        UnitEvent.objects.filter(pk__in=set(event_ids), links__isnull=True).delete()
        UnitVersion.objects.filter(unit__in=doomed_ids).delete()
        Cluster.members.through.objects.filter(unit__in=doomed_ids).delete()
        depths = sorted(set(doomed.values_list("depth", flat=True)), reverse=True)
        try:
            for depth in depths:
                generated_units().filter(depth=depth).delete()
        except ProtectedError as error:
            blockers = sorted({f"{o._meta.label} {o.pk}" for o in list(error.protected_objects)})
            raise CommandError(
                "Cannot delete the generated units: other records point at them: "
                + ", ".join(blockers[:10])
                + (" …" if len(blockers) > 10 else "")
            ) from error

    # Units --------------------------------------------------------------------------------

    def _create_units(self, plan: Plan) -> list[Unit]:
        rng = random.Random(plan.seed)
        root = self._new(ROOT_CODE, ROOT_NAME, "BNCTW (thử)", UnitKind.CENTRAL, None)
        self._insert_level([root], parents={})
        levels: list[list[Unit]] = [[root]]

        provinces = []
        for p in range(1, plan.provinces + 1):
            province = f"Tỉnh {p:02d}"
            provinces.append(
                self._new(
                    f"{PREFIX}T{p:02d}",
                    f"Ban Nội chính Tỉnh ủy {province}",
                    province,
                    UnitKind.PROVINCIAL,
                    root,
                )
            )
        self._insert_level(provinces, parents={root.pk: root})
        levels.append(provinces)

        width = max(3, len(str(plan.communes)))
        below: list[Unit] = []
        for p, province_unit in enumerate(provinces, start=1):
            province = f"Tỉnh {p:02d}"
            for d in range(1, plan.departments + 1):
                base = DEPARTMENT_NAMES[d - 1] if d <= len(DEPARTMENT_NAMES) else f"Phòng {d}"
                below.append(
                    self._new(
                        f"{PREFIX}T{p:02d}-P{d}",
                        f"{base} {DASH} {province}",
                        "",
                        UnitKind.DEPARTMENT,
                        province_unit,
                    )
                )
            for c in range(1, plan.communes + 1):
                # Four in five are communes (xã), the rest wards (phường).
                level = "phường" if rng.random() < 0.2 else "xã"
                below.append(
                    self._new(
                        f"{PREFIX}T{p:02d}-X{c:0{width}d}",
                        f"Tổ công tác {level} {c} {DASH} {province}",
                        f"{level.capitalize()} {c}",
                        # There is no commune kind yet; district groups closed on 1/7/2025.
                        UnitKind.OTHER,
                        province_unit,
                    )
                )
        self._insert_level(below, parents={u.pk: u for u in provinces})
        levels.append(below)

        units = [unit for level in levels for unit in level]
        _set_paths(units)
        UnitVersion.objects.bulk_create(
            [
                UnitVersion(
                    unit_id=unit.pk,
                    valid_from=unit.valid_from,
                    name=unit.name,
                    short_name=unit.short_name,
                    kind=unit.kind,
                    parent_id=unit.parent_id,
                )
                for unit in units
            ],
            batch_size=2000,
        )
        return units

    @staticmethod
    def _new(code: str, name: str, short_name: str, kind: str, parent: Unit | None) -> Unit:
        return Unit(
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            parent=parent,
            valid_from=VALID_FROM,
            # A unique placeholder until the primary key is known (path is unique).
            path=f"~{code}",
            depth=0,
            search_text=fold(f"{code} {name} {short_name}"),
        )

    @staticmethod
    def _insert_level(units: list[Unit], parents: dict[int, Unit]) -> None:
        """Insert one level, then compute each path from the parent's (already final) path."""
        Unit.objects.bulk_create(units, batch_size=2000)
        for unit in units:
            if unit.pk is None:
                raise CommandError("The database did not return the new primary keys.")
            parent = parents.get(unit.parent_id) if unit.parent_id else None
            unit.path = (parent.path if parent else "") + segment(unit.pk)
            unit.depth = parent.depth + 1 if parent else 0

    # Audit entries ------------------------------------------------------------------------

    def _create_audit_entries(self, units: list[Unit], count: int, seed: int) -> None:
        """Append `count` entries over random generated units, chained from the AuditHead."""
        rng = random.Random(seed * 7919 + count)
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        now = timezone.now()
        last = AuditEntry.objects.order_by("-id").values_list("created_at", flat=True).first()
        # Spread over the past year, after the newest entry, one microsecond apart at least.
        start = now - dt.timedelta(days=365)
        if last is not None and last >= start:
            start = last + dt.timedelta(microseconds=1)
        step = max((now - start) / count, dt.timedelta(microseconds=1))
        actions = [a for a, _w in AUDIT_ACTIONS]
        weights = [w for _a, w in AUDIT_ACTIONS]
        targets = [
            (u.pk, u.path, u.name[:300], u.code.split("-")[1].lower()) for u in units if u.depth
        ] or [(units[0].pk, units[0].path, units[0].name[:300], "tw")]
        prev_hash = head.last_hash
        last_entry: AuditEntry | None = None
        made = 0
        while made < count:
            size = min(AUDIT_BATCH, count - made)
            chosen_actions = rng.choices(actions, weights, k=size)
            batch = []
            for i in range(size):
                n = made + i
                unit_id, unit_path, unit_name, province = targets[rng.randrange(len(targets))]
                action = chosen_actions[i]
                changes: dict[str, Any] = {}
                if action == AuditAction.UPDATE:
                    changes = {"note": ["", f"Ghi chú {n}"]}
                elif action == AuditAction.TRANSITION:
                    changes = {"state": ["draft", "submitted"]}
                entry = AuditEntry(
                    created_at=start + step * n,
                    user_id=None,
                    username=f"thu.{province}.{rng.randrange(1, 21)}",
                    request_id=f"gen-{seed}-{n}",
                    ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                    action=action,
                    object_type="units.unit",
                    object_id=str(unit_id),
                    object_repr=unit_name,
                    unit_id=unit_id,
                    unit_path=unit_path,
                    changes=changes,
                    message="" if action != AuditAction.EXPORT else "Xuất Excel (dữ liệu thử)",
                    prev_hash=prev_hash,
                )
                entry.hash = entry_hash(entry)
                prev_hash = entry.hash
                batch.append(entry)
            AuditEntry.objects.bulk_create(batch, batch_size=2000)
            last_entry = batch[-1]
            made += size
            if made % 100_000 == 0 or made == count:
                self.stdout.write(f"  audit entries: {made}/{count}")
        if last_entry is None or last_entry.pk is None:
            raise CommandError("The database did not return the new audit entry ids.")
        head.last_id = last_entry.pk
        head.last_hash = last_entry.hash
        head.save(update_fields=["last_id", "last_hash"])
