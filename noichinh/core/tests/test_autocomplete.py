"""The autocomplete that replaces drop-downs of thousands (core.autocomplete, core.forms), the
filter bar (core.listing.split_filters, "Tất cả") and the numbered pagination, on the demo data
through the HTTP client."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from noichinh.accounts.models import User
from noichinh.core.autocomplete import MAX_RESULTS
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.listing import CappedPaginator
from noichinh.petitions.models import Petition
from noichinh.units.models import Unit

pytestmark = pytest.mark.django_db

SELECT = re.compile(r"<select[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</select>", re.DOTALL)


@pytest.fixture
def demo() -> None:
    load_demo()


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(User.objects.get(username=username))
    return client


def suggest(client: Client, label: str, **params: str) -> list[dict[str, object]]:
    response = client.get(f"/goi-y/{label}/", params)
    assert response.status_code == 200
    return response.json()["results"]


def selects(html: str) -> dict[str, int]:
    return {name: body.count("<option") for name, body in SELECT.findall(html)}


def test_unit_search_is_folded_scoped_and_names_the_path(demo: None) -> None:
    admin = client_for("admin")
    found = suggest(admin, "units.unit", q="phong noi chinh tu phap")
    texts = [str(row["text"]) for row in found]
    assert "Nghệ An \u203a Phòng Nội chính - Tư pháp" in texts
    # A closed unit is marked with its last day, and open units come first.
    binh = [str(row["text"]) for row in suggest(admin, "units.unit", q="binh")]
    assert "Quảng Trị \u203a Ban Nội chính Tỉnh ủy Quảng Bình (đã kết thúc 30/6/2025)" in binh
    assert binh[0] == "Ban Nội chính Tỉnh ủy Ninh Bình"

    # The specialist of Nghệ An is offered Nghệ An's units only, whatever is typed.
    nghean = client_for("nghean")
    assert suggest(nghean, "units.unit", q="hai phong") == []
    mine = suggest(nghean, "units.unit", q="")
    scope = Unit.objects.restrict(User.objects.get(username="nghean"), "view")
    allowed = set(scope.values_list("pk", flat=True))
    assert mine and {row["id"] for row in mine} <= allowed


def test_petition_search_is_capped_and_scoped(demo: None) -> None:
    admin = client_for("admin")
    rows = admin.get("/goi-y/petitions.petition/", {"q": ""}).json()
    assert len(rows["results"]) == MAX_RESULTS and rows["more"] is True
    nghean = User.objects.get(username="nghean")
    visible = Petition.objects.restrict(nghean, "view")
    other = Petition.objects.exclude(pk__in=visible.values("pk")).first()
    assert other is not None
    # Typing the id of a petition outside the scope finds nothing.
    assert suggest(client_for("nghean"), "petitions.petition", q=str(other.pk)) == []
    assert [row["id"] for row in suggest(admin, "petitions.petition", q=str(other.pk))] == [
        other.pk
    ]


def test_endpoint_refuses_anonymous_and_unknown_models(demo: None) -> None:
    assert Client().get("/goi-y/units.unit/?q=a").status_code == 302
    admin = client_for("admin")
    assert admin.get("/goi-y/accounts.user/?q=a").status_code == 404
    assert admin.get("/goi-y/units.unit/?q=a&for=nope.nope").status_code == 404


def test_list_filters_use_the_search_field_and_show_the_choice_by_name(demo: None) -> None:
    admin = client_for("admin")
    unit = Unit.objects.get(code="NA-BNCTU")
    response = admin.get("/vu-an/ho-so/", {"unit": unit.pk})
    html = response.content.decode()
    counts = selects(html)
    assert "department" not in counts
    # The only unit <select> left is the scope picker of the top bar (base.html).
    assert 'data-ac-url="/goi-y/units.unit/?field=unit&amp;action=view&amp;for=cases.case"' in html
    assert f'data-ac-id="{unit.pk}">Ban Nội chính Tỉnh ủy Nghệ An</span>' in html
    # The filter applies: every row is Nghệ An's.
    assert "Ban Nội chính Tỉnh ủy Nghệ An" in html
    # Without JavaScript, words that match one unit work as well as its id.
    by_name = admin.get("/vu-an/ho-so/", {"unit": "Ban Nội chính Tỉnh ủy Nghệ An"})
    assert f'data-ac-id="{unit.pk}"' in by_name.content.decode()
    assert by_name.context["page"].paginator.count == response.context["page"].paginator.count


def test_filter_bar_says_all_and_keeps_rare_filters_behind_more(demo: None) -> None:
    admin = client_for("admin")
    html = admin.get("/don-thu/don/").content.decode()
    assert "---------" not in html
    assert '<option value="" selected>Tất cả</option>' in html
    more = html[html.index("<details") : html.index("</details>")]
    assert "Thêm bộ lọc</summary>" in more and 'name="channel"' in more
    assert 'name="kind"' not in more
    assert '<details class="more-filters mt-2">' in html
    # A rare filter in use opens the section and is counted.
    html = admin.get("/don-thu/don/", {"channel": "post"}).content.decode()
    assert '<details class="more-filters mt-2" open>' in html
    assert "Thêm bộ lọc (1)" in html


def test_duplicate_of_and_documents_are_search_fields(demo: None) -> None:
    admin = client_for("admin")
    petition = Petition.objects.filter(unit__code="NA-BNCTU", status="received").first()
    assert petition is not None
    # The classification form opens when chosen from the record header's menu.
    html = admin.get(f"/don-thu/don/{petition.pk}/", {"do": "classify"}).content.decode()
    assert "duplicate_of" not in selects(html)
    assert "/goi-y/petitions.petition/?field=duplicate_of" in html
    form = admin.get("/vu-an/ho-so/add/").content.decode()
    assert "documents" not in selects(form)
    assert "/goi-y/documents.document/?field=documents" in form


def test_pagination_numbers_pages_and_says_more_than_when_capped(demo: None) -> None:
    admin = client_for("admin")
    html = admin.get("/don-thu/don/", {"page": 5}).content.decode()
    pager = html[html.index('class="pager') :]
    labels = re.findall(r"</span>(\d+)</(?:a|span)>", pager)
    assert labels[0] == "1" and labels[1:4] == ["4", "5", "6"]
    assert pager.count("…") == 2
    assert 'aria-current="page"' in pager
    total = Petition.objects.count()
    assert total > 10 * 25
    assert f"Bản ghi 101\u2013125 trên tổng số {total:,}".replace(",", ".") in pager

    class Small(CappedPaginator):
        cap = 100

    page = Small(Petition.objects.order_by("pk"), 25).get_page(2)
    assert page.paginator.capped and page.paginator.num_pages == 4
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/don-thu/don/?page=2")
    text = render_to_string("includes/pagination.html", {"page": page, "request": request})
    assert "trong hơn 100" in text


def test_several_documents_come_as_chips_or_as_ids_separated_by_commas(demo: None) -> None:
    from django.http import QueryDict

    from noichinh.core.forms import AutocompleteSelectMultiple
    from noichinh.documents.models import Document

    widget = AutocompleteSelectMultiple()
    widget.queryset = Document.objects.restrict(User.objects.get(username="nghean"), "view")
    # With the script: one hidden input per chip; without it: "3, 4" typed in the field.
    assert widget.value_from_datadict(QueryDict("documents=3&documents=4"), {}, "documents") == [
        "3",
        "4",
    ]
    assert widget.value_from_datadict(QueryDict("documents=3,%204"), {}, "documents") == [
        "3",
        "4",
    ]
    visible = list(widget.queryset.order_by("pk")[:2])
    hidden = Document.objects.exclude(pk__in=widget.queryset.values("pk")).first()
    ids = [doc.pk for doc in visible] + ([hidden.pk] if hidden else [])
    html = widget.render("documents", ids)
    # Records the user may see are named; one outside the scope is not.
    for doc in visible:
        assert f'data-ac-id="{doc.pk}"' in html
    if hidden is not None:
        assert f'data-ac-id="{hidden.pk}"' not in html
    assert 'data-ac-multiple="1"' in html
