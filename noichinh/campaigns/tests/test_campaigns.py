"""Target cascades, approval by the level above, amendments with history, progress computed
from the registries at each review's cut-off, scoring and ranking, the cluster totals."""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from noichinh.campaigns import progress, services
from noichinh.campaigns.models import Target, TargetChange, TargetRegistration
from noichinh.campaigns.tests.test_resources import campaign_for, criterion_for, review_for
from noichinh.cases.tests.test_resources import case_for
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user
from noichinh.units.models import Cluster, Unit
from noichinh.units.services import unit_merge

D = dt.date


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def setup(tree) -> dict[str, Any]:
    campaign = campaign_for(tree["root"])
    cases = criterion_for(campaign, "1", "cases.corruption")
    dept_cases = criterion_for(campaign, "3", "cases.public_concern_by_department")
    dept_cases.level = "department"
    dept_cases.save()
    midterm = review_for(campaign, "midterm", D(2023, 10, 31))
    final = review_for(campaign, "final", D(2025, 10, 31))
    return {
        "campaign": campaign,
        "cases": cases,
        "dept_cases": dept_cases,
        "midterm": midterm,
        "final": final,
        "specialist_a": make_user("cv.a", tree["prov_a"], [Role.SPECIALIST]),
        "head_a": make_user("ld.a", tree["prov_a"], [Role.HEAD]),
        "head_root": make_user("ld.tw", tree["root"], [Role.HEAD]),
    }


def _registration(unit: Any, s: dict[str, Any], targets: list[tuple[Any, Any, int]]) -> Any:
    registration = TargetRegistration.objects.create(unit=unit, campaign=s["campaign"])
    for criterion, review, value in targets:
        Target.objects.create(
            unit=unit, registration=registration, criterion=criterion, review=review, value=value
        )
    return registration


