"""The change history tab and the audit log read as words, not as database names.

A case is created and edited through its pages (the real forms, services and audit writer); the
history tab, the audit log and an audit entry page must then show field labels, choice labels,
related records by name, Có/Không and d/m/yyyy dates, and none of the stored names."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noichinh.cases.models import Case
from noichinh.cases.resources import CaseResource
from noichinh.core.models import AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user

# What the database stores and a user must never read on these pages.
RAW = [
    "conduct",
    "public_concern",
    "unit_id",
    "detected_on",
    "corruption",
    "negative",
    "True",
    "False",
    "∅",
    "cases.case",
    "units.unit",
    "accounts.user",
    "2023-03-15",
    "audit_verify",
    "manage.py",
]


def visible_text(html: str) -> str:
    """The page's text a reader sees (no tags, attributes, scripts or option values)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def form(unit: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "unit": unit.pk,
        "title": "Vi phạm trong đấu thầu thuốc",
        "kind": "criminal_case",
        "conduct": "corruption",
        "field": "health",
        "detected_on": "15/3/2023",
        "detection": "self",
        "monitoring": "3",
        "confidentiality": "normal",
    }
    data.update(changes)
    return data


@pytest.fixture
def edited_case(db: None) -> tuple[Client, Case, dict[str, Any]]:
    tree = build_tree()
    user = make_user("lich.su", tree["prov_a"], list(Role.values))
    client = Client()
    client.force_login(user)
    add = reverse(CaseResource.url_name("add"))
    assert client.post(add, form(tree["prov_a"])).status_code == 302
    case = Case.objects.latest("id")
    edit = reverse(CaseResource.url_name("edit"), args=[case.pk])
    response = client.post(
        edit,
        form(
            tree["dept_a"],
            conduct="negative",
            public_concern="on",
            detected_on="5/4/2023",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.conduct == "negative" and case.public_concern and case.unit == tree["dept_a"]
    return client, case, tree


def assert_no_raw(text: str) -> None:
    found = [raw for raw in RAW if re.search(rf"(?<![\w.]){re.escape(raw)}(?![\w.])", text)]
    assert not found, f"raw names on the page: {found}"


def test_history_tab_shows_labels_choice_names_and_related_records(edited_case: Any) -> None:
    client, case, tree = edited_case
    url = reverse(CaseResource.url_name("detail"), args=[case.pk])
    response = client.get(url, {"tab": "history"})
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    # The edit: conduct corruption -> negative, public concern off -> on, unit A -> its department.
    assert "Tính chất" in text and "Tham nhũng" in text and "Tiêu cực" in text
    assert "quan tâm" in text and "Không" in text and "Có" in text
    assert "Đơn vị" in text and tree["prov_a"].name in text and tree["dept_a"].name in text
    assert "15/3/2023" in text and "5/4/2023" in text
    assert "Lich.Su" in text  # the user by name
    assert_no_raw(text)


def test_audit_log_and_entry_show_model_names_and_no_command(edited_case: Any) -> None:
    client, _case, tree = edited_case
    log = client.get(reverse("core:audit_log"))
    assert log.status_code == 200
    text = visible_text(log.content.decode())
    assert "Vụ án, vụ việc" in text or "Vụ án hoặc vụ việc" in text
    assert "Lich.Su" in text
    assert_no_raw(text)
    entry = AuditEntry.objects.filter(object_type="cases.case", action="update").latest("id")
    page = client.get(reverse("core:audit_entry", args=[entry.pk]))
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Tiêu cực" in text and tree["dept_a"].name in text
    assert_no_raw(text)


def test_related_names_are_read_in_one_query_per_model(
    edited_case: Any, django_assert_max_num_queries: Any
) -> None:
    """Many entries naming units cost one query for the units, not one per entry."""
    from noichinh.core.display import history_rows

    _client, _case, tree = edited_case
    entries = list(AuditEntry.objects.filter(object_type="units.unit")) + list(
        AuditEntry.objects.filter(object_type="cases.case")
    )
    assert len(entries) >= 5
    with django_assert_max_num_queries(8):
        rows = history_rows(entries)
    assert any(c.after == tree["root"].name for r in rows for c in r.changes)


def test_reverse_relations_and_catalogue_keys_read_as_words() -> None:
    """A submission's recorded "values" and a criterion's measure ("cases.corruption") were the
    two raw names the all-accounts crawl still found."""
    from django.utils import translation

    from noichinh.campaigns.models import Criterion
    from noichinh.core.counts import get_count
    from noichinh.core.display import change_label, change_value
    from noichinh.reports.models import Submission

    with translation.override("vi"):
        assert change_label(Submission, "values") == "Số liệu"
        measure = Criterion._meta.get_field("measure")
        shown = change_value(measure, "measure", "cases.corruption")
        assert shown == str(get_count("cases.corruption").label)
        assert "cases." not in shown
        # an ordinary value with a dot is left as it is
        assert change_value(measure, "measure", "v1.2") == "v1.2"
