"""Search ranking: the whole query (as whole words) before scattered matches (issue 13)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from noichinh.cases.models import Case
from noichinh.core.ranking import ranked

VIET_A = "Việt Á"
DANG_KIEM = "Đăng kiểm Việt Nam"


def _client(username: str = "trunguong") -> Client:
    from noichinh.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _positions(html: str, *needles: str) -> list[int]:
    return [html.find(n) for n in needles]


@pytest.mark.django_db
def test_ranked_orders_phrase_before_scattered(demo: None) -> None:
    rows = list(
        ranked(
            Case.objects.filter(search_text__contains="viet").filter(search_text__contains="a"),
            "viet a",
            "-detected_on",
            "-id",
        )
    )
    titles = [c.title for c in rows]
    viet_a = next(i for i, t in enumerate(titles) if VIET_A in t)
    dang_kiem = next(i for i, t in enumerate(titles) if DANG_KIEM in t)
    assert viet_a < dang_kiem
    assert rows[0].search_rank <= 2  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_case_list_search_ranks_viet_a_first(demo: None) -> None:
    response = _client().get(reverse("cases:case_list"), {"q": "viet a"})
    assert response.status_code == 200
    html = response.content.decode()
    viet_a, dang_kiem = _positions(html, VIET_A, DANG_KIEM)
    assert viet_a != -1 and dang_kiem != -1
    assert viet_a < dang_kiem
    # The first row of the table is the Việt Á case.
    body = html[html.find("<tbody") :]
    first_row = body[: body.find("</tr>")]
    assert VIET_A in first_row


@pytest.mark.django_db
def test_global_search_and_autocomplete_rank_viet_a_first(demo: None) -> None:
    client = _client()
    html = client.get(reverse("core:search"), {"q": "viet a"}).content.decode()
    viet_a, dang_kiem = _positions(html, VIET_A, DANG_KIEM)
    assert viet_a != -1 and viet_a < dang_kiem
    answer = client.get("/goi-y/cases.case/", {"q": "viet a"}).json()
    texts = [r["text"] for r in answer["results"]]
    assert texts and VIET_A in texts[0], texts


@pytest.mark.django_db
def test_explicit_sort_is_kept(demo: None) -> None:
    """A list sorted by a column keeps that order while searching."""
    response = _client().get(reverse("cases:case_list"), {"q": "viet a", "sort": "detected_on"})
    assert response.status_code == 200
    assert re.search(r"search_rank", response.content.decode()) is None
