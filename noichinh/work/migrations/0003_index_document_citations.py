"""Index the dated citations ("01-HD/BNCTU ngày 9/5/2023") already written in meetings,
conclusions, key tasks, projects and document summaries, so the registry can flag issue dates
that differ (new writes index themselves, see documents.services.citations_sync). Reversible:
going back removes the index."""

from django.db import migrations

from noichinh.documents.codes import find_cited

TEXTS = {
    ("work", "Meeting"): ("title", "agenda", "results", "limitations"),
    ("work", "Conclusion"): ("text",),
    ("work", "Task"): ("title", "description"),
    ("work", "Project"): ("title", "description"),
    ("documents", "Document"): ("summary",),
}


def _above(path: str) -> list[str]:
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[:i]) + "." for i in range(1, len(parts) + 1)]


def index(apps, schema_editor):
    Citation = apps.get_model("documents", "Citation")
    Document = apps.get_model("documents", "Document")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = list(apps.get_model("documents", "DocumentType").objects.values_list("code", flat=True))
    issuers = list(apps.get_model("documents", "Issuer").objects.values_list("code", flat=True))
    for (app_label, name), fields in TEXTS.items():
        model = apps.get_model(app_label, name)
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=name.lower()
        )
        for record in model.objects.select_related("unit").iterator():
            text = "\n".join(getattr(record, f) or "" for f in fields)
            for cited in find_cited(text, types=types, issuers=issuers):
                document = (
                    Document.objects.filter(code=cited.code, unit__path__in=_above(record.unit.path))
                    .order_by("-unit__depth", "-issue_date", "-id")
                    .first()
                )
                if document is None:
                    continue
                Citation.objects.get_or_create(
                    content_type=content_type,
                    object_id=record.pk,
                    document=document,
                    cited_date=cited.day,
                    defaults={"unit_id": record.unit_id, "excerpt": cited.excerpt[:200]},
                )


def unindex(apps, schema_editor):
    apps.get_model("documents", "Citation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_citation_dates"),
        ("work", "0002_meeting_results_limitations"),
    ]

    operations = [migrations.RunPython(index, unindex)]
