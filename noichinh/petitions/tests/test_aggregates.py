"""The kept aggregate (petitions.aggregates) gives exactly the figures of the definition.

The proof: on the demo (the 2025 merger and its hand-overs included) and on a randomised
history written through the services (receive, classify, pause, resume, extend, resolve, edit,
move to another unit, delete, a unit moved and a merger with its hand-over), the figures read
from the kept table equal the figures counted from the petitions (`source="raw"`,
`statistics_raw`) for the country, provinces, closed provinces, departments, with and without
a kind or a field, for windows before, across and after 1/7/2025, quarters, custom periods and
to today; and after every write the table equals a fresh count."""

import contextlib
import datetime as dt
import itertools
import os
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from noichinh.accounts.models import User
from noichinh.core.audit import snapshot
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_delete, object_update
from noichinh.petitions import aggregates, selectors, services
from noichinh.petitions.choices import OUTCOMES_BY_KIND, PetitionStatus
from noichinh.petitions.models import Petition, PetitionCount
from noichinh.units.choices import UnitKind
from noichinh.units.models import Unit
from noichinh.units.services import unit_create, unit_merge, unit_move

from .conftest import register

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 1)


def windows(today=TODAY):
    return [
        (D(2024, 1, 1), D(2024, 9, 30)),  # before the merger
        (D(2025, 1, 1), D(2025, 6, 30)),  # the last half-year before it
        (D(2025, 7, 1), D(2025, 12, 31)),  # after it
        (D(2025, 1, 1), D(2025, 12, 31)),  # across it
        (D(2025, 4, 1), D(2025, 6, 30)),  # a quarter
        (D(2024, 2, 17), D(2025, 8, 3)),  # custom, partial months at both ends
        (D(2025, 6, 30), D(2025, 7, 1)),  # two days across the merger
        (D(2023, 1, 1), D(2023, 12, 31)),
        (D(today.year, 1, 1), today),  # to today
        (D(2020, 1, 1), today),
    ]


def assert_same(queryset, unit, start, end, where):
    """Every surface's figures from the kept table equal the raw ones."""
    on = TODAY
    assert selectors.statistics(queryset, start, end, unit=unit) == selectors.statistics_raw(
        queryset, start, end, unit=unit
    ), where
    attribution = selectors.Attribution.of(unit, end) if unit is not None else None
    kept = selectors.summary(queryset, start, end, on, attribution=attribution)
    raw = selectors.summary(queryset, start, end, on, attribution=attribution, source="raw")
    assert kept == raw, where
    for by in ("unit", "kind", "field"):
        kept_rows = selectors.breakdown(queryset, by, start, end, on, attribution=attribution)
        raw_rows = selectors.breakdown(
            queryset, by, start, end, on, attribution=attribution, source="raw"
        )
        assert kept_rows == raw_rows, f"{where} by {by}"


def assert_kept_path(queryset, unit, end):
    """The comparison is not vacuous: the kept table answers for this queryset."""
    window = aggregates.Window(D(2024, 1, 1), end)
    if unit is not None:
        ids = selectors.subtree_ids_on(unit, end)
        held = selectors.held_q(unit, end, ids)
        window = aggregates.Window(D(2024, 1, 1), end, frozenset(ids), held)
    assert aggregates.read(queryset, [window]) is not None


# -- the demo ----------------------------------------------------------------------------------


@pytest.fixture
def demo():
    load_demo()


def test_demo_figures_from_the_kept_table_equal_the_raw_ones(demo):
    assert aggregates.verify() == []
    assert PetitionCount.objects.exists()
    provinces = list(
        Unit.objects.filter(kind=UnitKind.PROVINCIAL)
        .order_by("code")
        .values_list("code", flat=True)
    )
    closed = list(
        Unit.objects.filter(kind=UnitKind.PROVINCIAL, valid_to__isnull=False).values_list(
            "code", flat=True
        )
    )
    assert closed, "the demo has provinces closed by the 2025 merger"
    codes = sorted({*provinces[:2], *closed[:2], "QT-BNCTU", "QB-BNCTU"})
    units = [None, Unit.objects.filter(parent=None).order_by("path").first()]
    units += list(Unit.objects.filter(code__in=codes).order_by("code"))
    everyone = Petition.objects.all()
    for unit in units:
        for start, end in windows():
            assert_same(everyone, unit, start, end, f"{unit} {start}..{end}")
    for unit in units[:4]:
        for start, end in windows()[2:5]:
            where = f"{unit} {start}..{end}"
            assert_same(everyone.filter(kind="complaint"), unit, start, end, f"{where} complaint")
            assert_same(everyone.filter(field="land"), unit, start, end, f"{where} land")
    assert_kept_path(everyone, units[2], D(2025, 6, 30))
    assert_kept_path(everyone.filter(kind="complaint"), None, D(2025, 6, 30))


