"""notify, the page /thong-bao/, the bell, the e-mail digests, the schedule at 7:00."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from noichinh.core.models import AuditEntry
from noichinh.core.schedule import Periodic
from noichinh.inbox.context_processors import inbox as inbox_context
from noichinh.inbox.digest import send_digests
from noichinh.inbox.models import Notification, NotificationPreference
from noichinh.inbox.services import notify


def note(user, n, **kw):
    return notify(user=user, kind="task_due", title=f"Nhiệm vụ số {n}", key=f"t{n}", **kw)


# -- notify -----------------------------------------------------------------------------------
def test_notify_is_idempotent_per_user_and_key(people):
    first = notify(
        user=people["spec_a"], kind="export_ready", title="Tệp xuất đã sẵn sàng", key="x1"
    )
    assert first is not None and first.unit == people["spec_a"].home_unit
    assert notify(user=people["spec_a"], kind="export_ready", title="Lại", key="x1") is None
    assert notify(user=people["head_a"], kind="import_done", title="Khác", key="x1") is not None
    assert Notification.objects.count() == 2
    with pytest.raises(ValueError):
        notify(user=people["spec_a"], kind="nonsense", title="?")


# -- the page ---------------------------------------------------------------------------------
def test_the_page_lists_filters_and_is_empty_at_first(client, people):
    client.force_login(people["spec_a"])
    empty = client.get(reverse("inbox:list"))
    assert "Chưa có thông báo" in empty.content.decode()
    note(people["spec_a"], 1)
    notify(user=people["spec_a"], kind="export_ready", title="Tệp Excel đơn thư", key="e1")
    note(people["head_a"], 9)  # someone else's
    page = client.get(reverse("inbox:list")).content.decode()
    assert "Nhiệm vụ số 1" in page and "Tệp Excel đơn thư" in page
    assert "Nhiệm vụ số 9" not in page
    only = client.get(reverse("inbox:list"), {"kind": "export_ready"}).content.decode()
    assert "Tệp Excel đơn thư" in only and "Nhiệm vụ số 1" not in only
    none = client.get(reverse("inbox:list"), {"state": "read"}).content.decode()
    assert "Không có thông báo nào khớp bộ lọc" in none


def test_the_page_paginates(client, people):
    for n in range(30):
        note(people["spec_a"], n)
    client.force_login(people["spec_a"])
    first = client.get(reverse("inbox:list"))
    assert len(first.context["notifications"]) == 25
    second = client.get(reverse("inbox:list"), {"page": 2})
    assert len(second.context["notifications"]) == 5


def test_mark_read_one_and_all_is_post_audited_and_own_only(client, people):
    mine = [note(people["spec_a"], n) for n in range(3)]
    other = note(people["head_a"], 9)
    client.force_login(people["spec_a"])
    assert client.get(reverse("inbox:read", args=[mine[0].pk])).status_code == 405
    assert client.post(reverse("inbox:read", args=[mine[0].pk])).status_code == 302
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None
    assert AuditEntry.objects.filter(
        object_type="inbox.notification", object_id=str(mine[0].pk), user_id=people["spec_a"].pk
    ).exists()
    assert client.post(reverse("inbox:read", args=[other.pk])).status_code == 404
    assert client.post(reverse("inbox:read_all")).status_code == 302
    assert not Notification.objects.filter(user=people["spec_a"], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert AuditEntry.objects.filter(message="inbox: 2 read").exists()


def test_mark_read_needs_the_csrf_token(people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["spec_a"])
    n = note(people["spec_a"], 1)
    assert strict.post(reverse("inbox:read", args=[n.pk])).status_code == 403
    assert strict.post(reverse("inbox:read_all")).status_code == 403


def test_opening_goes_to_the_record_and_marks_it_read(client, people):
    n = note(people["spec_a"], 1, url="/cong-tac/nhiem-vu/1/")
    outside = note(people["spec_a"], 2, url="https://example.com/x")
    client.force_login(people["spec_a"])
    response = client.get(reverse("inbox:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/cong-tac/nhiem-vu/1/"
    n.refresh_from_db()
    assert n.read_at is not None
    # Never an open redirect.
    assert client.get(reverse("inbox:open", args=[outside.pk]))["Location"] == "/thong-bao/"
    client.force_login(people["head_a"])
    assert client.get(reverse("inbox:open", args=[n.pk])).status_code == 404


def test_the_preference_is_saved_and_audited(client, people):
    client.force_login(people["spec_a"])
    client.post(reverse("inbox:preference"), {"digest": "off"})
    assert NotificationPreference.objects.get(user=people["spec_a"]).digest == "off"
    assert AuditEntry.objects.filter(object_type="inbox.notificationpreference").exists()


# -- the bell ---------------------------------------------------------------------------------
def test_the_bell_shows_the_unread_count_in_one_query(client, people):
    for n in range(3):
        note(people["spec_a"], n)
    read = note(people["spec_a"], 4)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    request = RequestFactory().get("/")
    request.user = people["spec_a"]
    context = inbox_context(request)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("inbox/bell.html", {**context, "user": people["spec_a"]})
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert "inbox_notification" in queries.captured_queries[0]["sql"]
    assert 'aria-label="Thông báo: 3 chưa đọc"' in html
    # On every page, in the top bar, as a link to the inbox.
    client.force_login(people["spec_a"])
    page = client.get(reverse("core:home")).content.decode()
    assert 'aria-label="Thông báo: 3 chưa đọc"' in page
    assert 'href="/thong-bao/"' in page


def test_the_bell_with_nothing_unread(people):
    request = RequestFactory().get("/")
    request.user = people["spec_b"]
    html = render_to_string("inbox/bell.html", {**inbox_context(request), "user": request.user})
    assert "không có thông báo chưa đọc" in html
    assert "badge" not in html


# -- e-mail -----------------------------------------------------------------------------------
def test_the_daily_digest_reaches_the_right_people_once(people):
    note(people["spec_a"], 1, url="/cong-tac/nhiem-vu/1/", due_on=dt.date(2024, 3, 6))
    note(people["spec_a"], 2)
    note(people["head_a"], 3)
    note(people["spec_b"], 4)
    NotificationPreference.objects.create(user=people["head_a"], digest="off")
    NotificationPreference.objects.create(user=people["spec_b"], digest="immediate")
    result = send_digests()
    assert result == {"emails": 1, "notifications": 2}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["spec_a@example.vn"]
    assert "2 việc cần đồng chí xử lý" in message.subject
    assert "Kính gửi đồng chí Chuyenvien.A," in message.body
    assert "Nhiệm vụ số 1" in message.body and "Nhiệm vụ số 2" in message.body
    assert "http://localhost:8000/cong-tac/nhiem-vu/1/" in message.body
    assert "6/3/2024" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "Nhiệm vụ số 1" in html and "<a href=" in html
    assert Notification.objects.filter(user=people["spec_a"], emailed_at__isnull=False).count() == 2
    # Nothing twice; nothing for "off".
    assert send_digests() == {"emails": 0, "notifications": 0}
    assert len(mail.outbox) == 1
    assert Notification.objects.get(user=people["head_a"]).emailed_at is None


def test_immediate_mails_each_new_notification_once(people, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=people["spec_b"], digest="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        note(people["spec_b"], 1)
        note(people["spec_b"], 1)  # the same key: nothing
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["spec_b@example.vn"]
    assert "Nhiệm vụ số 1" in mail.outbox[0].subject
    assert send_digests(digest="immediate")["emails"] == 0


# -- the schedule -----------------------------------------------------------------------------
def test_a_time_of_day_entry_runs_at_seven_in_vietnam_once_a_day():
    entry = Periodic("x", None, dt.timedelta(days=1), at=dt.time(7))
    utc = ZoneInfo("UTC")
    before = dt.datetime(2024, 3, 5, 23, 59, tzinfo=utc)  # 6:59 in Hà Nội
    seven = dt.datetime(2024, 3, 6, 0, 0, tzinfo=utc)  # 7:00 in Hà Nội
    assert not entry.is_due(before, None)
    assert entry.is_due(seven, None)
    assert not entry.is_due(seven + dt.timedelta(hours=5), seven)
    assert entry.is_due(seven + dt.timedelta(days=1), seven)
    # A scheduler down at 7:00 catches up once when it comes back.
    assert entry.is_due(seven + dt.timedelta(days=1, hours=3), seven)
    assert "daily at 07:00 Asia/Ho_Chi_Minh" in entry.describe()
    hourly = Periodic("y", None, dt.timedelta(hours=1))
    assert hourly.is_due(seven, seven - dt.timedelta(hours=1))
    assert not hourly.is_due(seven, seven - dt.timedelta(minutes=59))


def test_the_inbox_entries_are_scheduled(db):
    from django_tasks_db.models import DBTaskResult

    from noichinh.core.schedule import enqueue_due, schedule

    names = {e.name: e for e in schedule()}
    assert names["inbox_scans"].every == dt.timedelta(hours=1)
    assert names["inbox_morning"].at == dt.time(7)
    seven = dt.datetime(2024, 3, 6, 0, 0, tzinfo=ZoneInfo("UTC"))
    assert {"inbox_scans", "inbox_morning"} <= set(enqueue_due(seven))
    later = enqueue_due(seven + dt.timedelta(hours=1))
    assert "inbox_scans" in later and "inbox_morning" not in later
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths.count("noichinh.inbox.tasks.morning_task") == 1
    assert paths.count("noichinh.inbox.tasks.run_scans_task") == 2


def test_bad_filter_values_are_ignored(client, people):
    note(people["spec_a"], 1)
    client.force_login(people["spec_a"])
    response = client.get(reverse("inbox:list"), {"kind": "x'<", "state": "??", "page": "zz"})
    assert response.status_code == 200
    assert "Nhiệm vụ số 1" in response.content.decode()
