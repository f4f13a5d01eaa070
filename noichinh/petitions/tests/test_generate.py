"""The petition generator (bench data): deadlines by the clock, search text as the resource
builds it, and never a denouncer's name in it."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from noichinh.core.models import AuditEntry
from noichinh.petitions.choices import PetitionKind, PetitionStatus
from noichinh.petitions.models import Petition, PetitionExtension, PetitionPause
from noichinh.petitions.resources import PetitionResource
from noichinh.petitions.services import refresh_deadlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    out = io.StringIO()
    call_command("generate_units", provinces=2, communes_per_province=3, departments=1, stdout=out)
    entries = AuditEntry.objects.count()
    call_command("generate_petitions", count=3000, batch=700, seed=3, stdout=out)
    return entries


def test_generated_petitions_are_consistent(generated) -> None:
    petitions = list(Petition.objects.all())
    assert len(petitions) == 3000
    assert all(p.reference.startswith("GEN-T0") for p in petitions)
    assert AuditEntry.objects.count() == generated  # no audit entries for generated data
    statuses = {p.status for p in petitions}
    assert {PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED, PetitionStatus.RESOLVED} <= statuses
    assert PetitionExtension.objects.exists()
    assert PetitionPause.objects.filter(end__isnull=False).exists()
    for petition in petitions:
        stored = (petition.classify_due_on, petition.resolve_due_on)
        assert stored[0] is not None
        if petition.accepted_on is not None and petition.kind in (
            PetitionKind.COMPLAINT,
            PetitionKind.DENUNCIATION,
        ):
            assert stored[1] is not None
        refresh_deadlines(petition)  # the clock with the stored extensions and closed pauses
        assert (petition.classify_due_on, petition.resolve_due_on) == stored, petition.reference
        assert petition.search_text == PetitionResource.build_search_text(petition)
        if petition.is_denunciation:
            assert petition.petitioner_name not in petition.search_text
            assert petition.petitioner_key not in petition.search_text
        if petition.paused_since is not None:
            assert petition.pauses.filter(end__isnull=True, start=petition.paused_since).exists()
        if petition.status == PetitionStatus.RESOLVED:
            assert petition.outcome and petition.resolved_on >= petition.accepted_on


def test_refuses_to_generate_twice_without_replace(generated) -> None:
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_petitions", count=10, stdout=io.StringIO())
    call_command("generate_petitions", count=10, replace=True, stdout=io.StringIO())
    assert Petition.objects.count() == 10
