"""The answer of `POST /api/intake/extract/`, declared field by field so the OpenAPI schema
(drf-spectacular) is the answer's shape."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ExtractTextRequestSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The text of the report (UTF-8, at most 2 MB).")


class ExtractFileRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A .docx, .txt (UTF-8) or .pdf with a text layer.")


class ItemSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The words as written: text[start:end].")
    start = serializers.IntegerField(help_text="Offset of the first character (0-based).")
    end = serializers.IntegerField(help_text="Offset after the last character.")


class PeriodSerializer(ItemSerializer):
    kind = serializers.ChoiceField(
        choices=["year", "quarter", "half", "nine_months", "month", "term"]
    )
    year = serializers.IntegerField(allow_null=True)
    number = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    comparison = serializers.BooleanField(help_text="Named as the comparison (cùng kỳ).")


class DateSerializer(ItemSerializer):
    value = serializers.DateField()
    year_from_context = serializers.BooleanField()


class FigureSerializer(ItemSerializer):
    value = serializers.FloatField(help_text="8.651 is 8651; 6.061 tỷ đồng is 6061000000000.")
    unit = serializers.CharField(help_text="The counted noun, 'đồng', 'USD' or '%'.")
    counts = serializers.CharField(help_text="What the figure counts, as written.")


class RatioSerializer(ItemSerializer):
    part = serializers.FloatField()
    total = serializers.FloatField()
    unit = serializers.CharField(allow_blank=True)
    computed_percent = serializers.FloatField(allow_null=True)
    stated_percent = serializers.FloatField(allow_null=True)
    stated_text = serializers.CharField(allow_null=True)
    stated_start = serializers.IntegerField(allow_null=True)
    stated_end = serializers.IntegerField(allow_null=True)


class ChangeSerializer(ItemSerializer):
    direction = serializers.ChoiceField(choices=["increase", "decrease"])
    value = serializers.FloatField()
    unit = serializers.CharField(allow_blank=True)
    compared_to = serializers.CharField(
        allow_null=True, help_text="same_period_last_year, previous_period or a year."
    )


class DocumentRefSerializer(ItemSerializer):
    code = serializers.CharField(help_text="Number and symbol as the registry's parser writes it.")
    doc_type = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    registry_id = serializers.IntegerField(allow_null=True)
    registry_date = serializers.DateField(allow_null=True)


class OrganisationSerializer(ItemSerializer):
    name = serializers.CharField()


class PersonSerializer(ItemSerializer):
    name = serializers.CharField()
    titles = serializers.ListField(child=serializers.CharField())


class TaskSerializer(ItemSerializer):
    number = serializers.IntegerField()
    marker = serializers.CharField()


class WarningSerializer(ItemSerializer):
    kind = serializers.ChoiceField(
        choices=["ratio_percent", "total_mismatch", "document_dates", "registry_date"]
    )
    message = serializers.CharField()
    quotes = serializers.ListField(child=serializers.CharField())
    offsets = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)
    )


class ExtractionSerializer(serializers.Serializer):
    length = serializers.IntegerField(help_text="Characters of `text`.")
    text = serializers.CharField(help_text="The text read (Unicode NFC); offsets point into it.")
    period = PeriodSerializer(allow_null=True)
    periods = PeriodSerializer(many=True)
    dates = DateSerializer(many=True)
    figures = FigureSerializer(many=True)
    ratios = RatioSerializer(many=True)
    changes = ChangeSerializer(many=True)
    documents = DocumentRefSerializer(many=True)
    organisations = OrganisationSerializer(many=True)
    people = PersonSerializer(many=True)
    tasks = TaskSerializer(many=True)
    warnings = WarningSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


def render(data: dict[str, Any]) -> dict[str, Any]:
    return dict(ExtractionSerializer(data).data)
