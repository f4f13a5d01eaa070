"""A petition's life through the pages and through the API: register, classify, extend,
pause, resume, resolve, follow up; refusals come back with a reason."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from noichinh.core.models import AuditAction, AuditEntry
from noichinh.petitions import services
from noichinh.petitions.models import Petition

from .conftest import register

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def transitions(petition):
    return AuditEntry.objects.filter(
        action=AuditAction.TRANSITION, object_type="petitions.petition", object_id=str(petition.pk)
    ).count()


def test_lifecycle_through_the_pages(specialist_a, tree):
    client = client_for(specialist_a)
    response = client.post(
        reverse("petitions:petition_add"),
        {
            "unit": tree["prov_a"].pk,
            "received_on": "01/03/2024",
            "channel": "in_person",
            "kind": "denunciation",
            "field": "corruption",
            "subject": "Tố cáo lập hồ sơ khống nhận tiền hỗ trợ",
            "petitioner_name": "Người Tố Cáo",
            "complexity": "very_complex",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    petition = Petition.objects.get(subject__startswith="Tố cáo lập hồ sơ")
    # Law on Denunciations 2018, Art. 24: 7 working days, 10 for a complex case.
    assert petition.classify_due_on == D(2024, 3, 15)
    detail = reverse("petitions:petition_detail", args=[petition.pk])
    page = client.get(detail)
    assert "classify_form" in page.context

    # Not accepting needs a reason: the page comes back with the error and the input.
    refused = client.post(
        reverse("petitions:petition_classify", args=[petition.pk]),
        {"decision": "reject", "on": "04/03/2024"},
    )
    assert refused.status_code == 400
    assert "reason" in refused.context["classify_form"].errors

    ok = client.post(
        reverse("petitions:petition_classify", args=[petition.pk]),
        {"decision": "accept", "on": "05/03/2024"},
    )
    assert ok.status_code == 302
    petition.refresh_from_db()
    assert petition.status == "accepted" and petition.resolve_due_on == D(2024, 4, 4)

    for days in (30, 30):
        step = client.post(
            reverse("petitions:petition_extend", args=[petition.pk]),
            {"decided_on": "01/04/2024", "days": days, "decision_number": "12/QĐ"},
        )
        assert step.status_code == 302
    third = client.post(
        reverse("petitions:petition_extend", args=[petition.pk]),
        {"decided_on": "01/05/2024", "days": 10},
    )
    assert third.status_code == 400  # especially complex: two extensions at most
    petition.refresh_from_db()
    assert petition.resolve_due_on == D(2024, 6, 3)  # 4/4 + 60 days = 3/6 (Monday)

    assert (
        client.post(
            reverse("petitions:petition_pause", args=[petition.pk]),
            {"start": "10/04/2024", "reason": "Chờ giám định"},
        ).status_code
        == 302
    )
    petition.refresh_from_db()
    assert petition.paused_since == D(2024, 4, 10)
    assert (
        client.post(
            reverse("petitions:petition_resume", args=[petition.pk]), {"end": "19/04/2024"}
        ).status_code
        == 302
    )
    petition.refresh_from_db()
    assert petition.paused_since is None and petition.resolve_due_on == D(2024, 6, 13)

    wrong = client.post(
        reverse("petitions:petition_resolve", args=[petition.pk]),
        {"resolved_on": "01/06/2024", "outcome": "correct"},
    )
    assert wrong.status_code == 400  # "correct" is a complaint's outcome
    assert (
        client.post(
            reverse("petitions:petition_resolve", args=[petition.pk]),
            {"resolved_on": "01/06/2024", "outcome": "founded", "note": "Có cơ sở"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("petitions:petition_follow_up", args=[petition.pk]),
            {"follow_up": "done", "note": "Đã kỷ luật"},
        ).status_code
        == 302
    )
    petition.refresh_from_db()
    assert (petition.status, petition.outcome, petition.follow_up) == (
        "resolved",
        "founded",
        "done",
    )
    assert transitions(petition) == 7
    assert client.get(detail).status_code == 200
    assert client.get(detail, {"tab": "history"}).status_code == 200


def test_viewer_cannot_act_and_out_of_scope_is_404(viewer_a, specialist_b, tree):
    petition = register(tree["dept_a"])
    url = reverse("petitions:petition_classify", args=[petition.pk])
    data = {"decision": "accept", "on": "05/03/2024"}
    assert client_for(viewer_a).post(url, data).status_code == 403
    assert client_for(specialist_b).post(url, data).status_code == 404
    petition.refresh_from_db()
    assert petition.status == "received"


def test_lifecycle_through_the_api(specialist_a, specialist_b, tree):
    client = client_for(specialist_a)
    created = client.post(
        "/api/petitions/",
        json.dumps(
            {
                "unit": tree["prov_a"].pk,
                "received_on": "2024-07-01",
                "channel": "post",
                "kind": "complaint",
                "field": "land",
                "subject": "Khiếu nại giá đất bồi thường",
                "petitioner_name": "Nguyễn Văn Khiếu",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["classify_due_on"] == "2024-07-15"

    def post(action, payload, who=client):
        return who.post(
            f"/api/petitions/{pk}/{action}/", json.dumps(payload), content_type="application/json"
        )

    early = post("resolve", {"resolved_on": "2024-07-10", "outcome": "correct"})
    assert early.status_code == 400 and "thụ lý" in early.json()["non_field_errors"][0]
    assert (
        post(
            "classify", {"decision": "accept", "on": "2024-07-01"}, client_for(specialist_b)
        ).status_code
        == 404
    )
    accepted = post("classify", {"decision": "accept", "on": "2024-07-01"})
    assert accepted.status_code == 200
    assert accepted.json()["resolve_due_on"] == "2024-08-12"  # Art. 28: 30 working days
    assert post("extend", {"decided_on": "2024-07-20", "days": 10}).status_code == 400
    assert post("pause", {"start": "2024-07-08", "reason": "Chờ đo đạc"}).status_code == 200
    assert post("pause", {"start": "2024-07-09", "reason": "x"}).status_code == 400
    resumed = post("resume", {"end": "2024-07-12"})
    assert resumed.json()["resolve_due_on"] == "2024-08-19"  # 5 working days later
    bad = post("resolve", {"resolved_on": "2024-08-01", "outcome": "founded"})
    assert bad.status_code == 400
    done = post("resolve", {"resolved_on": "2024-08-30", "outcome": "partly_correct"})
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert post("follow-up", {"follow_up": "in_progress"}).json()["follow_up"] == "in_progress"
    assert post("classify", {"decision": "accept", "on": "bad"}).status_code == 400
    assert (
        client.post(
            f"/api/petitions/{pk}/classify/", "{x", content_type="application/json"
        ).status_code
        == 400
    )


def test_classify_routes_and_duplicates(specialist_a, tree):
    first = register(tree["dept_a"], subject="Khiếu nại mức bồi thường dự án đường ven biển")
    second = register(
        tree["prov_a"],
        received_on=D(2024, 5, 2),
        subject="Khiếu nại lại mức bồi thường dự án đường ven biển",
        petitioner_name="nguyen van khieu",
    )
    client = client_for(specialist_a)
    page = client.get(reverse("petitions:petition_detail", args=[second.pk]))
    assert [p.pk for p in page.context["duplicates"]] == [first.pk]
    assert client.get(f"/api/petitions/{second.pk}/duplicates/").json()[0]["id"] == first.pk
    services.petition_classify(
        user=specialist_a,
        petition=second,
        decision="duplicate",
        on=D(2024, 5, 3),
        duplicate_of=first,
    )
    second.refresh_from_db()
    assert second.status == "duplicate" and second.duplicate_of == first
    third = register(tree["prov_a"])
    with pytest.raises(ValidationError):
        services.petition_classify(
            user=specialist_a, petition=third, decision="forward", on=D(2024, 3, 2)
        )
    services.petition_classify(
        user=specialist_a,
        petition=third,
        decision="forward",
        on=D(2024, 3, 2),
        forwarded_to="Thanh tra tỉnh",
    )
    assert Petition.objects.get(pk=third.pk).status == "forwarded"
    with pytest.raises(ValidationError):
        services.petition_classify(
            user=specialist_a, petition=third, decision="accept", on=D(2024, 3, 2)
        )


def test_services_check_the_gate(specialist_b, tree):
    petition = register(tree["dept_a"])
    with pytest.raises(PermissionDenied):
        services.petition_classify(
            user=specialist_b, petition=petition, decision="accept", on=D(2024, 3, 2)
        )


def test_holiday_calendar(tree, specialist_a):
    from noichinh.core.permissions import Role
    from noichinh.core.testkit import make_user
    from noichinh.petitions.models import Holiday

    assert Holiday.objects.filter(day=D(2024, 2, 10)).exists()  # preloaded by the migration
    assert Holiday.objects.filter(day__year=2026).count() >= 8
    url = reverse("petitions:holidays")
    client = client_for(specialist_a)
    assert client.get(url, {"nam": "2024"}).status_code == 200
    assert client.post(url, {"day": "05/03/2024", "name": "Thử"}).status_code == 403
    admin = make_user("hethong", tree["root"], [Role.SYSTEM_ADMIN])
    admin_client = client_for(admin)
    assert admin_client.post(url, {"day": "05/03/2024", "name": "Ngày nghỉ thử"}).status_code == 302
    holiday = Holiday.objects.get(day=D(2024, 3, 5))
    # The clock reads the calendar: a complaint received on 4/3 is due one working day later.
    petition = register(tree["prov_a"], received_on=D(2024, 3, 4))
    assert petition.classify_due_on == D(2024, 3, 19)
    assert (
        admin_client.post(reverse("petitions:holiday_delete", args=[holiday.pk])).status_code == 302
    )
    assert AuditEntry.objects.filter(object_type="petitions.holiday").count() == 2
