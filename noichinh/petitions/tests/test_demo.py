"""The demo tells the petitions' stories, quickly, and loading it twice creates nothing."""

import io
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from noichinh.accounts.models import User
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.petitions import demo
from noichinh.petitions.models import Petition, PetitionExtension, ReceptionSession
from noichinh.petitions.selectors import resolved_late_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_demo()


def test_demo_figures(loaded):
    assert Petition.objects.count() > 3000
    assert Petition.objects.filter(kind="denunciation").count() > 400
    assert Petition.objects.filter(kind="complaint", field="land").count() > 600
    assert ReceptionSession.objects.count() > 500
    assert PetitionExtension.objects.exists()
    assert Petition.objects.filter(session__isnull=False).count() > 500
    # The district groups resolved many petitions late in the first nine months of 2024.
    districts = Petition.objects.filter(unit__code__in=demo.QB_DISTRICTS)
    window = {"resolved_on__gte": "2024-01-01", "resolved_on__lte": "2024-09-30"}
    resolved = districts.filter(**window).count()
    late = districts.filter(resolved_late_q(), **window).count()
    assert resolved and late / resolved > 0.25
    # No district record after the groups closed on 1/7/2025.
    assert not districts.filter(received_on__gte="2025-07-01").exists()
    assert not districts.filter(resolved_on__gte="2025-07-01").exists()


def test_demo_users_see_their_province(loaded):
    client = Client()
    client.force_login(User.objects.get(username="nghean"))
    page = client.get(reverse("petitions:petition_list"))
    assert page.status_code == 200 and page.context["total"] > 300
    assert (
        client.get(
            reverse("petitions:dashboard"), {"start": "01/01/2024", "end": "30/09/2024"}
        ).status_code
        == 200
    )
    quangtri = User.objects.get(username="quangtri")
    assert Petition.objects.restrict(quangtri, "view").filter(unit__code="QB-DH").exists()


def test_loading_twice_creates_nothing_and_is_fast(loaded):
    counts = (
        Petition.objects.count(),
        ReceptionSession.objects.count(),
        AuditEntry.objects.count(),
    )
    started = time.monotonic()
    call_command("load_demo", stdout=io.StringIO())
    assert time.monotonic() - started < 15
    assert (
        Petition.objects.count(),
        ReceptionSession.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
