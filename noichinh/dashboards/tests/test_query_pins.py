"""Query counts of every list and dashboard page, pinned: an N+1 fails here (issue 18).

Each registered resource's list page and each dashboard is requested as three demo accounts
(the system administrator, the country's head, a province's specialist) on the demo data; the
number of queries must not exceed the pin. The pins are the counts measured on the demo data
(the comment `measured`) plus a margin of 4 for the per-request queries other changes may add
(session, scope, a banner); a query per row of a 25-row page is far above it. To re-measure:
`PIN_MEASURE=1 pytest -q -p no:xdist -s noichinh/dashboards/tests/test_query_pins.py` prints
each page's count. Time is the bench's business (docs/performance.md), not this test's.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from noichinh.accounts.models import User
from noichinh.core.resources import registry

MARGIN = 4
ACCOUNTS = ("admin", "trunguong", "nghean")

# The dashboards (url name); the lists come from the resource registry.
DASHBOARDS = (
    "dashboards:home",
    "petitions:dashboard",
    "petitions:overdue",
    "cases:dashboard",
    "work:dashboard",
    "reports:dashboard",
    "campaigns:dashboard",
)

# (url name, account): the queries measured on the demo data (pin = measured + MARGIN).
MEASURED: dict[tuple[str, str], int] = {
    ("dashboards:home", "admin"): 56,  # HTTP 200
    ("petitions:dashboard", "admin"): 29,  # HTTP 200
    ("petitions:overdue", "admin"): 10,  # HTTP 200
    ("cases:dashboard", "admin"): 16,  # HTTP 200
    ("work:dashboard", "admin"): 20,  # HTTP 200
    ("reports:dashboard", "admin"): 17,  # HTTP 200
    ("campaigns:dashboard", "admin"): 14,  # HTTP 200
    ("accounts:roleassignment_list", "admin"): 11,  # HTTP 200
    ("accounts:user_list", "admin"): 10,  # HTTP 200
    ("awards:awardkind_list", "admin"): 10,  # HTTP 200
    ("awards:awardreview_list", "admin"): 11,  # HTTP 200
    ("awards:ballot_list", "admin"): 11,  # HTTP 200
    ("awards:delegate_list", "admin"): 11,  # HTTP 200
    ("awards:nomination_list", "admin"): 12,  # HTTP 200
    ("campaigns:campaign_list", "admin"): 10,  # HTTP 200
    ("campaigns:criterion_list", "admin"): 11,  # HTTP 200
    ("campaigns:review_list", "admin"): 11,  # HTTP 200
    ("campaigns:target_list", "admin"): 13,  # HTTP 200
    ("campaigns:targetchange_list", "admin"): 9,  # HTTP 200
    ("campaigns:targetregistration_list", "admin"): 11,  # HTTP 200
    ("cases:case_list", "admin"): 10,  # HTTP 200
    ("cases:caseevent_list", "admin"): 10,  # HTTP 200
    ("cases:casesuspension_list", "admin"): 10,  # HTTP 200
    ("cases:securityissue_list", "admin"): 10,  # HTTP 200
    ("cases:stallrule_list", "admin"): 9,  # HTTP 200
    ("documents:document_list", "admin"): 10,  # HTTP 200
    ("documents:documenttype_list", "admin"): 10,  # HTTP 200
    ("documents:issuer_list", "admin"): 10,  # HTTP 200
    ("documents:term_list", "admin"): 10,  # HTTP 200
    ("inbox:reminderrule_list", "admin"): 9,  # HTTP 200
    ("petitions:petition_list", "admin"): 10,  # HTTP 200
    ("petitions:identityretention_list", "admin"): 9,  # HTTP 200
    ("petitions:receptionsession_list", "admin"): 10,  # HTTP 200
    ("reports:formitem_list", "admin"): 32,  # HTTP 200
    ("reports:formsection_list", "admin"): 11,  # HTTP 200
    ("reports:indicator_list", "admin"): 10,  # HTTP 200
    ("reports:reportform_list", "admin"): 10,  # HTTP 200
    ("reports:submission_list", "admin"): 11,  # HTTP 200
    ("reports:validationrule_list", "admin"): 11,  # HTTP 200
    ("units:cluster_list", "admin"): 10,  # HTTP 200
    ("units:unit_list", "admin"): 10,  # HTTP 200
    ("work:conclusion_list", "admin"): 11,  # HTTP 200
    ("work:meeting_list", "admin"): 10,  # HTTP 200
    ("work:milestone_list", "admin"): 11,  # HTTP 200
    ("work:project_list", "admin"): 10,  # HTTP 200
    ("work:task_list", "admin"): 10,  # HTTP 200
    ("work:workprogramme_list", "admin"): 10,  # HTTP 200
    ("dashboards:home", "trunguong"): 56,  # HTTP 200
    ("petitions:dashboard", "trunguong"): 29,  # HTTP 200
    ("petitions:overdue", "trunguong"): 10,  # HTTP 200
    ("cases:dashboard", "trunguong"): 16,  # HTTP 200
    ("work:dashboard", "trunguong"): 20,  # HTTP 200
    ("reports:dashboard", "trunguong"): 17,  # HTTP 200
    ("campaigns:dashboard", "trunguong"): 14,  # HTTP 200
    ("accounts:roleassignment_list", "trunguong"): 10,  # HTTP 200
    ("accounts:user_list", "trunguong"): 8,  # HTTP 403
    ("awards:awardkind_list", "trunguong"): 10,  # HTTP 200
    ("awards:awardreview_list", "trunguong"): 11,  # HTTP 200
    ("awards:ballot_list", "trunguong"): 11,  # HTTP 200
    ("awards:delegate_list", "trunguong"): 11,  # HTTP 200
    ("awards:nomination_list", "trunguong"): 12,  # HTTP 200
    ("campaigns:campaign_list", "trunguong"): 10,  # HTTP 200
    ("campaigns:criterion_list", "trunguong"): 11,  # HTTP 200
    ("campaigns:review_list", "trunguong"): 11,  # HTTP 200
    ("campaigns:target_list", "trunguong"): 13,  # HTTP 200
    ("campaigns:targetchange_list", "trunguong"): 9,  # HTTP 200
    ("campaigns:targetregistration_list", "trunguong"): 11,  # HTTP 200
    ("cases:case_list", "trunguong"): 10,  # HTTP 200
    ("cases:caseevent_list", "trunguong"): 10,  # HTTP 200
    ("cases:casesuspension_list", "trunguong"): 10,  # HTTP 200
    ("cases:securityissue_list", "trunguong"): 10,  # HTTP 200
    ("cases:stallrule_list", "trunguong"): 9,  # HTTP 200
    ("documents:document_list", "trunguong"): 10,  # HTTP 200
    ("documents:documenttype_list", "trunguong"): 10,  # HTTP 200
    ("documents:issuer_list", "trunguong"): 10,  # HTTP 200
    ("documents:term_list", "trunguong"): 10,  # HTTP 200
    ("inbox:reminderrule_list", "trunguong"): 9,  # HTTP 200
    ("petitions:petition_list", "trunguong"): 10,  # HTTP 200
    ("petitions:identityretention_list", "trunguong"): 8,  # HTTP 403
    ("petitions:receptionsession_list", "trunguong"): 10,  # HTTP 200
    ("reports:formitem_list", "trunguong"): 32,  # HTTP 200
    ("reports:formsection_list", "trunguong"): 11,  # HTTP 200
    ("reports:indicator_list", "trunguong"): 10,  # HTTP 200
    ("reports:reportform_list", "trunguong"): 10,  # HTTP 200
    ("reports:submission_list", "trunguong"): 11,  # HTTP 200
    ("reports:validationrule_list", "trunguong"): 11,  # HTTP 200
    ("units:cluster_list", "trunguong"): 10,  # HTTP 200
    ("units:unit_list", "trunguong"): 10,  # HTTP 200
    ("work:conclusion_list", "trunguong"): 11,  # HTTP 200
    ("work:meeting_list", "trunguong"): 10,  # HTTP 200
    ("work:milestone_list", "trunguong"): 11,  # HTTP 200
    ("work:project_list", "trunguong"): 10,  # HTTP 200
    ("work:task_list", "trunguong"): 10,  # HTTP 200
    ("work:workprogramme_list", "trunguong"): 10,  # HTTP 200
    ("dashboards:home", "nghean"): 65,  # HTTP 200
    ("petitions:dashboard", "nghean"): 29,  # HTTP 200
    ("petitions:overdue", "nghean"): 10,  # HTTP 200
    ("cases:dashboard", "nghean"): 16,  # HTTP 200
    ("work:dashboard", "nghean"): 20,  # HTTP 200
    ("reports:dashboard", "nghean"): 16,  # HTTP 200
    ("campaigns:dashboard", "nghean"): 14,  # HTTP 200
    ("accounts:roleassignment_list", "nghean"): 8,  # HTTP 403
    ("accounts:user_list", "nghean"): 8,  # HTTP 403
    ("awards:awardkind_list", "nghean"): 10,  # HTTP 200
    ("awards:awardreview_list", "nghean"): 10,  # HTTP 200
    ("awards:ballot_list", "nghean"): 10,  # HTTP 200
    ("awards:delegate_list", "nghean"): 10,  # HTTP 200
    ("awards:nomination_list", "nghean"): 11,  # HTTP 200
    ("campaigns:campaign_list", "nghean"): 10,  # HTTP 200
    ("campaigns:criterion_list", "nghean"): 11,  # HTTP 200
    ("campaigns:review_list", "nghean"): 11,  # HTTP 200
    ("campaigns:target_list", "nghean"): 13,  # HTTP 200
    ("campaigns:targetchange_list", "nghean"): 9,  # HTTP 200
    ("campaigns:targetregistration_list", "nghean"): 11,  # HTTP 200
    ("cases:case_list", "nghean"): 10,  # HTTP 200
    ("cases:caseevent_list", "nghean"): 10,  # HTTP 200
    ("cases:casesuspension_list", "nghean"): 9,  # HTTP 200
    ("cases:securityissue_list", "nghean"): 10,  # HTTP 200
    ("cases:stallrule_list", "nghean"): 9,  # HTTP 200
    ("documents:document_list", "nghean"): 10,  # HTTP 200
    ("documents:documenttype_list", "nghean"): 10,  # HTTP 200
    ("documents:issuer_list", "nghean"): 10,  # HTTP 200
    ("documents:term_list", "nghean"): 10,  # HTTP 200
    ("inbox:reminderrule_list", "nghean"): 9,  # HTTP 200
    ("petitions:petition_list", "nghean"): 10,  # HTTP 200
    ("petitions:identityretention_list", "nghean"): 8,  # HTTP 403
    ("petitions:receptionsession_list", "nghean"): 10,  # HTTP 200
    ("reports:formitem_list", "nghean"): 16,  # HTTP 200
    ("reports:formsection_list", "nghean"): 11,  # HTTP 200
    ("reports:indicator_list", "nghean"): 10,  # HTTP 200
    ("reports:reportform_list", "nghean"): 10,  # HTTP 200
    ("reports:submission_list", "nghean"): 11,  # HTTP 200
    ("reports:validationrule_list", "nghean"): 11,  # HTTP 200
    ("units:cluster_list", "nghean"): 9,  # HTTP 200
    ("units:unit_list", "nghean"): 10,  # HTTP 200
    ("work:conclusion_list", "nghean"): 11,  # HTTP 200
    ("work:meeting_list", "nghean"): 10,  # HTTP 200
    ("work:milestone_list", "nghean"): 10,  # HTTP 200
    ("work:project_list", "nghean"): 9,  # HTTP 200
    ("work:task_list", "nghean"): 10,  # HTTP 200
    ("work:workprogramme_list", "nghean"): 10,  # HTTP 200
}


def _list_names() -> list[str]:
    names = []
    for resource in registry.all():
        if "list" in resource.actions():
            names.append(resource.url_name("list"))
    return sorted(set(names))


def _pages() -> list[str]:
    found = []
    for name in (*DASHBOARDS, *_list_names()):
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        found.append(name)
    return found


@pytest.mark.parametrize("account", ACCOUNTS)
def test_page_query_counts_are_pinned(demo, client, account):
    client.force_login(User.objects.get(username=account))
    measured: dict[str, tuple[int, int]] = {}
    for name in _pages():
        client.get(reverse(name))  # warm the per-process caches (rules, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        measured[name] = (response.status_code, len(queries))
    if os.environ.get("PIN_MEASURE"):
        for name, (status, n) in measured.items():
            print(f'    ("{name}", "{account}"): {n},  # HTTP {status}')
    over = []
    missing = []
    for name, (status, n) in measured.items():
        assert status in (200, 403), f"{name} as {account}: HTTP {status}"
        pin = MEASURED.get((name, account))
        if pin is None:
            missing.append(f"{name}: {n}")
        elif n > pin + MARGIN:
            over.append(f"{name}: {n} queries (measured {pin}, pin {pin + MARGIN})")
    assert not over, f"More queries than pinned as {account}: " + "; ".join(over)
    assert not missing, f"No pin for these pages as {account} (measured): " + "; ".join(missing)
