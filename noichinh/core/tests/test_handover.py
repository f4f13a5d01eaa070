"""Closed units take no new record on any write path, and a reorganisation hands over what
they hold (core.handover), keeping the figures of past periods."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from rest_framework.test import APIClient

from noichinh.accounts.models import RoleAssignment
from noichinh.cases.models import Case, SecurityIssue
from noichinh.core.counts import count_value
from noichinh.core.display import field_label
from noichinh.core.handover import handover_preview
from noichinh.core.models import AuditEntry, Handover
from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM, forget, user_scope
from noichinh.core.services import object_create
from noichinh.core.testkit import build_tree, make_user
from noichinh.petitions import services as petition_services
from noichinh.petitions.models import Petition
from noichinh.petitions.resources import PetitionResource
from noichinh.units import services as unit_services
from noichinh.work.models import Task

pytestmark = pytest.mark.django_db

MERGER = dt.date(2025, 7, 1)
MESSAGE = "Đơn vị “Ban thử Tỉnh B” đã giải thể từ 1/7/2025; hồ sơ mới thuộc “Ban thử Tỉnh A”."


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def tree():
    return build_tree()


def merge(tree, **kwargs):
    unit_services.unit_merge(
        user=SYSTEM,
        sources=[tree["prov_b"]],
        target=tree["prov_a"],
        on=MERGER,
        note="Hợp nhất",
        **kwargs,
    )
    for key in ("prov_a", "prov_b"):
        tree[key].refresh_from_db()


@pytest.fixture
def merged(tree):
    merge(tree)
    return tree


@pytest.fixture
def specialist(tree):
    return make_user("chuyenvien.root", tree["root"], [Role.SPECIALIST])


def case(unit, detected_on, **fields):
    return Case(
        unit=unit,
        title="Vụ án tham ô tài sản",
        kind="criminal_case",
        field="land",
        detected_on=detected_on,
        detection="self",
        **fields,
    )


def petition(unit, received_on):
    return Petition(
        unit=unit,
        received_on=received_on,
        channel="post",
        kind="complaint",
        field="land",
        subject="Khiếu nại bồi thường đất",
        petitioner_name="Nguyễn Văn Khiếu",
    )


def security_issue(unit, started_on):
    return SecurityIssue(
        unit=unit,
        title="Tụ tập đông người",
        kind="gathering",
        location="Xã Quảng Phú",
        started_on=started_on,
        advised_on=started_on,
    )


def task(unit):
    return Task(unit=unit, title="Rà soát vụ việc tồn đọng", due_on=dt.date(2026, 3, 31))


# -- the guard: services ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        lambda unit: case(unit, dt.date(2026, 2, 1)),
        lambda unit: petition(unit, dt.date(2026, 2, 1)),
        lambda unit: security_issue(unit, dt.date(2026, 2, 1)),
        lambda unit: task(unit),
    ],
    ids=["case", "petition", "security_issue", "task"],
)
def test_service_refuses_a_new_record_on_a_closed_unit_naming_the_successor(merged, build):
    with pytest.raises(ValidationError) as error:
        object_create(user=SYSTEM, instance=build(merged["prov_b"]))
    assert error.value.message_dict["unit"] == [MESSAGE]
    # the successor takes it
    object_create(user=SYSTEM, instance=build(merged["prov_a"]))


def test_petition_intake_service_refuses_the_closed_unit(merged):
    with pytest.raises(ValidationError) as error:
        petition_services.petition_register(
            user=SYSTEM,
            unit=merged["prov_b"],
            received_on=dt.date(2026, 1, 5),
            channel="post",
            kind="complaint",
            field="land",
            subject="Khiếu nại",
        )
    assert error.value.message_dict["unit"] == [MESSAGE]


def test_a_record_dated_before_the_closing_may_be_entered_late(merged):
    """Back-entry: a 2024 petition and case of the closed unit are still its own."""
    object_create(user=SYSTEM, instance=petition(merged["prov_b"], dt.date(2024, 5, 2)))
    object_create(user=SYSTEM, instance=case(merged["prov_b"], dt.date(2025, 6, 30)))
    with pytest.raises(ValidationError):
        object_create(user=SYSTEM, instance=case(merged["prov_b"], dt.date(2025, 7, 1)))


def test_an_old_record_of_a_closed_unit_stays_editable_but_cannot_be_moved_to_it(merged):
    old = object_create(user=SYSTEM, instance=case(merged["prov_b"], dt.date(2024, 1, 1)))
    old.title = "Vụ án tham ô (sửa)"
    old.full_clean()  # its unit did not change
    recent = object_create(user=SYSTEM, instance=case(merged["prov_a"], dt.date(2026, 1, 1)))
    recent.unit = merged["prov_b"]
    with pytest.raises(ValidationError) as error:
        recent.full_clean()
    assert error.value.message_dict["unit"] == [MESSAGE]


# -- the guard: pages, API, import -----------------------------------------------------------
def test_page_form_refuses_the_closed_unit_and_does_not_offer_it(merged, specialist):
    client = Client()
    client.force_login(specialist)
    url = reverse("cases:case_add")
    page = client.get(url).content.decode()
    unit_select = page[page.index('name="unit"') :]
    unit_select = unit_select[: unit_select.index("</select>")]
    assert f'value="{merged["prov_a"].pk}"' in unit_select
    assert f'value="{merged["prov_b"].pk}"' not in unit_select
    response = client.post(
        url,
        {
            "unit": merged["prov_b"].pk,
            "title": "Vụ án mới",
            "kind": "criminal_case",
            "conduct": "corruption",
            "field": "land",
            "detected_on": "01/02/2026",
            "detection": "self",
            "confidentiality": "normal",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [MESSAGE]
    assert MESSAGE in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "url,payload",
    [
        (
            "/api/cases/",
            {
                "title": "Vụ án 2026",
                "kind": "criminal_case",
                "field": "land",
                "detected_on": "2026-02-01",
                "detection": "self",
            },
        ),
        (
            "/api/petitions/",
            {
                "received_on": "2026-02-01",
                "channel": "post",
                "kind": "complaint",
                "field": "land",
                "subject": "Khiếu nại",
            },
        ),
        (
            "/api/security-issues/",
            {
                "title": "Tụ tập",
                "kind": "gathering",
                "location": "Xã A",
                "started_on": "2026-02-01",
                "advised_on": "2026-02-02",
            },
        ),
        ("/api/tasks/", {"title": "Việc mới", "due_on": "2026-03-31"}),
    ],
    ids=["case", "petition", "security_issue", "task"],
)
def test_api_answers_400_with_the_reason(merged, specialist, url, payload):
    client = APIClient()
    client.force_authenticate(specialist)
    response = client.post(
        url, {**payload, "unit": merged["prov_b"].pk}, format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400, response.content
    assert response.json()["unit"] == [MESSAGE]
    ok = client.post(url, {**payload, "unit": merged["prov_a"].pk}, format="json")
    assert ok.status_code == 201, ok.content


def test_import_refuses_the_closed_unit_with_the_row_and_the_reason(merged, specialist):
    book = Workbook()
    sheet = book.active
    sheet.append([field_label(Petition, f) for f in PetitionResource.import_fields])
    blank = [""] * (len(PetitionResource.import_fields) - 10)
    sheet.append(
        [
            "T-B",
            "",
            "05/01/2026",
            "Bưu chính",
            "Khiếu nại",
            "",
            "Đất đai",
            "Khiếu nại",
            "",
            "An",
            *blank,
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "don.xlsx"
    client = Client()
    client.force_login(specialist)
    response = client.post(reverse("petitions:petition_import"), {"file": buffer})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Petition.objects.exists()


# -- the hand-over ---------------------------------------------------------------------------
@pytest.fixture
def holdings(tree):
    """Prov B, before its merger: open and closed records, a role."""
    b = tree["prov_b"]
    open_case = object_create(user=SYSTEM, instance=case(b, dt.date(2023, 3, 1)))
    open_petition = petition_services.petition_register(
        user=SYSTEM,
        unit=b,
        received_on=dt.date(2025, 6, 2),
        channel="post",
        kind="complaint",
        field="land",
        subject="Khiếu nại chưa giải quyết",
    )
    done_petition = object_create(user=SYSTEM, instance=petition(b, dt.date(2023, 2, 1)))
    Petition.objects.filter(pk=done_petition.pk).update(status="resolved")
    open_task = object_create(user=SYSTEM, instance=task(b))
    head = make_user("truongban.b", b, [Role.HEAD])
    return {
        "case": open_case,
        "petition": Petition.objects.get(pk=open_petition.pk),
        "done": done_petition,
        "task": open_task,
        "head": head,
    }


def test_preview_lists_exactly_what_moves(tree, holdings):
    plan = handover_preview(sources=[tree["prov_b"]], heir=tree["prov_a"], on=MERGER)
    moving = {g.kind.key: [i.record.pk for i in g.moving] for g in plan.groups}
    assert moving["cases.case"] == [holdings["case"].pk]
    assert moving["petitions.petition"] == [holdings["petition"].pk]  # not the resolved one
    assert moving["work.task"] == [holdings["task"].pk]
    assert len(moving["accounts.roleassignment"]) == 1
    assert plan.total == 4
    clock = next(g for g in plan.groups if g.kind.key == "petitions.petition").items[0].detail
    assert f"{holdings['petition'].classify_due_on.day}/" in clock


def test_merge_hands_over_in_one_audited_step_and_keeps_past_figures(tree, holdings):
    b, a = tree["prov_b"], tree["prov_a"]
    before_2023 = count_value(
        "cases.self_detected",
        unit=b,
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        as_of=dt.date(2023, 12, 31),
    )
    a_2023 = count_value(
        "cases.self_detected",
        unit=a,
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        as_of=dt.date(2023, 12, 31),
    )
    assert before_2023 == 1 and a_2023 == 0
    due = (holdings["petition"].classify_due_on, holdings["petition"].resolve_due_on)
    merge(tree)
    for key in ("case", "petition", "task"):
        holdings[key].refresh_from_db()
        assert holdings[key].unit_id == a.pk
        entries = AuditEntry.objects.filter(
            object_type=holdings[key]._meta.label_lower, object_id=str(holdings[key].pk)
        )
        assert entries.filter(message__contains="Ban thử Tỉnh A").exists()
    holdings["done"].refresh_from_db()
    assert holdings["done"].unit_id == b.pk  # closed records keep their history
    assert (holdings["petition"].classify_due_on, holdings["petition"].resolve_due_on) == due
    assert Handover.objects.count() == 3
    # past figures: still Prov B's in 2023, not Prov A's
    assert (
        count_value(
            "cases.self_detected",
            unit=b,
            start=dt.date(2023, 1, 1),
            end=dt.date(2023, 12, 31),
            as_of=dt.date(2023, 12, 31),
        )
        == before_2023
    )
    assert (
        count_value(
            "cases.self_detected",
            unit=a,
            start=dt.date(2023, 1, 1),
            end=dt.date(2023, 12, 31),
            as_of=dt.date(2023, 12, 31),
        )
        == a_2023
    )
    # ...and in Prov A's open lists now
    assert (
        Case.objects.restrict(make_user("xem.a", a, [Role.VIEWER]))
        .filter(pk=holdings["case"].pk, unit=a)
        .exists()
    )
    # role assignments end with the unit
    assignment = RoleAssignment.objects.get(user=holdings["head"], unit=b)
    assert assignment.valid_to == dt.date(2025, 6, 30)
    forget(holdings["head"])
    assert user_scope(holdings["head"], "view").empty


def test_handover_is_atomic(tree, holdings, monkeypatch):
    from noichinh.core import handover

    def broken(record, ctx):
        raise RuntimeError("disk full")

    kind = handover._kinds["work.task"]
    monkeypatch.setitem(
        handover._kinds, "work.task", handover.HandoverKind(**{**kind.__dict__, "move": broken})
    )
    with pytest.raises(RuntimeError):
        merge(tree)
    tree["prov_b"].refresh_from_db()
    assert tree["prov_b"].valid_to is None
    holdings["case"].refresh_from_db()
    assert holdings["case"].unit_id == tree["prov_b"].pk
    assert not Handover.objects.exists()


def test_roles_may_be_carried_to_the_successor(tree, holdings):
    merge(tree, carry_roles=True)
    carried = RoleAssignment.objects.get(user=holdings["head"], unit=tree["prov_a"])
    assert carried.role == Role.HEAD and carried.valid_from == MERGER
    forget(holdings["head"])
    assert user_scope(holdings["head"], "view").covers(tree["prov_a"].path)


def test_the_gate_ignores_a_role_on_a_closed_unit(tree):
    user = make_user("cu.b", tree["prov_b"], [Role.HEAD])
    merge(tree)
    RoleAssignment.objects.filter(user=user).update(valid_to=None)  # left running by hand
    forget(user)
    assert user_scope(user, "view").empty


def test_close_hands_over_to_the_unit_above_and_the_page_previews_first(tree, holdings):
    admin = make_user("quantri", tree["root"], [Role.SYSTEM_ADMIN])
    client = Client()
    client.force_login(admin)
    url = reverse("units:unit_close", args=[tree["prov_b"].pk])
    data = {"on": "01/07/2025", "note": "Giải thể", "successor": tree["prov_a"].pk}
    preview = client.post(url, data)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Vụ án tham ô tài sản" in text and 'name="confirm"' in text
    tree["prov_b"].refresh_from_db()
    assert tree["prov_b"].valid_to is None  # nothing written yet
    done = client.post(url, {**data, "confirm": "1"})
    assert done.status_code == 200
    assert "Khiếu nại chưa giải quyết" in done.content.decode()
    holdings["case"].refresh_from_db()
    assert holdings["case"].unit_id == tree["prov_a"].pk


def test_a_chain_of_hand_overs_on_one_day_keeps_each_past_figure(tree):
    """A district group closes into its province, which merges the same day: a 2023 record of
    the group still counts for the group (and its province), never for the heir."""
    from noichinh.core.handover import holder_on

    group = unit_services.unit_create(
        user=SYSTEM,
        parent=tree["prov_b"],
        code="T-B-H1",
        name="Tổ công tác huyện thử",
        kind="district_group",
        valid_from=dt.date(2022, 7, 1),
    )
    record = object_create(user=SYSTEM, instance=case(group, dt.date(2023, 4, 1)))
    unit_services.unit_close(user=SYSTEM, unit=group, on=MERGER, note="Kết thúc cấp huyện")
    record.refresh_from_db()
    assert record.unit_id == tree["prov_b"].pk
    merge(tree)
    record.refresh_from_db()
    assert record.unit_id == tree["prov_a"].pk
    assert holder_on(record, dt.date(2023, 12, 31)) == group.pk

    def count(unit):
        return count_value(
            "cases.self_detected",
            unit=unit,
            start=dt.date(2023, 1, 1),
            end=dt.date(2023, 12, 31),
            as_of=dt.date(2023, 12, 31),
        )

    group.refresh_from_db()
    assert (count(group), count(tree["prov_b"]), count(tree["prov_a"])) == (1, 1, 0)
    # after the merger the heir counts it
    assert (
        count_value(
            "cases.self_detected",
            unit=tree["prov_a"],
            start=dt.date(2023, 1, 1),
            end=None,
            as_of=dt.date(2025, 12, 31),
        )
        == 1
    )
