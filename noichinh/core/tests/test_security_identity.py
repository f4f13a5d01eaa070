"""The audit log never shows a record its reader may not open (issue 16: a unit administrator
read a confidential case in full there: title, summary, department, dates). The entry stays,
with its action and time; everything else reads "Hồ sơ mật"."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from noichinh.cases.models import Case
from noichinh.core.models import AuditEntry
from noichinh.core.scoping import can_on

pytestmark = pytest.mark.django_db

TITLE = "Vụ việc có dấu hiệu tham nhũng trong cơ quan bảo vệ pháp luật cấp huyện"
SUMMARY = "Hồ sơ mật: chỉ lãnh đạo ban được xem."


def _client(username: str) -> tuple[Client, object]:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    return client, user


def test_a_unit_administrator_reads_only_action_and_time(demo) -> None:
    case = Case.objects.get(title=TITLE)
    client, user = _client("quantri.nghean")
    assert not can_on(user, "view", case)
    entries = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert entries.exists()
    log = client.get(reverse("core:audit_log"), {"type": "cases.case"})
    assert log.status_code == 200
    body = log.content.decode()
    assert TITLE not in body and SUMMARY not in body
    listed = {e.pk: e for e in log.context["page"].object_list}
    shown = [listed[e.pk] for e in entries if e.pk in listed]
    assert shown, "the entries stay in the log"
    assert all(getattr(e, "redacted", False) for e in shown)
    assert "Hồ sơ mật" in body
    department = case.department
    for entry in entries:
        page = client.get(reverse("core:audit_entry", args=[entry.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert TITLE not in text and SUMMARY not in text
        assert str(case.detected_on.year) + "-" not in text  # no date from the changes
        assert "Hồ sơ mật" in text
        assert page.context["entry"].changes == {}
        if department is not None:
            assert department.name not in text
    # Entries of ordinary cases of the unit are shown in full.
    ordinary = (
        AuditEntry.objects.filter(object_type="cases.case", unit_path__startswith=case.unit.path)
        .exclude(object_id=str(case.pk))
        .first()
    )
    assert ordinary is not None
    page = client.get(reverse("core:audit_entry", args=[ordinary.pk]))
    assert page.context["entry"].object_repr == ordinary.object_repr
    assert not getattr(page.context["entry"], "redacted", False)


def test_a_head_who_may_open_it_reads_it(demo) -> None:
    case = Case.objects.get(title=TITLE)
    client, user = _client("admin")
    assert can_on(user, "view", case)
    entry = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).first()
    page = client.get(reverse("core:audit_entry", args=[entry.pk]))
    assert TITLE in page.content.decode()


def test_every_catalogue_count_for_a_reader_equals_its_list(demo) -> None:
    """The one source of the home page's, the reports' and the campaigns' figures: read with a
    user it follows the gate (a confidential case is not counted for a specialist), and the
    list it links to has exactly as many rows; `count_hidden` gives what a system figure adds."""
    import datetime as dt

    from noichinh.core.counts import all_counts, count_hidden, count_value, records_url
    from noichinh.units.models import Unit

    client, user = _client("nghean")
    unit = Unit.objects.get(code="NA-BNCTU")
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    hidden_total = 0
    for count in all_counts():
        seen = count_value(count.key, unit=unit, start=start, end=end, user=user)
        url = records_url(count.key, unit=unit, start=start, end=end)
        if url:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.context["page"].paginator.count == seen, count.key
        official = count_value(count.key, unit=unit, start=start, end=end)
        hidden = count_hidden(count.key, user=user, unit=unit, start=start, end=end)
        assert official - hidden == seen, count.key
        hidden_total += hidden
    assert hidden_total >= 1  # the confidential case of 2025 is in the system figures only
