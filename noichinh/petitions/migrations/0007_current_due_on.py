"""The stored current deadline of a petition (kept by petitions.aggregates on every write),
indexed with the unit for the overdue and due-soon filters; filled here for existing rows."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Petition = apps.get_model("petitions", "Petition")
    Petition.objects.update(
        current_due_on=models.Case(
            models.When(status="received", then=models.F("classify_due_on")),
            models.When(
                status="accepted", paused_since__isnull=True, then=models.F("resolve_due_on")
            ),
            default=None,
            output_field=models.DateField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0006_version"),
        ("units", "0003_cluster_membership"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="current_due_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="current deadline"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["unit", "current_due_on"], name="petition_current_due"),
        ),
    ]