def test_submit_then_only_the_level_above_approves(tree, setup, client) -> None:
    s = setup
    registration = TargetRegistration.objects.create(unit=tree["prov_a"], campaign=s["campaign"])
    with pytest.raises(ValidationError):
        services.registration_submit(user=s["specialist_a"], registration=registration)
    services.target_set(
        user=s["specialist_a"],
        registration=registration,
        criterion=s["cases"],
        review=None,
        value=10,
    )
    services.registration_submit(user=s["specialist_a"], registration=registration)
    # The province's own head is not the level above.
    with pytest.raises(PermissionDenied):
        services.registration_approve(user=s["head_a"], registration=registration)
    client.force_login(s["head_root"])
    response = client.post(
        reverse("campaigns:registration_return", args=[registration.pk]), {"reason": ""}
    )
    assert response.status_code == 400  # a return needs its reason; nothing typed is lost
    response = client.post(
        reverse("campaigns:registration_return", args=[registration.pk]),
        {"reason": "Chỉ tiêu thấp"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.return_reason) == ("returned", "Chỉ tiêu thấp")
    services.target_set(
        user=s["specialist_a"],
        registration=registration,
        criterion=s["cases"],
        review=None,
        value=12,
    )
    services.registration_submit(user=s["specialist_a"], registration=registration)
    assert (
        client.post(reverse("campaigns:registration_approve", args=[registration.pk])).status_code
        == 302
    )
    registration.refresh_from_db()
    assert registration.status == "approved" and registration.decided_by == s["head_root"]
    assert (
        AuditEntry.objects.filter(
            object_type="campaigns.targetregistration", action="transition"
        ).count()
        == 4
    )


def test_an_approved_target_changes_only_with_a_reason_and_keeps_history(
    tree, setup, client
) -> None:
    s = setup
    s["campaign"].end_on = D(2099, 12, 31)  # still running: an ended one takes no amendment
    s["campaign"].save()
    registration = _registration(tree["prov_a"], s, [(s["cases"], None, 10)])
    registration.status = "approved"
    registration.save()
    with pytest.raises(ValidationError, match="lý do"):
        services.target_set(
            user=s["specialist_a"],
            registration=registration,
            criterion=s["cases"],
            review=None,
            value=11,
        )
    client.force_login(s["specialist_a"])
    url = reverse("campaigns:registration_amend", args=[registration.pk])
    response = client.post(url, {"criterion": s["cases"].pk, "value": "8", "reason": ""})
    assert response.status_code == 400
    response = client.post(
        url, {"criterion": s["cases"].pk, "value": "8", "reason": "Sắp xếp tổ chức bộ máy"}
    )
    assert response.status_code == 302
    change = TargetChange.objects.get()
    assert (change.old_value, change.new_value, change.reason) == (10, 8, "Sắp xếp tổ chức bộ máy")
    assert Target.objects.get().value == 8
    page = client.get(reverse("campaigns:targetregistration_detail", args=[registration.pk]))
    assert "Sắp xếp tổ chức bộ máy" in page.content.decode()


def test_an_ended_campaign_offers_no_amendment_and_refuses_one(tree, setup, client) -> None:
    s = setup
    s["campaign"].end_on = D(2025, 12, 31)
    s["campaign"].save()
    registration = _registration(tree["prov_a"], s, [(s["cases"], None, 10)])
    registration.status = "approved"
    registration.save()
    client.force_login(s["specialist_a"])
    detail = reverse("campaigns:targetregistration_detail", args=[registration.pk])
    amend = reverse("campaigns:registration_amend", args=[registration.pk])
    response = client.get(detail, {"do": "amend"})
    assert "amend" not in {a.key for a in response.context["record_actions"]}
    assert amend not in response.content.decode()
    response = client.post(amend, {"criterion": s["cases"].pk, "value": "8", "reason": "Lý do"})
    assert response.status_code == 400
    assert "đã kết thúc" in " ".join(response.context["amend_form"].non_field_errors())
    assert Target.objects.get().value == 10 and not TargetChange.objects.exists()
    # The same registration while the campaign runs: offered.
    s["campaign"].end_on = D(2099, 12, 31)
    s["campaign"].save()
    response = client.get(detail, {"do": "amend"})
    assert "amend" in {a.key for a in response.context["record_actions"]}
    assert amend in response.content.decode()


def test_a_committee_asks_its_departments_to_register(tree, setup, client) -> None:
    s = setup
    registration = _registration(tree["prov_a"], s, [(s["cases"], None, 10)])
    client.force_login(s["specialist_a"])
    form = f"c{s['dept_cases'].pk}_r"
    response = client.post(
        reverse("campaigns:registration_request", args=[registration.pk]),
        {f"{form}0": "3", f"{form}{s['midterm'].pk}": "2"},
    )
    assert response.status_code == 302
    child = TargetRegistration.objects.get(unit=tree["dept_a"])
    assert child.status == "draft"
    assert sorted(child.targets.values_list("value", flat=True)) == [2, 3]
    # asking again leaves the department's registration as it is
    client.post(
        reverse("campaigns:registration_request", args=[registration.pk]), {f"{form}0": "5"}
    )
    assert TargetRegistration.objects.filter(unit=tree["dept_a"]).count() == 1


def test_progress_counts_records_up_to_the_cut_off_only(tree, setup) -> None:
    s = setup
    a = tree["prov_a"]
    for day in (D(2022, 1, 5), D(2023, 10, 31)):
        case_for(a, f"Vụ {day}", detected_on=day)
    case_for(a, "Sau mốc sơ kết", detected_on=D(2023, 11, 1))
    case_for(a, "Trước phong trào", detected_on=D(2021, 1, 1))
    registration = _registration(a, s, [(s["cases"], None, 5), (s["cases"], s["midterm"], 2)])
    on = D(2024, 6, 1)
    (midterm,) = progress.registration_progress(registration, s["midterm"], on=on)
    assert (midterm.actual, midterm.target, midterm.percent, midterm.state) == (
        2,
        2,
        Decimal(100),
        "on_track",
    )
    (final,) = progress.registration_progress(registration, s["final"], on=on)
    # the final review has no target of its own: the whole period's; still to come, pro rata
    assert (final.actual, final.target) == (3, 5)
    assert final.state in ("on_track", "behind")
    assert final.url.startswith(reverse("cases:case_list"))


def test_cluster_scoring_ranking_and_totals_on_the_tree_of_the_cut_off(tree, setup) -> None:
    s = setup
    a, b = tree["prov_a"], tree["prov_b"]
    cluster = Cluster.objects.create(unit=tree["root"], code="C-T", name="Cụm thử")
    cluster.members.set([a, b])
    for i in range(3):
        case_for(a, f"A{i}", detected_on=D(2022, 3, 1))
    case_for(b, "B0", detected_on=D(2022, 3, 1))
    _registration(a, s, [(s["cases"], s["midterm"], 2)])
    _registration(b, s, [(s["cases"], s["midterm"], 2)])
    table = progress.cluster_table(cluster, s["campaign"], s["midterm"], on=D(2024, 1, 1))
    ranks = [(r.unit.code, r.rank, r.score) for r in table.rows]
    assert ranks == [("T-A", 1, Decimal(150)), ("T-B", 2, Decimal(50))]
    actual, target, pct = table.totals[s["cases"].pk]
    assert (actual, target, pct) == (4, 4, Decimal(100))
    # B is merged into A in 2025: at the midterm both still count on their own ...
    unit_merge(
        user=make_user("sys", tree["root"], [Role.SYSTEM_ADMIN]),
        sources=[b],
        target=a,
        on=D(2025, 7, 1),
        document="",
        note="",
    )
    b.refresh_from_db()
    again = progress.cluster_table(cluster, s["campaign"], s["midterm"], on=D(2026, 1, 1))
    assert [(r.unit.code, r.cells[s["cases"].pk].actual) for r in again.rows] == [
        ("T-A", 3),
        ("T-B", 1),
    ]
    # ... and at the final review B's records and targets count with A, B's row says so
    _final = progress.cluster_table(cluster, s["campaign"], s["final"], on=D(2026, 1, 1))
    rows = {r.unit.code: r for r in _final.rows}
    assert rows["T-B"].merged_into == a and rows["T-A"].cells[s["cases"].pk].actual == 4


@pytest.mark.django_db
def test_demo_cluster_midterm_is_115_4_and_216_7_percent(client) -> None:
    load_demo()
    cluster = Cluster.objects.get(code="CUM-III")
    registration = (
        TargetRegistration.objects.filter(unit__code="QB-BNCTU").select_related("campaign").get()
    )
    midterm = registration.campaign.reviews.get(kind="midterm")
    table = progress.cluster_table(cluster, registration.campaign, midterm)
    totals = {c.number: table.totals[c.pk] for c in table.criteria}
    assert totals["1"][:2] == (45, 39) and round(totals["1"][2], 1) == Decimal("115.4")
    assert totals["2"][:2] == (39, 18) and round(totals["2"][2], 1) == Decimal("216.7")
    assert [r.rank for r in table.rows] == list(range(1, 14))
    # Nghệ An: the sum of its departments against its own target, by the midterm
    nghe_an = TargetRegistration.objects.get(unit__code="NA-BNCTU")
    rows = {r.criterion.number: r for r in progress.registration_progress(nghe_an, midterm)}
    assert (rows["1"].actual, rows["1"].target, rows["1.1"].actual) == (7, 6, 4)
    departments = dict(
        (child.unit.code, {r.criterion.number: (r.actual, r.target) for r in child_rows})
        for child, child_rows in progress.children_progress(nghe_an, midterm)
    )
    assert departments["NA-P2"]["3"] == (3, 2) and departments["NA-P3"]["4"] == (2, 1)
    # Nghệ An's departments registered under Nghệ An's own guidance 01-HD/BNCTU (2021), not
    # Quảng Bình's guidance of the same number (2023)
    plans = {
        child.plan.unit.code
        for child, _rows in progress.children_progress(nghe_an, midterm)
        if child.plan is not None
    }
    assert plans == {"NA-BNCTU"}
    # the cluster table as Excel and Word
    from noichinh.accounts.models import User

    client.force_login(User.objects.get(username="trunguong"))
    url = reverse("campaigns:cluster_review", args=[cluster.pk])
    page = client.get(url, {"review": midterm.pk})
    assert "115,4\u00a0%" in page.content.decode() and "216,7\u00a0%" in page.content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(url, {"review": midterm.pk, "format": "xlsx"}).content)
    ).active
    assert any(cell == "115,4\u00a0%" for row in sheet.iter_rows(values_only=True) for cell in row)
    word = WordDocument(
        io.BytesIO(client.get(url, {"review": midterm.pk, "format": "docx"}).content)
    )
    text = " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "216,7\u00a0%" in text and "Quảng Bình" in text
    assert Unit.objects.get(code="QB-BNCTU").valid_to is not None  # merged since, still counted


