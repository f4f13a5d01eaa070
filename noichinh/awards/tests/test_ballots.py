"""Thresholds and quorum, secret-ballot anonymity, one vote per delegate (also under concurrent
submissions), proxies, paper ballots, the minutes' content."""

import datetime as dt
import io
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from docx import Document as WordDocument

from noichinh.awards import minutes, services
from noichinh.awards.models import (
    AwardReview,
    Ballot,
    BallotParticipation,
    Delegate,
    Nomination,
    Tally,
    Vote,
)
from noichinh.awards.tests.test_resources import kind_for, review_of
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user

D = dt.date


@pytest.fixture
def setup(db) -> dict[str, Any]:
    tree = build_tree()
    organiser = make_user("tochuc", tree["prov_a"], [Role.HEAD])
    review = review_of(tree["prov_a"], "Bình xét")
    review.cluster.members.add(tree["prov_b"])
    users = [make_user(f"daibieu{i}", tree["prov_b"], [Role.VIEWER]) for i in range(4)]
    delegates = [
        Delegate.objects.create(
            unit=review.unit, review=review, member=tree["prov_b"], name=f"Đại biểu {i}", user=u
        )
        for i, u in enumerate(users)
    ]
    pm = kind_for(tree["root"], "Bằng khen của Thủ tướng Chính phủ")
    pm.threshold_percent = Decimal(75)
    pm.save()
    head = kind_for(tree["root"], "Bằng khen của Trưởng Ban")
    nominations = [
        Nomination.objects.create(
            unit=tree["prov_b"],
            review=review,
            kind=pm,
            nominee_unit=tree["prov_b"],
            achievements="A",
        ),
        Nomination.objects.create(
            unit=tree["prov_a"],
            review=review,
            kind=head,
            nominee_unit=tree["prov_a"],
            achievements="B",
        ),
    ]
    return {
        "tree": tree,
        "review": review,
        "organiser": organiser,
        "users": users,
        "delegates": delegates,
        "nominations": nominations,
    }


def _choices(s: dict[str, Any], first: str, second: str = "agree") -> dict[int, str]:
    return {s["nominations"][0].pk: first, s["nominations"][1].pk: second}


def test_quorum_is_checked_when_the_ballot_opens(setup) -> None:
    s = setup
    Delegate.objects.filter(pk__in=[d.pk for d in s["delegates"][:2]]).update(present=False)
    with pytest.raises(ValidationError):  # 2 of 4 present < 66.67 %
        services.ballot_open(user=s["organiser"], review=s["review"])
    # an absent delegate represented by a proxy counts as present
    holder = s["delegates"][2]
    holder.proxy_for = s["delegates"][0]
    holder.authorisation = "01/UQ"
    holder.save()
    assert services.attendance(s["review"]) == (4, 3)
    ballot = services.ballot_open(user=s["organiser"], review=s["review"])
    assert (ballot.delegates_total, ballot.delegates_present) == (4, 3)
    with pytest.raises(ValidationError):
        services.ballot_open(user=s["organiser"], review=s["review"])  # one open at a time


def test_thresholds_per_kind_and_per_review(setup) -> None:
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"])
    for user, delegate, first in zip(
        s["users"], s["delegates"], ["agree", "agree", "agree", "disagree"], strict=True
    ):
        services.ballot_cast(
            user=user,
            ballot=ballot,
            delegate=delegate,
            choices=_choices(s, first, "abstain" if first == "disagree" else "agree"),
        )
    services.ballot_close(user=s["organiser"], ballot=ballot)
    pm, head = services.ballot_results(s["review"])
    assert (pm.agree, pm.disagree, pm.valid, pm.percent, pm.threshold, pm.passed) == (
        3,
        1,
        4,
        Decimal("75.00"),
        Decimal(75),
        True,
    )
    assert (head.agree, head.abstain, head.percent, head.passed) == (3, 1, Decimal("75.00"), True)
    # The review's own threshold overrides the kinds': 80 % of the delegates present.
    review = s["review"]
    review.threshold_percent, review.threshold_basis = Decimal(80), "present"
    review.save()
    assert [r.passed for r in services.ballot_results(review)] == [False, False]


def test_a_secret_ballot_stores_no_link_between_voter_and_vote(setup) -> None:
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"], kind="secret")
    services.ballot_cast(
        user=s["users"][0],
        ballot=ballot,
        delegate=s["delegates"][0],
        choices=_choices(s, "disagree"),
    )
    services.ballot_cast(
        user=s["users"][1], ballot=ballot, delegate=s["delegates"][1], choices=_choices(s, "agree")
    )
    # Who voted is known (nobody votes twice) ...
    assert set(
        BallotParticipation.objects.filter(voted=True).values_list("delegate_id", flat=True)
    ) == {
        s["delegates"][0].pk,
        s["delegates"][1].pk,
    }
    # ... but no stored row holds both a delegate and a choice: no Vote rows, counters only.
    assert Vote.objects.count() == 0
    assert {(t.choice, t.count) for t in Tally.objects.filter(nomination=s["nominations"][0])} == {
        ("agree", 1),
        ("disagree", 1),
        ("abstain", 0),  # every counter exists from the opening
    }
    for model in apps.get_app_config("awards").get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "choice" in names and model is not Vote:
            assert not names & {"delegate", "user", "created_at", "updated_at", "cast_by"}, model
    # The audit log records the participation, never the choices.
    entries = AuditEntry.objects.filter(object_type="awards.ballot", action="transition")
    assert entries.count() == 2
    assert all("disagree" not in str(e.changes) and "agree" not in str(e.changes) for e in entries)


