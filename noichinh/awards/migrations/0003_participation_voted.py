"""Participations get a `voted` flag and, with the counters, are created when a ballot opens.

The rows of ballots already held are rewritten in the same fixed order (participations by
delegate, counters by nomination and choice), so their ids no longer follow the voting order."""

from django.db import migrations, models

CHOICES = ("agree", "disagree", "abstain")


def rewrite_in_fixed_order(apps, schema_editor):
    Ballot = apps.get_model("awards", "Ballot")
    Delegate = apps.get_model("awards", "Delegate")
    Nomination = apps.get_model("awards", "Nomination")
    Participation = apps.get_model("awards", "BallotParticipation")
    Tally = apps.get_model("awards", "Tally")
    for ballot in Ballot.objects.order_by("pk"):
        taken = {
            p.delegate_id: (p.cast_by_id, p.paper)
            for p in Participation.objects.filter(ballot=ballot)
        }
        counts = {(t.nomination_id, t.choice): t.count for t in Tally.objects.filter(ballot=ballot)}
        Participation.objects.filter(ballot=ballot).delete()
        Tally.objects.filter(ballot=ballot).delete()
        delegates = set(
            Delegate.objects.filter(review_id=ballot.review_id).values_list("pk", flat=True)
        )
        Participation.objects.bulk_create(
            Participation(
                ballot=ballot,
                delegate_id=pk,
                voted=pk in taken,
                cast_by_id=taken.get(pk, (None, False))[0],
                paper=taken.get(pk, (None, False))[1],
            )
            for pk in sorted(delegates | set(taken))
        )
        nominations = set(
            Nomination.objects.filter(review_id=ballot.review_id).values_list("pk", flat=True)
        )
        nominations |= {n for n, _choice in counts}
        Tally.objects.bulk_create(
            Tally(ballot=ballot, nomination_id=n, choice=c, count=counts.get((n, c), 0))
            for n in sorted(nominations)
            for c in CHOICES
        )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0002_review_participants_conclusions"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballotparticipation",
            name="voted",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(rewrite_in_fixed_order, migrations.RunPython.noop),
    ]
