"""Polarity of the demo's indicators already in a database (a fresh demo sets it itself):
more cases detected, resolved or inspected is better; more traffic accidents, administrative
cases or files returned for more investigation is worse. Reversible: back to neutral."""

from django.db import migrations

HIGHER_BETTER = [
    "TN-PH",
    "TP-GQ",
    "TP-TLGQ",
    "KT-TC",
    "KT-DV",
    "THA-VIEC",
    "THA-TIEN",
    "TP-BADH",
]
HIGHER_WORSE = ["GT-SV", "GT-CHET", "GT-BT", "HC-VA", "TP-TDBS"]


def forwards(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code__in=HIGHER_BETTER).update(polarity="higher_better")
    Indicator.objects.filter(code__in=HIGHER_WORSE).update(polarity="higher_worse")


def backwards(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code__in=HIGHER_BETTER + HIGHER_WORSE).update(polarity="neutral")


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_indicator_polarity")]

    operations = [migrations.RunPython(forwards, backwards)]
