"""Dated cluster membership: the members of `Cluster.members` become `ClusterMembership` rows
with dates, and a cluster chooses how a member merged into a unit outside it counts.

Existing members get `valid_from` = the unit's own `valid_from` (a member cannot have joined
before it existed). The cluster's record creation date is not used: it is the day the cluster
was typed into the system, and would leave every past review's table without members.
Reversible: going back copies each (cluster, unit) pair into the plain many-to-many table."""

import django.db.models.deletion
from django.db import migrations, models


def to_memberships(apps, schema_editor):
    Cluster = apps.get_model("units", "Cluster")
    Membership = apps.get_model("units", "ClusterMembership")
    through = Cluster.members.through
    Membership.objects.bulk_create(
        Membership(cluster_id=row.cluster_id, unit_id=row.unit_id, valid_from=row.unit.valid_from)
        for row in through.objects.select_related("unit").order_by("id")
    )


def to_plain_members(apps, schema_editor):
    Cluster = apps.get_model("units", "Cluster")
    Membership = apps.get_model("units", "ClusterMembership")
    through = Cluster.members.through
    pairs = sorted(set(Membership.objects.values_list("cluster_id", "unit_id")))
    through.objects.bulk_create(
        through(cluster_id=cluster_id, unit_id=unit_id) for cluster_id, unit_id in pairs
    )


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_successor_label"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClusterMembership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "valid_from",
                    models.DateField(
                        blank=True,
                        help_text="Empty: since the unit existed.",
                        null=True,
                        verbose_name="member from",
                    ),
                ),
                (
                    "valid_to",
                    models.DateField(blank=True, null=True, verbose_name="member until"),
                ),
                (
                    "cluster",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="units.cluster",
                        verbose_name="cluster",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cluster_memberships",
                        to="units.unit",
                        verbose_name="member unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "cluster membership",
                "verbose_name_plural": "cluster memberships",
                "ordering": ["cluster", "unit__code", "valid_from"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_to__isnull", True),
                            ("valid_from__isnull", True),
                            ("valid_to__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="cluster_membership_valid_range",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="cluster",
            name="merged_outside_rule",
            field=models.CharField(
                choices=[
                    (
                        "count_until_closing",
                        "Counted until its closing (its own target, its records up to its "
                        "closing date)",
                    ),
                    (
                        "exclude",
                        "Left out of the table (its target and records are not counted)",
                    ),
                ],
                default="count_until_closing",
                help_text="Chosen by the organising unit; stated under the cluster's table of "
                "every review.",
                max_length=30,
                verbose_name="a member merged into a unit outside the cluster",
            ),
        ),
        migrations.RunPython(to_memberships, to_plain_members),
        migrations.RemoveField(model_name="cluster", name="members"),
        migrations.AddField(
            model_name="cluster",
            name="members",
            field=models.ManyToManyField(
                blank=True,
                related_name="clusters",
                through="units.ClusterMembership",
                to="units.unit",
                verbose_name="member units",
            ),
        ),
    ]