def test_a_named_vote_keeps_who_voted_what(setup) -> None:
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"], kind="named")
    services.ballot_cast(
        user=s["users"][0],
        ballot=ballot,
        delegate=s["delegates"][0],
        choices=_choices(s, "disagree"),
    )
    assert Vote.objects.get(nomination=s["nominations"][0]).choice == "disagree"


def test_one_vote_per_delegate_and_only_from_the_right_account(setup, client) -> None:
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"])
    services.ballot_cast(
        user=s["users"][0], ballot=ballot, delegate=s["delegates"][0], choices=_choices(s, "agree")
    )
    with pytest.raises(ValidationError):
        services.ballot_cast(
            user=s["users"][0],
            ballot=ballot,
            delegate=s["delegates"][0],
            choices=_choices(s, "agree"),
        )
    with pytest.raises(PermissionDenied):  # someone else's vote
        services.ballot_cast(
            user=s["users"][1],
            ballot=ballot,
            delegate=s["delegates"][2],
            choices=_choices(s, "agree"),
        )
    with pytest.raises(ValidationError):  # every nomination needs a choice
        services.ballot_cast(
            user=s["users"][1],
            ballot=ballot,
            delegate=s["delegates"][1],
            choices={s["nominations"][0].pk: "agree"},
        )
    # through the page: a delegate votes from their own device
    client.force_login(s["users"][1])
    url = reverse("awards:ballot_vote", args=[s["review"].pk, s["delegates"][1].pk])
    data = {f"n{n.pk}": "agree" for n in s["nominations"]}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400
    assert Tally.objects.get(nomination=s["nominations"][0], choice="agree").count == 2


def test_a_proxy_holder_votes_for_the_absent_delegate(setup) -> None:
    s = setup
    absent, holder = s["delegates"][0], s["delegates"][1]
    absent.present = False
    absent.save()
    holder.proxy_for, holder.authorisation = absent, "Giấy ủy quyền số 05"
    holder.save()
    ballot = services.ballot_open(user=s["organiser"], review=s["review"])
    rights = services.voting_rights(ballot, s["users"][1])
    assert [(d.pk, h.pk if h else None) for d, h in rights] == [
        (holder.pk, None),
        (absent.pk, holder.pk),
    ]
    services.ballot_cast(
        user=s["users"][1], ballot=ballot, delegate=absent, choices=_choices(s, "agree")
    )
    participation = BallotParticipation.objects.get(delegate=absent)
    assert participation.cast_by == holder
    with pytest.raises(PermissionDenied):  # the absent delegate's own account holds no vote
        services.ballot_cast(
            user=s["users"][0], ballot=ballot, delegate=absent, choices=_choices(s, "agree")
        )


def test_paper_ballots_entered_by_the_secretary(setup, client) -> None:
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"])
    services.ballot_cast(
        user=s["users"][0], ballot=ballot, delegate=s["delegates"][0], choices=_choices(s, "agree")
    )
    client.force_login(s["organiser"])
    url = reverse("awards:ballot_paper", args=[s["review"].pk])
    papers = [d.pk for d in s["delegates"][1:]]
    first, second = s["nominations"]
    bad = {
        "delegates": papers,
        f"n{first.pk}_agree": "3",
        f"n{first.pk}_disagree": "1",
        f"n{first.pk}_abstain": "0",
        f"n{second.pk}_agree": "3",
        f"n{second.pk}_disagree": "0",
        f"n{second.pk}_abstain": "0",
    }
    assert client.post(url, bad).status_code == 400  # 4 counted for 3 papers
    good = {**bad, f"n{first.pk}_agree": "2"}
    assert client.post(url, good).status_code == 302
    assert client.post(reverse("awards:ballot_close", args=[s["review"].pk])).status_code == 302
    pm, _head = services.ballot_results(s["review"])
    assert (pm.agree, pm.disagree, pm.valid) == (3, 1, 4)
    assert BallotParticipation.objects.filter(paper=True).count() == 3


