"""A count never silently includes a record its reader may not open (issue 16: campaign
progress showed 13 to a specialist whose linked list had 12, the confidential case counted).

The official figure (the same for every reader, it ranks the committees) stays; the linked
figure is what the reader may open, and the page states how many more are counted."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from noichinh.campaigns.models import TargetRegistration
from noichinh.core.scoping import can_on

pytestmark = pytest.mark.django_db


def _client(username: str) -> tuple[Client, object]:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    return client, user


def _list_length(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_linked_progress_figure_equals_its_list_for_the_specialist(demo) -> None:
    client, user = _client("nghean")
    hidden_seen = 0
    checked = 0
    registrations = [
        r for r in TargetRegistration.objects.select_related("unit") if can_on(user, "view", r)
    ]
    assert registrations
    for registration in registrations:
        for review in [*registration.campaign.reviews.all(), None]:
            page = client.get(
                f"/thi-dua/dang-ky/{registration.pk}/",
                {"review": review.pk if review else "0"},
            )
            assert page.status_code == 200
            rows = list(page.context.get("rows") or [])
            for _child, child_rows in page.context.get("children") or []:
                rows += child_rows
            for row in rows:
                if not row.url:
                    continue
                assert row.shown == _list_length(client, row.url), (registration, review, row)
                assert row.shown + row.hidden == row.actual
                checked += 1
                if row.hidden:
                    hidden_seen += row.hidden
                    assert "không được mở" in page.content.decode()
    assert checked
    assert hidden_seen >= 1  # the demo's confidential case in Nghệ An is counted, and said so


def test_a_head_who_opens_everything_sees_no_note(demo) -> None:
    client, _user = _client("admin")
    for registration in TargetRegistration.objects.filter(unit__code="NA-BNCTU"):
        page = client.get(f"/thi-dua/dang-ky/{registration.pk}/", {"review": "0"})
        assert page.status_code == 200
        for row in page.context["rows"]:
            assert row.hidden == 0
            if row.url:
                assert row.actual == _list_length(client, row.url)


def test_the_cluster_table_says_it_too(demo) -> None:
    from noichinh.campaigns import progress
    from noichinh.campaigns.models import Review
    from noichinh.units.models import Cluster

    _unused, user = _client("nghean")
    for cluster in Cluster.objects.all():
        for review in Review.objects.all():
            table = progress.cluster_table(cluster, review.campaign, review, viewer=user)
            for row in table.rows:
                for cell in row.cells.values():
                    assert cell.hidden >= 0 and cell.shown + cell.hidden == cell.actual