def test_the_sum_of_the_departments_against_the_committees_own_target(tree, setup) -> None:
    s = setup
    s["dept_cases"].counts_towards = s["cases"]
    s["dept_cases"].save()
    committee = _registration(tree["prov_a"], s, [(s["cases"], s["midterm"], 4)])
    _registration(tree["dept_a"], s, [(s["dept_cases"], s["midterm"], 3)])
    case_for(
        tree["prov_a"],
        "Phòng chủ trì",
        detected_on=D(2022, 5, 1),
        public_concern=True,
        department=tree["dept_a"],
    )
    children = [c for c, _rows in progress.children_progress(committee, s["midterm"])]
    (row,) = progress.registration_progress(
        committee, s["midterm"], on=D(2024, 1, 1), children=children
    )
    assert (row.target, row.actual, row.children_target, row.children_actual) == (4, 1, 3, 1)


def test_the_progress_endpoint_answers_bad_input_with_a_reason(tree, setup, client) -> None:
    s = setup
    registration = _registration(tree["prov_a"], s, [(s["cases"], s["midterm"], 2)])
    client.force_login(s["specialist_a"])
    assert "registration" in client.get("/api/progress/").json()
    bad = client.get("/api/progress/", {"registration": "abc"})
    assert bad.status_code == 400 and "số nguyên" in str(bad.json()["registration"])
    other = review_for(campaign_for(tree["root"], "Khác"), "final", D(2025, 10, 31))
    wrong = client.get("/api/progress/", {"registration": registration.pk, "review": other.pk})
    assert wrong.status_code == 400 and "review" in wrong.json()
    good = client.get(
        "/api/progress/", {"registration": registration.pk, "review": s["midterm"].pk}
    )
    assert good.json()["criteria"][0]["target"] == 2
    client.force_login(make_user("cv.b", tree["prov_b"], [Role.SPECIALIST]))
    assert client.get("/api/progress/", {"registration": registration.pk}).status_code == 404
