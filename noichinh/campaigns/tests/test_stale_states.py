"""A campaign's state is derived from its dates (issue 13): one that ended shows "Đã kết thúc"
wherever its state is shown, never "running"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from noichinh.accounts.models import User
from noichinh.campaigns.choices import CampaignState
from noichinh.campaigns.models import Campaign

D = dt.date


def test_state_follows_the_dates() -> None:
    campaign = Campaign(title="X", start_on=D(2021, 5, 25), end_on=D(2025, 12, 31))
    assert campaign.state_on(D(2021, 5, 24)) == CampaignState.UPCOMING
    assert campaign.state_on(D(2021, 5, 25)) == CampaignState.RUNNING
    assert campaign.state_on(D(2025, 12, 31)) == CampaignState.RUNNING
    assert campaign.state_on(D(2026, 1, 1)) == CampaignState.ENDED


@pytest.mark.django_db
def test_ended_campaign_shows_ended_everywhere(demo: None) -> None:
    campaign = Campaign.objects.filter(end_on__lt=dt.date.today()).first()
    assert campaign is not None
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    for url in (
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
        reverse("campaigns:campaign_list"),
        reverse("campaigns:dashboard"),
    ):
        html = client.get(url).content.decode()
        assert "Đã kết thúc" in html, url
        assert "Đang diễn ra" not in html, url
