"""Matching never confirms a protected identity (issue 16): a specialist who guesses a
denouncer's name and registers a probe petition with the same subject gets the same suggested
duplicates whether the guess is right or wrong, on the page and in the API, also when the probe
is renamed by PATCH."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from noichinh.petitions import selectors

from .conftest import NAME, register

pytestmark = pytest.mark.django_db

WRONG_NAMES = ("Nguyễn Văn An", "Lê Thị Bình", "Phạm Văn Cường", "Hoàng Thị Dung")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def probe(tree, name):
    return register(
        tree["dept_a"],
        received_on=dt.date(2024, 4, 1),
        kind="complaint",
        complaint_round="first",
        field="corruption",
        subject="Tố cáo cán bộ địa chính nhận tiền",
        petitioner_name=name,
    )


def suggested(client, petition):
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk]))
    assert page.status_code == 200
    on_page = [p.pk for p in page.context["duplicates"]]
    api = client.get(f"/api/petitions/{petition.pk}/duplicates/")
    assert api.status_code == 200
    assert [row["id"] for row in api.json()] == on_page
    return on_page


def test_guessing_the_name_confirms_nothing(specialist_a, tree, denunciation):
    client = client_for(specialist_a)
    answers = {name: suggested(client, probe(tree, name)) for name in (NAME, *WRONG_NAMES)}
    # The denunciation is suggested on its subject, whatever the name: 0 confirmations.
    assert all(found == [denunciation.pk] for found in answers.values()), answers


def test_renaming_a_probe_by_patch_confirms_nothing(specialist_a, tree, denunciation):
    client = client_for(specialist_a)
    petition = probe(tree, WRONG_NAMES[0])
    answers = []
    for name in (*WRONG_NAMES, NAME, NAME.upper()):
        response = client.patch(
            f"/api/petitions/{petition.pk}/",
            json.dumps({"petitioner_name": name}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        answers.append(suggested(client, petition))
    assert all(found == answers[0] for found in answers), answers


def test_a_different_subject_with_the_right_name_is_not_suggested(specialist_a, tree, denunciation):
    petition = register(
        tree["dept_a"],
        received_on=dt.date(2024, 4, 1),
        subject="Khiếu nại chậm cấp giấy chứng nhận quyền sử dụng đất",
        petitioner_name=NAME,
    )
    assert selectors.petition_duplicates(specialist_a, petition) == []


def test_a_head_still_matches_on_the_name(head_a, tree, denunciation):
    """Who may see the identity keeps the name matching (a complaint and a denunciation of the
    same person)."""
    right = probe(tree, NAME)
    wrong = probe(tree, WRONG_NAMES[0])
    assert selectors.petition_duplicates(head_a, right) == [denunciation]
    assert selectors.petition_duplicates(head_a, wrong) == []  # a head may see the name


def test_the_denunciation_page_does_not_match_complaints_by_its_hidden_name(
    viewer_a, specialist_a, tree, denunciation
):
    """Duplicates shown on a denunciation whose identity the user may not see never come from
    its name: a complaint by the same person with another subject is not suggested."""
    other = register(
        tree["dept_a"],
        received_on=dt.date(2024, 2, 1),
        subject="Khiếu nại chậm cấp giấy chứng nhận quyền sử dụng đất",
        petitioner_name=NAME,
    )
    same_subject_other_name = register(
        tree["dept_a"],
        received_on=dt.date(2024, 2, 1),
        subject="Tố cáo cán bộ địa chính nhận tiền",
        petitioner_name=WRONG_NAMES[1],
    )
    for user in (viewer_a, specialist_a):
        found = selectors.petition_duplicates(user, denunciation)
        assert other not in found
        assert same_subject_other_name in found


def _fingerprints(petition):
    from noichinh.core.models import AuditEntry

    created = AuditEntry.objects.filter(
        object_type="petitions.petition", object_id=str(petition.pk), action="create"
    ).get()
    return {
        field: created.changes[field][1]
        for field in ("petitioner_name", "petitioner_key")
        if field in created.changes
    }


def test_audit_fingerprints_do_not_link_two_records_of_one_person(tree, denunciation):
    """The history tab of a complaint (name visible) and of a denunciation (name protected) of
    the same person show unrelated fingerprints; a change of the name still shows."""
    from noichinh.core.audit import snapshot

    complaint = register(tree["dept_a"], petitioner_name=NAME)
    ours, theirs = _fingerprints(denunciation), _fingerprints(complaint)
    assert ours and set(ours) == set(theirs)
    for field, value in ours.items():
        assert value.startswith("[") and NAME not in value
        assert value != theirs[field], field
    assert snapshot(complaint)["petitioner_name"] != snapshot(denunciation)["petitioner_name"]
    # Fingerprints are stable for one record, and a change of the name changes them.
    before = snapshot(denunciation)
    assert snapshot(denunciation) == before
    denunciation.petitioner_name = "Người khác"
    denunciation.clean()  # recomputes the folded key
    after = snapshot(denunciation)
    assert after["petitioner_name"] != before["petitioner_name"]
    assert after["petitioner_key"] != before["petitioner_key"]
