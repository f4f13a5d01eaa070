"""The leaders' questions, the verbs through pages and API, and confidentiality, through the
real stack (database, HTTP client)."""

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from noichinh.cases import selectors
from noichinh.cases.models import Case, CaseEvent, CaseSuspension, SecurityIssue, StallRule
from noichinh.cases.rules import forget_rules
from noichinh.cases.tests.test_resources import case_for
from noichinh.core.counts import count_value, records_url
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user

D = dt.date


@pytest.fixture
def tree(db):
    forget_rules()
    yield build_tree()
    forget_rules()


@pytest.fixture
def specialist(tree):
    return make_user("cv.a", tree["prov_a"], [Role.SPECIALIST])


@pytest.fixture
def head(tree):
    return make_user("lanhdao.a", tree["prov_a"], [Role.HEAD])


def _event(client, case, **data) -> Any:
    payload = {"occurred_on": "1/3/2024", "stage": "investigation", **data}
    return client.post(reverse("cases:case_event", args=[case.pk]), payload)


# -- stalled ---------------------------------------------------------------------------------


def test_stalled_cases_by_the_default_and_by_a_unit_rule(tree, specialist) -> None:
    today = timezone.localdate()
    idle = case_for(
        tree["prov_a"], "Lâu không có diễn biến", detected_on=today - dt.timedelta(days=400)
    )
    recent = case_for(
        tree["dept_a"], "Mới có diễn biến", detected_on=today - dt.timedelta(days=100)
    )
    CaseEvent.objects.create(
        unit=recent.unit,
        case=recent,
        occurred_on=today - dt.timedelta(days=50),
        stage="investigation",
    )
    from noichinh.cases.services import case_refresh

    case_refresh(idle)
    case_refresh(recent)
    stalled = set(selectors.case_list_stalled(user=specialist, on=today))
    assert stalled == {idle}  # investigation default: 120 days without an event
    # Province A is stricter for investigations in its subtree: 30 days.
    StallRule.objects.create(
        unit=tree["prov_a"], stage="investigation", no_event_days=30, suspended_days=60
    )
    forget_rules()
    assert set(selectors.case_list_stalled(user=specialist, on=today)) == {idle, recent}
    assert "50" in Case.objects.get(pk=recent.pk).stall_text()


