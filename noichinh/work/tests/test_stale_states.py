"""Stale states of the work area (issue 13): an issued programme does not offer (nor accept)
recording its issue again; tasks of units closed in 2025 were handed over, so no overdue task
is listed for a closed unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noichinh.accounts.models import User
from noichinh.core.scoping import SYSTEM, can_on
from noichinh.work import selectors, services
from noichinh.work.models import WorkProgramme


@pytest.mark.django_db
def test_issued_programme_offers_no_issue(demo: None) -> None:
    issued = WorkProgramme.objects.filter(issued_on__isnull=False).first()
    pending = WorkProgramme.objects.filter(issued_on__isnull=True).first()
    assert issued is not None
    assert services.programme_issue_refusal(issued) is not None
    with pytest.raises(ValidationError):
        services.programme_issue(user=SYSTEM, programme=issued, issued_on=dt.date(2025, 1, 1))
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    html = client.get(reverse("work:workprogramme_detail", args=[issued.pk])).content.decode()
    assert "Ghi nhận việc ban hành" not in html
    html = client.get(
        reverse("work:workprogramme_detail", args=[issued.pk]), {"do": "issue"}
    ).content.decode()
    assert reverse("work:programme_issue", args=[issued.pk]) not in html
    if pending is not None and can_on(User.objects.get(username="trunguong"), "change", pending):
        html = client.get(reverse("work:workprogramme_detail", args=[pending.pk])).content.decode()
        assert "Ghi nhận việc ban hành" in html  # not issued yet: offered


@pytest.mark.django_db
def test_no_overdue_task_of_a_closed_unit(demo: None) -> None:
    today = timezone.localdate()
    for username in ("trunguong", "admin", "quangtri"):
        user = User.objects.get(username=username)
        overdue = selectors.task_list_overdue(user, today)
        closed = [t for t in overdue if t.unit.valid_to is not None and t.unit.valid_to < today]
        assert closed == [], (username, closed)
