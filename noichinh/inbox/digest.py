"""E-mail of the inbox in Vietnamese: a daily digest per user, or one mail per notification for
those who chose "immediate". Both mark `emailed_at`, so nothing is mailed twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from noichinh.core.text import format_date

from .models import Digest, Notification, NotificationPreference


def _absolute(url: str) -> str:
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.NOICHINH_SITE_URL}{url}"


def _message(user: Any, notifications: list[Notification], subject: str) -> EmailMultiAlternatives:
    items = [
        {
            "title": n.title,
            "body": n.body,
            "kind": n.get_kind_display(),
            "url": _absolute(n.url),
            "due_on": format_date(n.due_on) if n.due_on else "",
        }
        for n in notifications
    ]
    context = {
        "user": user,
        "name": user.full_name or user.username,
        "items": items,
        "inbox_url": _absolute("/thong-bao/"),
        "subject": subject,
    }
    text = render_to_string("inbox/email/digest.txt", context)
    html = render_to_string("inbox/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def _mark(ids: list[int], now: dt.datetime) -> None:
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)


def send_digests(now: dt.datetime | None = None, digest: str = Digest.DAILY) -> dict[str, int]:
    """Mail every user whose preference is `digest` (daily: no preference row too) their
    notifications not yet mailed; returns counts. Users without an address are skipped and
    their notifications stay unmailed."""
    now = now or timezone.now()
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    off_or_other = NotificationPreference.objects.exclude(digest=digest).values("user_id")
    if digest == Digest.DAILY:
        users = users.exclude(pk__in=off_or_other)
    else:
        users = users.filter(notification_preference__digest=digest)
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .filter(user__in=users)
        .select_related("user")
        .order_by("user_id", "due_on", "id")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in pending:
        by_user[n.user_id].append(n)
    sent = 0
    with translation.override("vi"):
        for notifications in by_user.values():
            user = notifications[0].user
            count = len(notifications)
            subject = _("Noichinh: %(count)s things need you (%(day)s)") % {
                "count": count,
                "day": format_date(timezone.localdate(now)),
            }
            with transaction.atomic():
                _message(user, notifications, subject).send()
                _mark([n.pk for n in notifications], now)
            sent += 1
    return {"emails": sent, "notifications": sum(len(v) for v in by_user.values())}


def send_immediate(notification_id: int) -> bool:
    """One mail for one new notification of a user who chose "immediate"."""
    notification = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .filter(~Q(user__email=""), user__is_active=True)
        .select_related("user")
        .first()
    )
    if notification is None:
        return False
    with translation.override("vi"):
        subject = _("Noichinh: %(title)s") % {"title": notification.title}
        _message(notification.user, [notification], subject).send()
    _mark([notification.pk], timezone.now())
    return True
