"""A secret ballot stores nothing that gives the voting order or links a voter to a choice
(issue 16: tally rows created at the first vote of each choice and participation ids in voting
order gave back 8 of 8 choices of 4 delegates). Read generically: every stored column of every
table that hangs on a ballot."""

from typing import Any

from django.apps import apps
from django.db import models

from noichinh.awards import services
from noichinh.awards.models import AwardReview, Ballot
from noichinh.awards.tests.test_ballots import setup  # noqa: F401  (the fixture)

CHOICES = [("agree", "agree"), ("disagree", "abstain"), ("agree", "disagree"), ("abstain", "agree")]


def _ballot_models() -> list[type[models.Model]]:
    """Every model of the app with a foreign key to Ballot (participations, counters, votes)."""
    return [
        model
        for model in apps.get_app_config("awards").get_models()
        if any(
            isinstance(f, models.ForeignKey) and f.related_model is Ballot
            for f in model._meta.concrete_fields
        )
    ]


def _stored(ballot: Ballot) -> dict[str, list[tuple[Any, ...]]]:
    """All stored columns of the ballot's rows, ids replaced by their rank within the ballot
    (what an attacker reading the tables can order by)."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    for model in _ballot_models():
        link = next(
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is Ballot
        )
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != link]
        rows = list(model._default_manager.filter(**{link: ballot.pk}).values_list(*columns))
        pk = columns.index(model._meta.pk.attname)
        ranks = {row[pk]: rank for rank, row in enumerate(sorted(rows, key=lambda r: r[pk]))}
        state[model._meta.label] = sorted(
            tuple(ranks[v] if i == pk else v for i, v in enumerate(row)) for row in rows
        )
    return state


def _vote(s: dict[str, Any], ballot: Ballot, order: list[int], choice_of: list[int]) -> None:
    first, second = s["nominations"]
    for i in order:
        a, b = CHOICES[choice_of[i]]
        services.ballot_cast(
            user=s["users"][i],
            ballot=ballot,
            delegate=s["delegates"][i],
            choices={first.pk: a, second.pk: b},
        )


def test_no_column_of_a_ballot_table_is_a_time(setup) -> None:  # noqa: F811
    for model in _ballot_models():
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.TimeField), (model, field)


def test_the_stored_rows_do_not_depend_on_the_order_or_on_who_chose_what(setup) -> None:  # noqa: F811
    """Two ballots of the same review: the same four papers, cast in another order and with the
    papers swapped between the delegates. Every stored column (ids as ranks) is the same, so
    nothing in the tables can tell the order or who chose what."""
    s = setup
    status = s["review"].status
    ballots = []
    for order, choice_of in (([2, 0, 3, 1], [0, 1, 2, 3]), ([1, 3, 0, 2], [3, 2, 1, 0])):
        ballot = services.ballot_open(user=s["organiser"], review=s["review"], kind="secret")
        _vote(s, ballot, order, choice_of)
        services.ballot_close(user=s["organiser"], ballot=ballot)
        ballots.append(ballot)
        # A second round of the same conference (the review's day is not over).
        AwardReview.objects.filter(pk=s["review"].pk).update(status=status)
        s["review"].refresh_from_db()
    first, second = (_stored(b) for b in ballots)
    assert first["awards.Tally"] and first["awards.BallotParticipation"]
    assert first == second
    # And the counts are right: the papers are the same.
    results = [services.ballot_results(s["review"], ballot=b) for b in ballots]
    figures = [[(r.agree, r.disagree, r.abstain, r.valid) for r in rs] for rs in results]
    assert figures[0] == figures[1] == [(2, 1, 1, 4), (2, 1, 1, 4)]


def test_participation_and_counter_ids_follow_a_fixed_order_not_the_votes(setup) -> None:  # noqa: F811
    s = setup
    ballot = services.ballot_open(user=s["organiser"], review=s["review"], kind="secret")
    participations = list(ballot.participations.order_by("pk").values_list("delegate_id", "voted"))
    tallies = list(ballot.tallies.order_by("pk").values_list("nomination_id", "choice", "count"))
    # All rows exist before the first vote, in the delegates' and nominations' order.
    assert [d for d, _voted in participations] == sorted(d.pk for d in s["delegates"])
    assert not any(voted for _d, voted in participations)
    assert len(tallies) == 2 * 3 and all(count == 0 for *_key, count in tallies)
    _vote(s, ballot, [3, 1, 0, 2], [0, 1, 2, 3])
    after = list(ballot.participations.order_by("pk").values_list("delegate_id", "voted"))
    assert after == [(d, True) for d, _voted in participations]
    assert [
        t[:2] for t in ballot.tallies.order_by("pk").values_list("nomination_id", "choice")
    ] == [t[:2] for t in tallies]
