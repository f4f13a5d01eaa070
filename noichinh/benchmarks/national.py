"""The national data set for benchmarks, in one deterministic run (`manage.py generate_national`).

At scale 1:

- the unit tree under the generated root "GEN-BNCTW": the 63 provincial committees in force
  until 30/6/2025 (codes GEN-T01..GEN-T63, in the order of `units.demo.PROVINCES`), four
  departments each, 11 district working groups each (693), and the 2025 reorganisation as the
  units app records it (`units.services.unit_close` / `unit_merge`, applied here in bulk): the
  district groups close on 30/6/2025 (valid_to, a CLOSED event each); the 29 provinces merged by
  Resolution 60-NQ/TW (`units.demo.MERGERS`) close on 30/6/2025 with the continuing province as
  successor, move under it (path), and their departments continue under it (a second version
  from 1/7/2025); one MERGED event per continuing province links the sources and the target.
  From 1/7/2025: 34 provinces, each with 98 commune working groups (3,332);
- 1,000,000 petitions and 200,000 cases (with events and suspensions) and 50,000 security
  issues, spread over the units in force today by the registries' own generators
  (`generate_petitions`, `generate_cases`);
- five years of report submissions: 50 indicators; a quarterly, a nine-month and a yearly form
  reported by the provincial committees (the 63, then the 34) and a quarterly commune-level
  form (the district groups until 30/6/2025, the communes after), approved with a few late,
  returned and draft ones in the last periods; one value per indicator;
- the 2021-2025 emulation campaign with its criteria, two reviews and every province's
  approved registration with targets, and an emulation cluster of 13 provinces (GEN-T01 among
  them), owned by the generated root;
- key tasks of the provinces and departments, open and done.

Record counts (petitions, cases, issues, tasks) and the number of district groups and communes
per province scale with `scale`; the 63 and 34 provinces and their departments do not.
Everything is bulk-inserted in batches (the report values by COPY on PostgreSQL); one audit
entry (continuing the hash chain) summarises the run. Deterministic: each step draws from its
own `random.Random(seed + k)`, so a seed and a day give the same rows.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from noichinh.core import request_context
from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction
from noichinh.core.scoping import SYSTEM
from noichinh.core.text import fold
from noichinh.units.choices import EventKind, LinkRole, UnitKind
from noichinh.units.demo import MERGER_DOC, MERGERS, PROVINCES, REORG, REORG_DOC, committee_name
from noichinh.units.management.commands.generate_units import (
    DASH,
    DEPARTMENT_NAMES,
    PREFIX,
    ROOT_CODE,
    ROOT_NAME,
    _set_paths,
    generated_units,
)
from noichinh.units.models import (
    Cluster,
    ClusterMembership,
    Unit,
    UnitEvent,
    UnitEventLink,
    UnitVersion,
    segment,
)

START = dt.date(2013, 1, 1)
LAST_DAY = REORG - dt.timedelta(days=1)  # 30/6/2025, the last day of the old tree
DEPARTMENTS = 4
DISTRICTS_PER_PROVINCE = 11  # 693 district working groups at scale 1
COMMUNES_PER_PROVINCE = 98  # 3,332 commune working groups at scale 1
PETITIONS = 1_000_000
CASES = 200_000
ISSUES = 50_000
TASKS = 20_000
INDICATORS = 50
REPORT_YEARS = 5
CLUSTER_SIZE = 13
BATCH = 2000
CAMPAIGN_TITLE = "Thi đua chuyên đề phát hiện vụ việc tham nhũng, tiêu cực (dữ liệu thử)"


def province_code(index: int) -> str:
    return f"{PREFIX}T{index:02d}"


@dataclass
class Plan:
    scale: float
    seed: int

    def scaled(self, full: int, least: int = 0) -> int:
        return max(least, round(full * self.scale))

    @property
    def districts(self) -> int:
        return self.scaled(DISTRICTS_PER_PROVINCE, 1)

    @property
    def communes(self) -> int:
        return self.scaled(COMMUNES_PER_PROVINCE, 2)


@dataclass
class Tree:
    root: Unit
    provinces: dict[str, Unit]  # demo code (HN, QB...) -> unit, all 63
    continuing: list[Unit]  # the 34
    merged_into: dict[int, Unit]  # source province id -> target
    departments: list[Unit]
    districts: list[Unit]
    communes: list[Unit]

    @property
    def units(self) -> list[Unit]:
        return [
            self.root,
            *self.provinces.values(),
            *self.departments,
            *self.districts,
            *self.communes,
        ]

    def active(self) -> list[Unit]:
        return [u for u in self.units if u.valid_to is None and u.pk != self.root.pk]


Out = Callable[[str], None]


def _unit(
    code: str,
    name: str,
    short_name: str,
    kind: str,
    parent: Unit | None,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Unit:
    return Unit(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        path=f"~{code}",  # unique placeholder until the primary key is known
        depth=0,
        search_text=fold(f"{code} {name} {short_name}"),
    )


def _insert(units: list[Unit]) -> None:
    """Insert units whose parents already have their final path; set path and depth."""
    Unit.objects.bulk_create(units, batch_size=BATCH)
    for unit in units:
        parent = unit.parent
        unit.path = (parent.path if parent else "") + segment(unit.pk)
        unit.depth = parent.depth + 1 if parent else 0


def build_tree(plan: Plan) -> tuple[Tree, dict[str, int]]:
    """The unit tree before and after 1/7/2025, its versions and reorganisation events."""
    rng = random.Random(plan.seed)  # noqa: S311 (test data)
    root = _unit(ROOT_CODE, ROOT_NAME, "BNCTW (thử)", UnitKind.CENTRAL, None, START)
    _insert([root])
    index = {code: i for i, (code, _name, _city) in enumerate(PROVINCES, start=1)}
    target_of = {source: keep for keep, merged in MERGERS for source in merged}

    def province(code: str, parent: Unit, valid_to: dt.date | None) -> Unit:
        _code, name, city = PROVINCES[index[code] - 1]
        return _unit(
            province_code(index[code]),
            f"{committee_name(name, city)} (thử)",
            name,
            UnitKind.PROVINCIAL,
            parent,
            START,
            valid_to,
        )

    # The continuing provinces under the root; the merged ones closed and moved under their
    # successor, as unit_merge leaves them.
    provinces = {
        code: province(code, root, None) for code, *_ in PROVINCES if code not in target_of
    }
    _insert(list(provinces.values()))
    sources = {
        code: province(code, provinces[target_of[code]], LAST_DAY)
        for code, *_ in PROVINCES
        if code in target_of
    }
    for code, unit in sources.items():
        unit.successor = provinces[target_of[code]]
    _insert(list(sources.values()))
    provinces.update(sources)
    merged_into = {u.pk: provinces[target_of[c]] for c, u in sources.items()}
    continuing = sorted((u for u in provinces.values() if u.valid_to is None), key=lambda u: u.code)

    # Departments: of a merged province they continue under its successor from 1/7/2025.
    departments: list[Unit] = []
    department_of: dict[int, Unit] = {}  # department id -> its province before 1/7/2025
    for code, *_ in PROVINCES:
        owner = provinces[code]
        now = merged_into.get(owner.pk, owner)
        for d in range(1, DEPARTMENTS + 1):
            base = DEPARTMENT_NAMES[d - 1]
            departments.append(
                _unit(
                    f"{owner.code}-P{d}",
                    f"{base} {DASH} {owner.short_name}",
                    "",
                    UnitKind.DEPARTMENT,
                    now,
                    START,
                )
            )
            department_of[id(departments[-1])] = owner
    districts = [
        _unit(
            f"{p.code}-H{h:02d}",
            f"Tổ công tác huyện {h} {DASH} {p.short_name}",
            f"Huyện {h}",
            UnitKind.DISTRICT_GROUP,
            p,
            START,
            LAST_DAY,
        )
        for p in provinces.values()
        for h in range(1, plan.districts + 1)
    ]
    width = max(3, len(str(plan.communes)))
    communes = []
    for p in continuing:
        for c in range(1, plan.communes + 1):
            level = "phường" if rng.random() < 0.2 else "xã"
            communes.append(
                _unit(
                    f"{p.code}-X{c:0{width}d}",
                    f"Tổ công tác {level} {c} {DASH} {p.short_name}",
                    f"{level.capitalize()} {c}",
                    UnitKind.OTHER,  # no commune kind yet (as generate_units)
                    p,
                    REORG,
                )
            )
    _insert(departments + districts + communes)
    tree = Tree(
        root=root,
        provinces=provinces,
        continuing=continuing,
        merged_into=merged_into,
        departments=departments,
        districts=districts,
        communes=communes,
    )
    _set_paths(tree.units)

    # Events: one MERGED per continuing province that took others, one CLOSED per district.
    merge_events = {
        target.pk: UnitEvent(
            kind=EventKind.MERGED,
            date=REORG,
            document=MERGER_DOC,
            note="Sắp xếp, hợp nhất tỉnh theo Nghị quyết 60-NQ/TW (dữ liệu thử)",
            created_by="generate_national",
        )
        for target in {t.pk: t for t in merged_into.values()}.values()
    }
    close_events = [
        UnitEvent(
            kind=EventKind.CLOSED,
            date=REORG,
            document=REORG_DOC,
            note="Kết thúc hoạt động cấp huyện",
            created_by="generate_national",
        )
        for _d in districts
    ]
    UnitEvent.objects.bulk_create([*merge_events.values(), *close_events], batch_size=BATCH)
    links = []
    for source_id, target in merged_into.items():
        links.append(
            UnitEventLink(event=merge_events[target.pk], unit_id=source_id, role=LinkRole.SOURCE)
        )
    for target_id, event in merge_events.items():
        links.append(UnitEventLink(event=event, unit_id=target_id, role=LinkRole.SOURCE))
        links.append(UnitEventLink(event=event, unit_id=target_id, role=LinkRole.TARGET))
    for district, event in zip(districts, close_events, strict=True):
        links.append(UnitEventLink(event=event, unit_id=district.pk, role=LinkRole.SOURCE))
    UnitEventLink.objects.bulk_create(links, batch_size=BATCH)

    # Versions, as the services leave them: what each unit was, and under whom, when.
    def version(
        unit: Unit,
        start: dt.date,
        end: dt.date | None,
        parent: Unit | None,
        event: UnitEvent | None = None,
    ) -> UnitVersion:
        return UnitVersion(
            unit_id=unit.pk,
            valid_from=start,
            valid_to=end,
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind,
            parent_id=parent.pk if parent else None,
            event=event,
        )

    versions = [version(root, START, None, None)]
    for unit in provinces.values():
        if unit.pk in merged_into:
            versions.append(version(unit, START, LAST_DAY, root))
        elif unit.pk in merge_events:
            versions.append(version(unit, START, LAST_DAY, root))
            versions.append(version(unit, REORG, None, root, merge_events[unit.pk]))
        else:
            versions.append(version(unit, START, None, root))
    for department in departments:
        before = department_of[id(department)]
        if before.pk in merged_into:
            after = merged_into[before.pk]
            versions.append(version(department, START, LAST_DAY, before))
            versions.append(version(department, REORG, None, after, merge_events[after.pk]))
        else:
            versions.append(version(department, START, None, before))
    versions += [version(d, START, LAST_DAY, d.parent) for d in districts]
    versions += [version(c, REORG, None, c.parent) for c in communes]
    UnitVersion.objects.bulk_create(versions, batch_size=BATCH)
    counts = {
        "units": len(tree.units),
        "provinces before 1/7/2025": len(provinces),
        "provinces after": len(continuing),
        "departments": len(departments),
        "district groups (closed 30/6/2025)": len(districts),
        "communes (from 1/7/2025)": len(communes),
        "unit versions": len(versions),
        "unit events": len(merge_events) + len(close_events),
    }
    return tree, counts


# Reports --------------------------------------------------------------------------------------


def build_reports(plan: Plan, tree: Tree, today: dt.date) -> dict[str, int]:
    """50 indicators, four forms and five years of submissions with one value per indicator."""
    from noichinh.core.periods import Period
    from noichinh.reports.choices import PeriodKind, Reporting, Status
    from noichinh.reports.models import (
        DataValue,
        FormItem,
        FormSection,
        Indicator,
        ReportForm,
        Submission,
    )

    rng = random.Random(plan.seed + 3)  # noqa: S311 (test data)
    root = tree.root
    indicators = [
        Indicator(
            unit=root,
            code=f"{PREFIX}I{i:02d}",
            name=f"Chỉ tiêu thử số {i}",
            measure="vụ việc",
        )
        for i in range(1, INDICATORS + 1)
    ]
    for indicator in indicators:
        indicator.refresh_search_text()
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    # Reporters by form: the provinces (children of the root, 63 then 34), the commune level
    # (the district groups until 30/6/2025, the communes after: selected units).
    forms_spec = [
        (f"{PREFIX}QUY", "Báo cáo quý (dữ liệu thử)", PeriodKind.QUARTER, Reporting.CHILDREN),
        (
            f"{PREFIX}9T",
            "Báo cáo 9 tháng (dữ liệu thử)",
            PeriodKind.NINE_MONTHS,
            Reporting.CHILDREN,
        ),
        (f"{PREFIX}NAM", "Báo cáo năm (dữ liệu thử)", PeriodKind.YEAR, Reporting.CHILDREN),
        (
            f"{PREFIX}XA-QUY",
            "Báo cáo quý cấp xã (dữ liệu thử)",
            PeriodKind.QUARTER,
            Reporting.SELECTED,
        ),
    ]
    forms = [
        ReportForm(unit=root, code=code, name=name, period_type=kind, due_days=10, reporting=rep)
        for code, name, kind, rep in forms_spec
    ]
    for form in forms:
        form.refresh_search_text()
    ReportForm.objects.bulk_create(forms)
    commune_form = forms[-1]
    commune_form.reporting_units.add(*tree.districts, *tree.communes)
    sections, items = [], []
    for form in forms:
        for number in range(1, 6):
            section = FormSection(
                unit=root, form=form, number=number, title=f"Phần {number} (dữ liệu thử)"
            )
            section.refresh_search_text()
            sections.append(section)
    FormSection.objects.bulk_create(sections, batch_size=BATCH)
    for position, indicator in enumerate(indicators):
        for f, form in enumerate(forms):
            item = FormItem(
                unit=root,
                form=form,
                section=sections[f * 5 + position // 10],
                order=position + 1,
                indicator=indicator,
            )
            item.search_text = fold(f"{form.code} {indicator.name} {indicator.code}")
            items.append(item)
    FormItem.objects.bulk_create(items, batch_size=BATCH)

    provinces_before = list(tree.provinces.values())
    weight = {u.pk: 1.0 for u in tree.units}
    for unit in tree.provinces.values():
        weight[unit.pk] = 20.0 + 10.0 * rng.random()
    for target_id in {t.pk for t in tree.merged_into.values()}:
        weight[target_id] *= 2
    first_year = today.year - REPORT_YEARS + 1
    submissions: list[Submission] = []
    values: list[tuple[int, list[int]]] = []  # submission index -> values per indicator
    for form in forms:
        periods = [
            p
            for year in range(first_year, today.year + 1)
            for p in Period.of_type(form.period_type, year)
            if p.end < today
        ]
        for period in periods:
            latest = period is periods[-1]
            if form is commune_form:
                reporters = tree.districts if period.end <= LAST_DAY else tree.communes
            else:
                reporters = provinces_before if period.end <= LAST_DAY else list(tree.continuing)
            due = form.due_on(period)
            for unit in reporters:
                draw = rng.random()
                if latest and draw < 0.15:
                    continue  # not opened yet
                status = Status.APPROVED
                if latest and draw < 0.25:
                    status = Status.DRAFT
                elif latest and draw < 0.3:
                    status = Status.RETURNED
                elif latest and draw < 0.45:
                    status = Status.SUBMITTED
                late = rng.random() < 0.08
                sent_on = due + dt.timedelta(
                    days=rng.randint(1, 10) if late else -rng.randint(0, 5)
                )
                sent = status != Status.DRAFT
                submission = Submission(
                    unit=unit,
                    form=form,
                    period=period.code,
                    period_start=period.start,
                    period_end=period.end,
                    due_on=due,
                    status=status,
                    submitted_at=_at(sent_on) if sent else None,
                    on_time=(sent_on <= due) if sent else None,
                    approved_at=_at(sent_on + dt.timedelta(days=3))
                    if status == Status.APPROVED
                    else None,
                    return_reason="Đề nghị bổ sung số liệu." if status == Status.RETURNED else "",
                )
                submission.search_text = fold(f"{form.code} {form.name} {unit.name} {period.code}")
                submissions.append(submission)
                base = weight[unit.pk] * (4 if form.period_type == PeriodKind.YEAR else 1)
                values.append(
                    (len(submissions) - 1, [rng.randint(0, int(10 * base)) for _ in indicators])
                )
    Submission.objects.bulk_create(submissions, batch_size=BATCH)
    rows = (
        (submissions[position].pk, indicator.pk, number)
        for position, numbers in values
        for indicator, number in zip(indicators, numbers, strict=True)
    )
    value_count = _insert_values(DataValue, rows)
    return {
        "indicators": len(indicators),
        "report forms": len(forms),
        "submissions": len(submissions),
        "data values": value_count,
    }


def _insert_values(model: Any, rows: Any) -> int:
    """(submission id, indicator id, value) rows: COPY on PostgreSQL (the bulk path for the
    largest table of the set, a million and a half rows at scale 1), bulk_create elsewhere."""
    count = 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} (submission_id, indicator_id, value, comment) FROM STDIN"
        with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
            for submission_id, indicator_id, number in rows:
                copy.write_row((submission_id, indicator_id, number, ""))
                count += 1
        return count
    chunk = []
    for submission_id, indicator_id, number in rows:
        chunk.append(
            model(submission_id=submission_id, indicator_id=indicator_id, value=Decimal(number))
        )
        if len(chunk) >= 10_000:
            model.objects.bulk_create(chunk, batch_size=BATCH)
            count += len(chunk)
            chunk = []
    model.objects.bulk_create(chunk, batch_size=BATCH)
    return count + len(chunk)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


# Campaigns and the cluster --------------------------------------------------------------------


def build_campaigns(plan: Plan, tree: Tree) -> dict[str, int]:
    """The 2021-2025 campaign with its criteria and reviews, every province's approved targets,
    and an emulation cluster of 13 provinces (GEN-T01 first) owned by the generated root."""
    from noichinh.campaigns.choices import RegistrationStatus, ReviewKind
    from noichinh.campaigns.demo import CRITERIA
    from noichinh.campaigns.models import (
        Campaign,
        Criterion,
        Review,
        Target,
        TargetRegistration,
    )

    rng = random.Random(plan.seed + 4)  # noqa: S311 (test data)
    root = tree.root
    campaign = Campaign(
        unit=root,
        title=CAMPAIGN_TITLE,
        theme="Phát hiện vụ việc, vụ án tham nhũng, tiêu cực.",
        start_on=dt.date(2021, 5, 25),
        end_on=dt.date(2025, 12, 31),
    )
    campaign.refresh_search_text()
    Campaign.objects.bulk_create([campaign])
    criteria: dict[str, Criterion] = {}
    for number, name, key, level, measure, weight, parent in CRITERIA:
        criterion = Criterion(
            unit=root,
            campaign=campaign,
            number=number,
            name=name,
            count_key=key,
            level=level,
            measure=measure,
            weight=weight,
            parent=criteria.get(parent) if parent else None,
        )
        criterion.refresh_search_text()
        Criterion.objects.bulk_create([criterion])  # parents first; a handful of rows
        criteria[number] = criterion
    reviews = []
    for kind, title, cutoff in (
        (ReviewKind.MIDTERM, "Sơ kết giữa kỳ (dữ liệu thử)", dt.date(2023, 10, 31)),
        (ReviewKind.FINAL, "Tổng kết (dữ liệu thử)", dt.date(2025, 10, 31)),
    ):
        review = Review(unit=root, campaign=campaign, kind=kind, title=title, cutoff_on=cutoff)
        review.refresh_search_text()
        reviews.append(review)
    Review.objects.bulk_create(reviews)
    registrations = [
        TargetRegistration(
            unit=unit,
            campaign=campaign,
            status=RegistrationStatus.APPROVED,
            submitted_on=dt.date(2021, 7, 1),
            decided_on=dt.date(2021, 7, 15),
            search_text=fold(f"{unit.name} {unit.code}"),
        )
        for unit in tree.continuing
    ]
    TargetRegistration.objects.bulk_create(registrations)
    committee = [c for c in criteria.values() if c.level == "committee"]
    targets = []
    for registration in registrations:
        for criterion in committee:
            whole = rng.randint(5, 60)
            targets.append(
                Target(
                    unit=registration.unit,
                    registration=registration,
                    criterion=criterion,
                    review=None,
                    value=whole,
                )
            )
            targets.append(
                Target(
                    unit=registration.unit,
                    registration=registration,
                    criterion=criterion,
                    review=reviews[0],
                    value=max(1, whole // 2),
                )
            )
    Target.objects.bulk_create(targets, batch_size=BATCH)

    cluster = Cluster(
        unit=root,
        code=f"{PREFIX}CUM-01",
        name="Cụm thi đua số I (dữ liệu thử)",
        region="Dữ liệu thử",
    )
    cluster.search_text = fold(f"{cluster.code} {cluster.name}")
    Cluster.objects.bulk_create([cluster])
    members = tree.continuing[:CLUSTER_SIZE]
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(cluster=cluster, unit=unit) for unit in members]
    )
    return {
        "campaigns": 1,
        "criteria": len(criteria),
        "reviews": len(reviews),
        "registrations": len(registrations),
        "targets": len(targets),
        "clusters": 1,
        "cluster members": len(members),
    }


# Tasks ----------------------------------------------------------------------------------------


TASK_TITLES = [
    "Theo dõi, đôn đốc xử lý vụ việc tham nhũng, tiêu cực dư luận quan tâm",
    "Tham mưu sơ kết công tác phòng, chống tham nhũng, tiêu cực",
    "Kiểm tra việc giải quyết khiếu nại, tố cáo tồn đọng, kéo dài",
    "Xây dựng báo cáo chuyên đề về cải cách tư pháp",
    "Phối hợp xử lý vấn đề phức tạp về an ninh, trật tự",
]


def build_tasks(plan: Plan, tree: Tree, today: dt.date) -> dict[str, int]:
    from noichinh.work.choices import TaskStatus
    from noichinh.work.models import Task

    rng = random.Random(plan.seed + 5)  # noqa: S311 (test data)
    owners = [*tree.continuing, *(d for d in tree.departments)]
    count = plan.scaled(TASKS, len(tree.continuing))
    tasks = []
    for n in range(count):
        unit = owners[n % len(owners)] if n < len(owners) else rng.choice(owners)
        due = today + dt.timedelta(days=rng.randint(-400, 180))
        done = due < today and rng.random() < 0.8
        title = f"{rng.choice(TASK_TITLES)} (thử {n + 1})"
        tasks.append(
            Task(
                unit=unit,
                title=title,
                due_on=due,
                status=TaskStatus.DONE if done else TaskStatus.OPEN,
                progress=100 if done else rng.choice([0, 20, 40, 60, 80]),
                completed_on=due - dt.timedelta(days=rng.randint(0, 20)) if done else None,
                search_text=fold(f"{title} {unit.name} {unit.code}"),
            )
        )
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    return {"tasks": len(tasks)}


# The whole run --------------------------------------------------------------------------------


def rebuild_aggregates() -> str:
    """Rebuild the kept petition aggregates when that module exists (another change adds it)."""
    if importlib.util.find_spec("noichinh.petitions.aggregates") is None:
        return "skipped (noichinh.petitions.aggregates does not exist)"
    module = importlib.import_module("noichinh.petitions.aggregates")
    rebuild = getattr(module, "rebuild", None)
    if rebuild is None:
        return "skipped (noichinh.petitions.aggregates has no rebuild())"
    result = rebuild()
    return f"done ({result})" if result is not None else "done"


def generate(
    scale: float,
    seed: int = 1,
    out: Out | None = None,
    today: dt.date | None = None,
    audit_entries: int = 0,
) -> dict[str, int]:
    """Generate the national set at `scale` into an empty generated tree. Returns the counts."""
    from noichinh.cases.management.commands.generate_cases import generate_cases
    from noichinh.petitions.management.commands.generate_petitions import generate_petitions

    def say(text: str) -> None:
        if out is not None:
            out(text)

    if generated_units().exists():
        raise ValueError(
            f"Generated units (codes {PREFIX}…) already exist: generate_national needs a "
            "database without them (create a new database)."
        )
    today = today or timezone.localdate()
    plan = Plan(scale=scale, seed=seed)
    counts: dict[str, int] = {}
    started_all = time.perf_counter()

    class Writer:
        def write(self, text: str) -> None:
            say(text)

    def step(name: str, work: Callable[[], dict[str, int]]) -> None:
        started = time.perf_counter()
        found = work()
        counts.update(found)
        say(
            f"[{time.perf_counter() - started:7.1f} s] {name}: "
            + ", ".join(f"{k} {v:,}" for k, v in found.items())
        )

    token = request_context.set_current(request_context.RequestInfo("generate_national", None))
    try:
        with transaction.atomic():
            holder: dict[str, Tree] = {}

            def units_step() -> dict[str, int]:
                tree, found = build_tree(plan)
                holder["tree"] = tree
                return found

            step("units", units_step)
            tree = holder["tree"]
            active = sorted(tree.active(), key=lambda u: u.path)
            step(
                "petitions",
                lambda: generate_petitions(
                    active,
                    count=plan.scaled(PETITIONS, 100),
                    seed=seed,
                    out=Writer(),
                    today=today,
                    rebuild_counts=False,
                ),
            )
            step(
                "cases and security issues",
                lambda: generate_cases(
                    active,
                    count=plan.scaled(CASES, 50),
                    issues=plan.scaled(ISSUES, 10),
                    seed=seed + 1,
                    out=Writer(),
                    today=today,
                ),
            )
            step("reports", lambda: build_reports(plan, tree, today))
            step("campaigns", lambda: build_campaigns(plan, tree))
            step("tasks", lambda: build_tasks(plan, tree, today))
            audit_record(
                action=AuditAction.IMPORT,
                user=SYSTEM,
                object_type="units.unit",
                object_id=str(tree.root.pk),
                object_repr=f"{tree.root.name}: generate_national",
                unit=tree.root,
                message=f"generate_national --scale {scale} --seed {seed}: "
                + ", ".join(f"{k} {v}" for k, v in counts.items()),
            )
            if audit_entries:
                from noichinh.units.management.commands.generate_units import (
                    Command as GenerateUnits,
                )

                def audit_step() -> dict[str, int]:
                    # generate_units' synthetic entries, chained from the head (audit_verify).
                    GenerateUnits()._create_audit_entries(tree.units, audit_entries, seed)
                    return {"synthetic audit entries": audit_entries}

                step("audit entries", audit_step)
        # Committed: a failure of the kept aggregates (another module) keeps the data.
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = rebuild_aggregates()
        except Exception as error:
            raise AggregatesFailed(counts, error) from error
        say(f"[{time.perf_counter() - started:7.1f} s] kept petition aggregates: {result}")
    finally:
        request_context.reset(token)
    analyze(say)
    say(f"[{time.perf_counter() - started_all:7.1f} s] total")
    return counts


class AggregatesFailed(RuntimeError):
    """The data set was generated (and committed) but rebuilding the kept aggregates failed."""

    def __init__(self, counts: dict[str, int], error: Exception) -> None:
        super().__init__(
            f"the data set was generated, but petitions.aggregates.rebuild() failed: "
            f"{type(error).__name__}: {error}"
        )
        self.counts = counts


def analyze(say: Out) -> None:
    """On PostgreSQL: statistics and the visibility map now, not when autovacuum comes."""
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    say(f"[{time.perf_counter() - started:7.1f} s] {statement} (whole database)")
