"""The petition page offers exactly the verbs its services accept (`petition_refusal`, the
services' own rule): a paused petition may be resumed or extended, not paused or resolved."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noichinh.accounts.models import User
from noichinh.core.scoping import SYSTEM
from noichinh.petitions import clock, services
from noichinh.petitions.choices import PetitionStatus
from noichinh.petitions.models import Petition


def _offered(petition: Petition) -> set[str]:
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    html = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    return set(re.findall(r"\?do=([a-z_]+)", html))


@pytest.mark.django_db
def test_a_paused_petition_offers_resume_and_extend_but_not_pause_or_resolve(demo: None) -> None:
    petition = next(
        p
        for p in Petition.objects.filter(status=PetitionStatus.ACCEPTED, paused_since__isnull=True)
        if (rule := clock.find_rule(p.kind, clock.RESOLVE, p.complaint_round))
        and rule.extensions_allowed(p.complexity)
    )
    assert {"pause", "resolve", "extend"} <= _offered(petition)
    assert "resume" not in _offered(petition)
    today = timezone.localdate()
    start = max(today, petition.accepted_on or today)
    services.petition_pause(user=SYSTEM, petition=petition, start=start, reason="giám định")
    offered = _offered(petition)
    assert {"resume", "extend"} <= offered
    assert not {"pause", "resolve", "classify", "follow_up"} & offered
    with pytest.raises(ValidationError, match="tạm dừng"):
        services.petition_pause(user=SYSTEM, petition=petition, start=start, reason="lần hai")
    with pytest.raises(ValidationError):
        services.petition_resolve(
            user=SYSTEM, petition=petition, resolved_on=start, outcome="upheld"
        )
