"""The national-scale generator: a consistent tree, a valid audit chain, safe re-runs."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from noichinh.core.models import AuditEntry
from noichinh.units.models import Unit, segment

ARGS = [
    "--provinces",
    "2",
    "--communes-per-province",
    "3",
    "--departments",
    "1",
    "--audit-entries",
    "50",
    "--seed",
    "1",
]
EXPECTED = 1 + 2 * (1 + 1 + 3)  # root + 2 provinces x (themselves + 1 department + 3 communes)


def generate(*extra: str) -> str:
    out = StringIO()
    call_command("generate_units", *ARGS, *extra, stdout=out)
    return out.getvalue()


def generated() -> list[Unit]:
    return list(Unit.objects.filter(code__startswith="GEN-").select_related("parent"))


def audit_verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=out)  # SystemExit(1) if the chain is broken
    return out.getvalue()


@pytest.mark.django_db
def test_generate_units_builds_a_consistent_tree_and_audit_chain() -> None:
    entries_before = AuditEntry.objects.count()
    output = generate()
    assert f"units created: {EXPECTED}" in output

    units = generated()
    assert len(units) == EXPECTED
    for unit in units:
        assert unit.path.endswith(segment(unit.pk))
        if unit.parent is None:
            assert unit.path == segment(unit.pk)
            assert unit.depth == 0
        else:
            assert unit.path == unit.parent.path + segment(unit.pk)
            assert unit.depth == unit.parent.depth + 1
        assert unit.search_text  # folded code, name and short name
    roots = [u for u in units if u.parent is None]
    assert [u.name for u in roots] == ["Ban Nội chính Trung ương (dữ liệu thử)"]

    province = Unit.objects.get(code="GEN-T01")
    subtree = set(Unit.objects.filter(path__startswith=province.path).values_list("pk", flat=True))
    expected = {province.pk} | {u.pk for u in units if u.parent_id == province.pk}
    assert len(expected) == 1 + 1 + 3
    assert subtree == expected
    assert Unit.objects.restrict(None).count() == 0  # the gate still closes on no user

    # One summary entry plus the 50 synthetic ones, all over generated units, chain intact.
    assert AuditEntry.objects.count() == entries_before + 1 + 50
    summary = AuditEntry.objects.filter(action="import").get()
    assert summary.username == "system" and summary.object_type == "units.unit"
    synthetic = AuditEntry.objects.exclude(pk=summary.pk)
    paths = {u.path for u in units}
    assert set(synthetic.values_list("unit_path", flat=True)) <= paths
    assert "chain intact" in audit_verify()


@pytest.mark.django_db
def test_generate_units_refuses_a_second_run_and_replaces_on_request() -> None:
    generate()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert len(generated()) == EXPECTED

    old_root = Unit.objects.get(code="GEN-BNCTW").pk
    output = generate("--replace")
    assert f"deleted {EXPECTED} generated units" in output
    units = generated()
    assert len(units) == EXPECTED
    assert Unit.objects.get(code="GEN-BNCTW").pk != old_root
    province = Unit.objects.get(code="GEN-T02")
    assert Unit.objects.filter(path__startswith=province.path).count() == 1 + 1 + 3
    assert AuditEntry.objects.count() == 2 * (1 + 50)  # the log only grows
    assert "chain intact" in audit_verify()