def test_demo_as_a_scoped_user_sees_it(demo):
    """Through the gate (`restrict` and `within`) of a province's user and of the admin."""
    quangtri = Unit.objects.get(code="QT-BNCTU")
    quangbinh = Unit.objects.get(code="QB-BNCTU")
    for username in ("quangtri", "admin"):
        user = User.objects.get(username=username)
        visible = selectors.visible(user)
        assert_kept_path(visible, quangtri, D(2025, 6, 30))
        for unit in (quangtri, quangbinh):
            for start, end in windows()[:4]:
                where = f"{username} {unit.code} {start}..{end}"
                assert_same(visible, unit, start, end, where)
                assert_same(visible.within(unit), unit, start, end, f"{where} within")


def test_a_queryset_the_table_does_not_key_is_counted_raw(demo):
    queryset = Petition.objects.filter(subject__icontains="đất")
    assert aggregates.read(queryset, [aggregates.Window(D(2025, 1, 1), D(2025, 6, 30))]) is None
    assert selectors.statistics(queryset, D(2025, 1, 1), D(2025, 6, 30)) == (
        selectors.statistics_raw(queryset, D(2025, 1, 1), D(2025, 6, 30))
    )


def test_rebuild_command_and_verify(demo):
    kept = aggregates.kept_counts()
    PetitionCount.objects.filter(pk__in=PetitionCount.objects.values("pk")[:3]).update(n=99)
    assert aggregates.verify()
    call_command("rebuild_petition_counts")
    assert aggregates.kept_counts() == kept
    call_command("rebuild_petition_counts", "--verify")


# -- a randomised history through the services -------------------------------------------------


KINDS = ("complaint", "denunciation", "recommendation", "feedback")
FIELDS = ("land", "administration", "corruption", "other")


FIRST, LAST = D(2023, 1, 1), D(2026, 11, 30)


def _day(rng, start=FIRST, end=LAST):
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _step(rng, units, petitions):
    """One random write through a service (a ValidationError is a refused write)."""
    live = [p for p in petitions if Petition.objects.filter(pk=p.pk).exists()]
    for p in live:
        p.refresh_from_db()
    by_status = {s: [p for p in live if p.status == s] for s in PetitionStatus.values}
    accepted = by_status[PetitionStatus.ACCEPTED]
    action = rng.choice(
        ["register"] * 4
        + ["classify"] * 3
        + ["pause", "resume", "extend"]
        + ["resolve"] * 3
        + ["edit", "delete"]
    )
    if action == "register" or not live:
        kind = rng.choice(KINDS)
        petitions.append(
            register(
                rng.choice(units),
                kind=kind,
                field=rng.choice(FIELDS),
                received_on=_day(rng),
                petitioner_name=f"Người {rng.randrange(1000)}",
            )
        )
    elif action == "classify" and by_status[PetitionStatus.RECEIVED]:
        p = rng.choice(by_status[PetitionStatus.RECEIVED])
        decision = rng.choice(["accept", "accept", "accept", "guide", "reject"])
        services.petition_classify(
            user=SYSTEM,
            petition=p,
            decision=decision,
            on=p.received_on + dt.timedelta(days=rng.randrange(20)),
            reason="Không đủ điều kiện" if decision == "reject" else "",
        )
    elif action == "pause" and accepted:
        p = rng.choice(accepted)
        if p.paused_since is None:
            start = p.accepted_on + dt.timedelta(days=rng.randrange(60))
            services.petition_pause(user=SYSTEM, petition=p, start=start, reason="Giám định")
    elif action == "resume":
        paused = [p for p in accepted if p.paused_since is not None]
        if paused:
            p = rng.choice(paused)
            end = p.paused_since + dt.timedelta(days=rng.randrange(40))
            services.petition_resume(user=SYSTEM, petition=p, end=end)
    elif action == "extend" and accepted:
        p = rng.choice(accepted)
        services.petition_extend(
            user=SYSTEM, petition=p, decided_on=p.accepted_on, days=rng.choice([10, 30])
        )
    elif action == "resolve" and accepted:
        p = rng.choice(accepted)
        if p.paused_since is None:
            services.petition_resolve(
                user=SYSTEM,
                petition=p,
                resolved_on=p.accepted_on + dt.timedelta(days=rng.randrange(150)),
                outcome=OUTCOMES_BY_KIND[p.kind][0],
            )
    elif action == "edit":
        p = rng.choice(live)
        before = snapshot(p)
        p.received_on = min(p.received_on, _day(rng))
        p.field = rng.choice(FIELDS)
        p.unit = rng.choice(units)
        p.complexity = rng.choice(["normal", "complex"])
        object_update(user=SYSTEM, instance=p, before=before)
    elif action == "delete" and len(live) > 5:
        p = rng.choice(live)
        if not p.duplicates.exists():
            object_delete(user=SYSTEM, instance=p, reason="Nhập trùng")