def test_the_minutes_say_who_attended_how_they_voted_and_what_is_proposed(setup, client) -> None:
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"])
    for user, delegate in zip(s["users"], s["delegates"], strict=True):
        services.ballot_cast(
            user=user, ballot=ballot, delegate=delegate, choices=_choices(s, "agree")
        )
    services.ballot_close(user=s["organiser"], ballot=ballot)
    client.force_login(s["organiser"])
    response = client.get(
        reverse("awards:review_minutes", args=[s["review"].pk]), {"format": "docx"}
    )
    document = WordDocument(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Đại biểu 3" in text and "Đà Nẵng" in text and "4" in text
    assert "Bằng khen của Thủ tướng Chính phủ" in cells and "100,0\u00a0%" in cells
    prov_b = s["tree"]["prov_b"]
    assert "100\u00a0%" in text and str(prov_b.short_name or prov_b.name) in text
    pdf = client.get(reverse("awards:review_minutes", args=[s["review"].pk]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert minutes.minutes_for(s["review"]).proposals[0].startswith("100\u00a0%")
    assert AuditEntry.objects.filter(action="export", object_type="awards.awardreview").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_count_one_vote(setup) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (runs on PostgreSQL in CI)")
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"])
    outcomes: list[str] = []

    def vote() -> None:
        try:
            services.ballot_cast(
                user=s["users"][0],
                ballot=Ballot.objects.get(pk=ballot.pk),
                delegate=s["delegates"][0],
                choices=_choices(s, "agree"),
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert Tally.objects.get(nomination=s["nominations"][0], choice="agree").count == 1


def test_warnings_for_an_award_already_proposed_and_a_low_score(setup) -> None:
    s = setup
    review = s["review"]
    ballot = services.ballot_open(user=s["organiser"], review=review)
    for user, delegate in zip(s["users"], s["delegates"], strict=True):
        services.ballot_cast(
            user=user, ballot=ballot, delegate=delegate, choices=_choices(s, "agree")
        )
    services.ballot_close(user=s["organiser"], ballot=ballot)
    later = AwardReview.objects.create(
        unit=review.unit,
        cluster=review.cluster,
        campaign_review=review.campaign_review,
        title="Lần hai",
        held_on=D(2024, 1, 5),
        place="Huế",
    )
    again = Nomination.objects.create(
        unit=s["tree"]["prov_b"],
        review=later,
        kind=s["nominations"][0].kind,
        nominee_unit=s["tree"]["prov_b"],
        achievements="A",
    )
    assert any("Bình xét" in w for w in services.nomination_warnings(again))
    kind = again.kind
    kind.min_score = Decimal(90)
    kind.save()
    assert len(services.nomination_warnings(again)) == 2  # no registration: no score


def test_the_ballot_through_the_api(setup, client) -> None:
    s = setup
    review = s["review"]
    client.force_login(s["organiser"])
    base = f"/api/award-reviews/{review.pk}/"
    assert (
        client.post(
            base + "open-ballot/", {"kind": "secret"}, content_type="application/json"
        ).status_code
        == 201
    )
    client.force_login(s["users"][0])
    choices = {str(n.pk): "agree" for n in s["nominations"]}
    vote = {"delegate": s["delegates"][0].pk, "choices": choices}
    assert client.post(base + "vote/", vote, content_type="application/json").status_code == 201
    again = client.post(base + "vote/", vote, content_type="application/json")
    assert again.status_code == 400 and again.json()
    other = {"delegate": s["delegates"][1].pk, "choices": choices}
    assert client.post(base + "vote/", other, content_type="application/json").status_code == 403
    bad = {"delegate": s["delegates"][0].pk, "choices": {"x": "agree"}}
    assert client.post(base + "vote/", bad, content_type="application/json").status_code == 400
    client.force_login(s["organiser"])
    closed = client.post(base + "close-ballot/", content_type="application/json")
    assert closed.status_code == 200
    assert [r["agree"] for r in closed.json()["results"]] == [1, 1]


@pytest.mark.django_db
def test_demo_cluster_iii_2023_conference_and_the_open_2025_review(client) -> None:

    load_demo()
    review = AwardReview.objects.get(held_on=D(2023, 11, 7))
    assert review.delegates.count() == 13
    results = {r.nomination.nominee_label(): r for r in services.ballot_results(review)}
    assert set(results) == {"Quảng Bình", "Đà Nẵng", "Phú Yên", "Kon Tum"}
    assert all(r.passed and r.percent == 100 for r in results.values())
    assert str(results["Quảng Bình"].nomination.kind) == "Bằng khen của Thủ tướng Chính phủ"
    # the 2025 conference has voted on its day (the demo is loaded after it): ballot closed
    final = AwardReview.objects.get(held_on=D(2025, 11, 20))
    assert final.ballots.get().status == "closed"
    from noichinh.accounts.models import User

    client.force_login(User.objects.get(username="quangtri"))
    page = client.get(reverse("awards:awardreview_detail", args=[final.pk]))
    assert page.status_code == 200 and page.context["open_ballot"] is None
    assert [r.passed for r, _name in page.context["results"]] == [True, True]
