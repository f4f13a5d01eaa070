"""The record header of a case page (issue 13): title, status, key facts and the allowed actions
in a menu; each action's form shown only when chosen; the timeline first; delete last, apart,
as a danger, leading to the page that asks the reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noichinh.accounts.models import User
from noichinh.cases import services
from noichinh.cases.models import Case
from noichinh.core.scoping import SYSTEM


def _client(username: str = "trunguong") -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _menu(html: str) -> list[tuple[str, str, str]]:
    """(label, href, li class) of the items of the header's actions menu, in order."""
    menu = re.search(r'<ul class="action-menu-list".*?</ul>', html, re.S)
    assert menu, "the record header has no actions menu"
    return [
        (label.strip(), href, cls)
        for cls, href, label in re.findall(
            r'<li(?: class="([^"]*)")?><a[^>]*href="([^"]*)"[^>]*>([^<]*)</a>', menu.group(0)
        )
    ]


def _open_case() -> Case:
    case = Case.objects.filter(stage="investigation", suspended_since__isnull=True).first()
    assert case is not None
    return case


@pytest.mark.django_db
def test_case_page_shows_header_menu_and_no_open_form(demo: None) -> None:
    case = _open_case()
    url = reverse("cases:case_detail", args=[case.pk])
    html = _client().get(url).content.decode()
    start = html.index('<header class="page-head record-header"')
    header = html[start : html.index("</header>", start)]
    assert case.title in header
    assert "badge status" in header  # the status badge sits in the header
    assert 'class="key-facts"' in header  # key facts under the title
    labels = [label for label, _, _ in _menu(html)]
    assert labels[:3] == ["Ghi nhận diễn biến", "Tạm đình chỉ vụ việc", "Tách giai đoạn"]
    assert "Phục hồi vụ việc" not in labels  # not suspended: resume is not offered
    # Delete is last, set apart and red, and leads to the page that asks for the reason.
    label, href, cls = _menu(html)[-1]
    assert label.startswith("Xóa") and "action-menu-danger" in cls
    assert href == reverse("cases:case_delete", args=[case.pk])
    assert "Lý do" in _client().get(href).content.decode()
    # Edit is a button of its own, not next to delete.
    assert f'href="{reverse("cases:case_edit", args=[case.pk])}"' in header
    # No action form is open until one is chosen; the timeline comes before the facts.
    for verb in ("case_event", "case_suspend", "case_split"):
        assert f'action="{reverse(f"cases:{verb}", args=[case.pk])}"' not in html
    assert 'id="action-' not in html
    assert html.index('id="timeline"') < html.index('id="facts"')


@pytest.mark.django_db
def test_a_chosen_action_opens_its_form_alone(demo: None) -> None:
    case = _open_case()
    url = reverse("cases:case_detail", args=[case.pk])
    html = _client().get(url, {"do": "suspend"}).content.decode()
    assert 'id="action-suspend"' in html
    assert reverse("cases:case_suspend", args=[case.pk]) in html
    assert reverse("cases:case_event", args=[case.pk]) not in html
    assert reverse("cases:case_split", args=[case.pk]) not in html
    # An action that is not offered cannot be opened by its address.
    html = _client().get(url, {"do": "resume"}).content.decode()
    assert reverse("cases:case_resume", args=[case.pk]) not in html


@pytest.mark.django_db
def test_suspended_case_offers_resume_not_suspend(demo: None) -> None:
    case = _open_case()
    services.case_suspend(
        user=SYSTEM, case=case, reason="assessment", started_on=timezone.localdate()
    )
    html = _client().get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    labels = [label for label, _, _ in _menu(html)]
    assert "Phục hồi vụ việc" in labels
    assert "Tạm đình chỉ vụ việc" not in labels
    assert services.suspend_refusal(case) is not None  # the same rule the menu asked


@pytest.mark.django_db
def test_a_refused_form_comes_back_open(demo: None) -> None:
    case = _open_case()
    future = timezone.localdate() + dt.timedelta(days=400)
    response = _client().post(
        reverse("cases:case_split", args=[case.pk]),
        {"title": "", "detected_on": f"{future.day}/{future.month}/{future.year}"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="action-split"' in html  # the form with its errors, open


@pytest.mark.django_db
def test_a_user_who_may_not_change_gets_no_verbs(demo: None) -> None:
    """A user who may see the case but not change it sees no verb (the service would refuse)."""
    from noichinh.core.scoping import can_on

    for username in ("nghean", "quangtri", "quangbinh", "trunguong", "quantri.nghean"):
        user = User.objects.get(username=username)
        for case in Case.objects.restrict(user, "view")[:200]:
            if not can_on(user, "change", case):
                client = Client()
                client.force_login(user)
                html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
                assert "Ghi nhận diễn biến" not in html
                assert "do=suspend" not in html
                return
    pytest.skip("every demo user may change every case it sees")