def test_a_long_suspension_is_stalled_and_says_why(tree, specialist, client) -> None:
    case = case_for(tree["prov_a"], "Chờ giám định", detected_on=D(2023, 1, 5))
    client.force_login(specialist)
    response = client.post(
        reverse("cases:case_suspend", args=[case.pk]),
        {"reason": "assessment", "started_on": "1/2/2023"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.suspended_since == D(2023, 2, 1)
    verdict = case.stall(D(2023, 9, 1))  # 212 days > 180 (investigation default)
    assert verdict.stalled and verdict.suspended and verdict.days == 212
    assert "giám định" in case.stall_text() or "assessment" in case.stall_text().lower()
    assert case in selectors.case_list_stalled(user=specialist, on=D(2023, 9, 1))
    assert case not in selectors.case_list_stalled(user=specialist, on=D(2023, 3, 1))
    # resumed: no longer suspended; a second resume is refused on the page with a reason
    response = client.post(reverse("cases:case_resume", args=[case.pk]), {"ended_on": "1/10/2023"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.suspended_since is None
    assert CaseSuspension.objects.get(case=case).days(D(2024, 1, 1)) == 242
    response = client.post(reverse("cases:case_resume", args=[case.pk]), {"ended_on": "2/10/2023"})
    assert response.status_code == 400


def test_suspension_durations_across_dates_on_the_case_page(tree, specialist, client) -> None:
    case = case_for(tree["prov_a"], "Hai lần tạm đình chỉ", detected_on=D(2023, 1, 1))
    CaseSuspension.objects.create(
        unit=case.unit,
        case=case,
        reason="valuation",
        started_on=D(2023, 12, 1),
        ended_on=D(2024, 1, 31),
    )
    CaseSuspension.objects.create(
        unit=case.unit,
        case=case,
        reason="guidance",
        started_on=D(2024, 3, 1),
        ended_on=D(2024, 3, 11),
    )
    client.force_login(specialist)
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.context["suspended_total"] == 71  # 61 across the year end + 10


# -- self-detected, monitored, totals ------------------------------------------------------


def test_self_detected_counts_within_the_window_and_the_subtree(tree, specialist) -> None:
    a, b = tree["prov_a"], tree["prov_b"]
    case_for(a, "Tự phát hiện 1", detected_on=D(2022, 1, 10), detection="self")
    case_for(tree["dept_a"], "Tự phát hiện 2", detected_on=D(2023, 9, 30), detection="self")
    case_for(a, "Sau mốc", detected_on=D(2023, 11, 1), detection="self")
    case_for(a, "Qua báo chí", detected_on=D(2022, 5, 1), detection="press")
    case_for(a, "Tiêu cực", detected_on=D(2022, 5, 1), detection="self", conduct="negative")
    case_for(b, "Tỉnh khác", detected_on=D(2022, 5, 1), detection="self")
    window = {"start": D(2021, 6, 1), "end": D(2023, 10, 31)}
    assert count_value("cases.self_detected", unit=a, **window) == 2
    assert count_value("cases.corruption", unit=a, **window) == 3
    assert selectors.case_list_self_detected(user=specialist, **window).count() == 2
    # The number links to exactly these records in the list.
    url = records_url("cases.self_detected", unit=a, **window)
    from django.test import Client

    client = Client()
    client.force_login(specialist)
    response = client.get(url)
    assert response.context["total"] == 2


def test_monitored_by_the_central_steering_committee(tree, specialist) -> None:
    case_for(tree["prov_a"], "BCĐ TW theo dõi", monitoring="1")
    case_for(tree["prov_a"], "BCĐ tỉnh theo dõi", monitoring="3")
    titles = [c.title for c in selectors.case_list_centrally_monitored(user=specialist)]
    assert titles == ["BCĐ TW theo dõi"]


def test_totals_by_stage_field_and_unit_for_a_period(tree, specialist) -> None:
    root = tree["root"]
    one = case_for(tree["prov_a"], "A1", field="land", detected_on=D(2024, 2, 1))
    case_for(tree["dept_a"], "A2", field="health", detected_on=D(2024, 5, 1), detection="press")
    case_for(tree["prov_b"], "B1", field="land", detected_on=D(2024, 6, 1))
    case_for(tree["prov_b"], "B-old", field="land", detected_on=D(2022, 6, 1))
    CaseEvent.objects.create(
        unit=one.unit,
        case=one,
        occurred_on=D(2024, 3, 1),
        stage="prosecution",
        people_prosecuted=3,
        damage_amount=5_000_000_000,
    )
    from noichinh.cases.services import case_refresh

    case_refresh(one)
    admin = make_user("tw.head", root, [Role.HEAD])
    period = {"start": D(2024, 1, 1), "end": D(2024, 12, 31)}
    rows, total = selectors.case_totals(user=admin, unit=root, by="unit", **period)
    by_unit = {r.label: (r.cases, r.self_detected) for r in rows}
    assert by_unit == {str(tree["prov_a"]): (2, 1), str(tree["prov_b"]): (1, 1)}
    assert (total.cases, total.people, total.damage) == (3, 3, 5_000_000_000)
    rows, _ = selectors.case_totals(user=admin, unit=root, by="field", **period)
    assert {r.key: r.cases for r in rows} == {"land": 2, "health": 1}
    rows, _ = selectors.case_totals(user=admin, unit=root, by="stage", **period)
    assert {r.key: r.cases for r in rows} == {"prosecution": 1, "registered": 2}
    # a province sees only its subtree
    rows, total = selectors.case_totals(user=specialist, unit=tree["prov_a"], by="unit", **period)
    assert total.cases == 2


def test_the_dashboard_shows_figures_that_link_to_the_list(tree, head, client) -> None:
    case_for(tree["prov_a"], "Vụ trên bảng tổng hợp", detected_on=D(2024, 2, 1))
    client.force_login(head)
    response = client.get(reverse("cases:dashboard"), {"start": "1/1/2024", "end": "31/12/2024"})
    assert response.status_code == 200
    assert response.context["total"].cases == 1
    assert "detected_after=01/01/2024" in response.content.decode()
    response = client.get(reverse("cases:dashboard"), {"start": "1/1/2025", "end": "1/1/2024"})
    assert response.status_code == 200 and response.context["form"].errors


# -- verbs -----------------------------------------------------------------------------------


def test_the_timeline_moves_the_case_and_keeps_latest_figures(tree, specialist, client) -> None:
    case = case_for(tree["prov_a"], "Diễn biến", detected_on=D(2023, 1, 1))
    client.force_login(specialist)
    assert _event(client, case, occurred_on="1/3/2023", stage="investigation").status_code == 302
    assert (
        _event(
            client,
            case,
            occurred_on="1/9/2023",
            stage="prosecution",
            people_prosecuted="5",
            damage_amount="8000000000",
        ).status_code
        == 302
    )
    assert (
        _event(
            client, case, occurred_on="1/3/2024", stage="enforcement", recovered_amount="2000000000"
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert (case.stage, case.people_prosecuted, case.damage_amount, case.recovered_amount) == (
        "enforcement",
        5,
        8_000_000_000,
        2_000_000_000,
    )
    assert AuditEntry.objects.filter(object_type="cases.caseevent", action="create").count() == 3
    # an event before the detection is refused on the page, with what was typed kept
    response = _event(client, case, occurred_on="1/1/2022", description="Nhập sai ngày")
    assert response.status_code == 400
    assert "Nhập sai ngày" in response.content.decode()
    # closing; a closed case takes no further stage
    assert _event(client, case, occurred_on="1/6/2024", stage="closed").status_code == 302
    case.refresh_from_db()
    assert case.closed and case.closed_on == D(2024, 6, 1)
    assert _event(client, case, occurred_on="2/6/2024", stage="appeal").status_code == 400
    # a case that ended reads "Đã kết thúc" on its page and in the list, never the word for a
    # dissolved unit
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    listing = client.get(reverse("cases:case_list") + "?q=Diễn biến").content.decode()
    for html in (page, listing):
        assert "Đã kết thúc" in html
        assert "Đã giải thể" not in html


def test_split_off_a_second_phase(tree, specialist, client) -> None:
    case = case_for(tree["prov_a"], "Vụ gốc", detected_on=D(2022, 1, 1))
    client.force_login(specialist)
    response = client.post(
        reverse("cases:case_split", args=[case.pk]), {"title": "Vụ gốc", "detected_on": "1/6/2023"}
    )
    assert response.status_code == 302
    part = Case.objects.get(origin=case)
    assert part.phase == 2 and str(part).endswith("2)")
    second = client.post(
        reverse("cases:case_split", args=[part.pk]), {"title": "Vụ gốc", "detected_on": "1/6/2024"}
    )
    assert second.status_code == 302
    assert sorted(Case.objects.filter(origin=case).values_list("phase", flat=True)) == [2, 3]
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert len(page.context["phases"]) == 2


def test_the_api_records_events_suspends_and_refuses_with_reasons(tree, specialist, client) -> None:
    case = case_for(tree["prov_a"], "Qua API", detected_on=D(2023, 1, 1))
    other = case_for(tree["prov_b"], "Tỉnh khác")
    client.force_login(specialist)
    base = f"/api/cases/{case.pk}/"
    response = client.post(
        base + "events/",
        {"occurred_on": "2023-05-01", "stage": "investigation"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert client.get(base + "events/").json()[0]["stage"] == "investigation"
    response = client.post(
        base + "suspensions/",
        {"reason": "valuation", "started_on": "2023-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        base + "suspensions/",
        {"reason": "valuation", "started_on": "2023-07-01"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content  # already suspended
    assert (
        "đang tạm đình chỉ" in response.content.decode().lower()
        or "already" in response.content.decode()
    )
    response = client.post(
        base + "resume/", {"ended_on": "2023-05-01"}, content_type="application/json"
    )
    assert response.status_code == 400 and "ended_on" in response.json()
    response = client.post(
        base + "events/",
        {"occurred_on": "not a date", "stage": "nowhere"},
        content_type="application/json",
    )
    assert response.status_code == 400 and {"occurred_on", "stage"} <= set(response.json())
    response = client.post(
        f"/api/cases/{other.pk}/events/",
        {"occurred_on": "2023-05-01", "stage": "investigation"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get("/api/cases/?stage=investigation").json()["count"] == 1


# -- confidentiality -------------------------------------------------------------------------


@pytest.fixture
def secret(tree):
    case = case_for(tree["prov_a"], "Hồ sơ mật về cán bộ X", confidentiality="confidential")
    CaseEvent.objects.create(
        unit=case.unit,
        case=case,
        occurred_on=D(2022, 5, 1),
        stage="inspection",
        description="Diễn biến mật",
    )
    return case


def test_a_confidential_case_is_seen_by_heads_only(tree, specialist, head, secret, client) -> None:
    client.force_login(specialist)
    assert client.get(reverse("cases:case_detail", args=[secret.pk])).status_code == 404
    page = client.get(reverse("cases:case_list"), {"q": "ho so mat"})
    assert page.context["total"] == 0 and "Hồ sơ mật" not in page.content.decode()
    assert client.get(f"/api/cases/{secret.pk}/").status_code == 404
    assert client.get("/api/cases/").json()["count"] == 0
    assert client.get("/api/case-events/").json()["count"] == 0
    events = client.get(reverse("cases:caseevent_list"))
    assert "Diễn biến mật" not in events.content.decode()
    export = client.get(reverse("cases:case_export"))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert not any("Hồ sơ mật" in str(cell) for row in rows for cell in row)
    assert selectors.case_list_self_detected(user=specialist).count() == 0
    # ...and cannot make a case confidential and keep working on it
    mine = case_for(tree["prov_a"], "Hồ sơ thường")
    data = {
        "unit": mine.unit_id,
        "title": mine.title,
        "kind": mine.kind,
        "conduct": "corruption",
        "field": "land",
        "detected_on": "1/3/2022",
        "detection": "self",
        "confidentiality": "confidential",
    }
    response = client.post(reverse("cases:case_edit", args=[mine.pk]), data)
    mine.refresh_from_db()
    assert mine.confidentiality == "normal" and response.status_code in (200, 403)
    client.force_login(head)
    assert client.get(reverse("cases:case_detail", args=[secret.pk])).status_code == 200
    assert client.get("/api/case-events/").json()["count"] == 1
    assert client.get(reverse("cases:case_list"), {"q": "ho so mat"}).context["total"] == 1


# -- import ----------------------------------------------------------------------------------


def test_import_is_all_or_nothing_with_row_and_column_errors(tree, specialist, client) -> None:
    from noichinh.cases.resources import SecurityIssueResource

    client.force_login(specialist)
    template = client.get(reverse("cases:securityissue_import") + "?template=1")
    workbook = Workbook()
    sheet = workbook.active
    header = list(SecurityIssueResource.import_fields)
    sheet.append(header)
    good = {
        "unit": "T-A",
        "title": "Tập trung đông người",
        "kind": "gathering",
        "location": "Xã A",
        "people_count": 50,
        "started_on": "01/03/2024",
        "advised_on": "05/03/2024",
        "status": "ongoing",
    }
    bad = {**good, "title": "Dòng lỗi", "advised_on": "01/02/2024", "kind": "Không có loại này"}
    for row in (good, bad):
        sheet.append([row.get(name, "") for name in header])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "an-ninh.xlsx"
    response = client.post(reverse("cases:securityissue_import"), {"file": upload})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert {e.row for e in errors} == {3}, errors
    assert len(errors) == 2  # the kind and the advice date, each named by its column
    assert SecurityIssue.objects.count() == 0
    assert template.status_code in (200, 302)


# -- demo ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_matches_the_cluster_midterm_results_and_is_idempotent() -> None:
    from django.core.management import call_command

    from noichinh.core.counts import count_queryset
    from noichinh.units.models import Cluster

    load_demo()
    entries = AuditEntry.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert AuditEntry.objects.count() == entries
    members = list(Cluster.objects.get(code="CUM-III").members.all())

    def union(key: str, end: dt.date) -> int:
        ids: set[int] = set()
        for unit in members:
            ids |= set(
                # on the tree of the cut-off: Đắk Nông's open cases were handed over in 2025
                # to Lâm Đồng, outside the cluster, and still count for Đắk Nông in 2023
                count_queryset(
                    key, unit=unit, start=D(2021, 5, 25), end=end, as_of=end
                ).values_list("pk", flat=True)
            )
        return len(ids)

    assert union("cases.corruption", D(2023, 10, 31)) == 45
    assert union("security.advised", D(2023, 10, 31)) == 39
    # Summed per committee on the tree as it was at the cut-off (Quảng Bình was not yet under
    # Quảng Trị): the same totals, where today's tree would count Quảng Bình twice.
    cut = D(2023, 10, 31)
    per_member = [
        count_value("cases.corruption", unit=u, start=D(2021, 5, 25), end=cut, as_of=cut)
        for u in members
    ]
    assert sum(per_member) == 45
    today_tree = [
        count_value("cases.corruption", unit=u, start=D(2021, 5, 25), end=cut) for u in members
    ]
    assert sum(today_tree) > 45
    from noichinh.units.models import Unit

    na = Unit.objects.get(code="NA-BNCTU")
    midterm = {"start": D(2021, 5, 25), "end": D(2023, 10, 31)}
    assert count_value("cases.self_detected", unit=na, **midterm) == 4
    per_department = [
        count_value("cases.public_concern_by_department", unit=Unit.objects.get(code=c), **midterm)
        for c in ("NA-P1", "NA-P2", "NA-P3")
    ]
    assert per_department == [2, 3, 2]
    assert Case.objects.filter(monitoring="1", title__contains="Việt Á").exists()
    assert Case.objects.filter(origin__isnull=False, title__contains="Vạn Thịnh Phát").exists()
    assert CaseSuspension.objects.filter(reason="assessment", ended_on__isnull=True).exists()
