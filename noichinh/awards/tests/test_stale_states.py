"""Stale states of award reviews (issue 13): no ballot stays open after its conference, and a
finished review does not offer (nor accept) a new ballot."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from noichinh.accounts.models import User
from noichinh.awards import services
from noichinh.awards.choices import BallotStatus
from noichinh.awards.models import AwardReview, Ballot
from noichinh.core.scoping import SYSTEM


@pytest.mark.django_db
def test_demo_leaves_no_ballot_open_after_its_conference(demo: None) -> None:
    for ballot in Ballot.objects.filter(status=BallotStatus.OPEN).select_related("review"):
        assert ballot.opened_at.date() <= ballot.review.held_on, ballot


@pytest.mark.django_db
def test_finished_review_offers_no_ballot_and_refuses_one(demo: None) -> None:
    review = AwardReview.objects.filter(status="held").order_by("-held_on").first()
    assert review is not None and services.review_finished(review)
    assert services.ballot_open_refusal(review) is not None
    with pytest.raises(ValidationError):
        services.ballot_open(user=SYSTEM, review=review)
    user = User.objects.get(username="trunguong")
    client = Client()
    client.force_login(user)
    html = client.get(reverse("awards:awardreview_detail", args=[review.pk])).content.decode()
    assert "Mở bỏ phiếu" not in html
    assert reverse("awards:ballot_open", args=[review.pk]) not in html
    # The minutes stay available, in the menu.
    assert reverse("awards:review_minutes", args=[review.pk]) in html
    # Opening by the address is refused too (the page comes back with the reason).
    response = client.post(reverse("awards:ballot_open", args=[review.pk]), {"kind": "secret"})
    assert response.status_code in (400, 403)
    assert not review.ballots.filter(status=BallotStatus.OPEN).exists()