@pytest.mark.parametrize("seed", [1, 2])
def test_random_history_kept_equals_counted_after_every_write(tree, seed):
    rng = random.Random(seed)  # noqa: S311
    commune = unit_create(
        user=SYSTEM,
        parent=tree["prov_b"],
        code="T-B1",
        name="Xã thử B1",
        kind=UnitKind.DISTRICT_GROUP,
        valid_from=D(2020, 1, 1),
    )
    units = [tree["dept_a"], tree["prov_a"], tree["prov_b"], commune, tree["root"]]
    petitions: list[Petition] = []
    for i in range(int(os.environ.get("AGG_STEPS", "70"))):
        if i == 45:
            # The tree changes under the kept table: a department moves to the other province,
            # then province B merges into A on 1/7/2025, handing over its open petitions.
            unit_move(user=SYSTEM, unit=tree["dept_a"], new_parent=tree["prov_b"], on=D(2025, 3, 1))
            unit_merge(
                user=SYSTEM, sources=[tree["prov_b"]], target=tree["prov_a"], on=D(2025, 7, 1)
            )
            assert aggregates.verify() == [], "after the merger"
            units = [tree["dept_a"], tree["prov_a"], commune, tree["root"]]
        with contextlib.suppress(ValidationError):
            _step(rng, units, petitions)
        assert aggregates.verify() == [], f"step {i}"
    assert Petition.objects.filter(status=PetitionStatus.RESOLVED).exists()
    everyone = Petition.objects.all()
    for unit in [None, *(Unit.objects.get(pk=u.pk) for u in [*tree.values(), commune])]:
        for start, end in windows():
            where = f"{unit} {start}..{end}"
            assert_same(everyone, unit, start, end, where)
    for start, end in windows()[:6]:
        complaints = everyone.filter(kind="complaint")
        assert_same(complaints, tree["prov_a"], start, end, f"complaints {start}..{end}")
    kept = aggregates.kept_counts()
    aggregates.rebuild()
    assert "\n".join(aggregates.verify()) == ""
    # A rebuild records today's tree (the move and the merger): the figures stay the same.
    for start, end in windows()[:4]:
        assert_same(everyone, tree["prov_a"], start, end, f"rebuilt {start}..{end}")
    assert kept != aggregates.kept_counts()  # ...though the rows roll up differently now


def test_decompose_covers_each_day_once():
    rng = random.Random(3)  # noqa: S311
    for _ in range(300):
        lo = _day(rng, D(2019, 1, 1), D(2027, 1, 1))
        hi = lo + dt.timedelta(days=rng.randrange(2000))
        days = []
        for grain, first, last in aggregates.decompose(lo, hi):
            cur = first
            while cur <= last:
                if grain == "d":
                    days.append((cur, cur))
                    cur += dt.timedelta(days=1)
                elif grain == "m":
                    days.append((cur, aggregates.month_end(cur)))
                    cur = aggregates.month_end(cur) + dt.timedelta(days=1)
                else:
                    days.append((cur, D(cur.year, 12, 31)))
                    cur = D(cur.year + 1, 1, 1)
        assert days[0][0] == lo and days[-1][1] == hi
        assert all(a[1] + dt.timedelta(days=1) == b[0] for a, b in itertools.pairwise(days))
    assert aggregates.decompose(None, D(2025, 3, 4))[0][0] == "y"


def test_bulk_created_petitions_are_counted_by_count_created(tree):
    made = Petition.objects.bulk_create(
        [
            Petition(
                unit=tree["dept_a"] if i % 2 else tree["prov_b"],
                received_on=D(2024, 1 + i % 12, 1 + i),
                accepted_on=D(2024, 1 + i % 12, 2 + i),
                resolve_due_on=D(2024, 1 + i % 12, 20),
                status=PetitionStatus.ACCEPTED,
                channel="post",
                kind=KINDS[i % 4],
                field=FIELDS[i % 4],
                subject=f"Đơn {i}",
            )
            for i in range(12)
        ]
    )
    assert aggregates.verify()  # not counted yet: no signal for a bulk insert
    aggregates.count_created([p.pk for p in made])
    assert aggregates.verify() == []
    for start, end in windows()[:3]:
        assert_same(Petition.objects.all(), tree["prov_a"], start, end, f"{start}..{end}")
