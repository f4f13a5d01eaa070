"""Search ranking: how well a record's folded search text matches what was typed.

Every search (the list search box, the global search, the autocomplete) keeps the records that
hold every typed word somewhere (`search_text__contains`); this module orders them so that a
record naming the whole query comes before one where the words are scattered. For "viet a",
"Công ty Việt Á" (the phrase "viet a" as whole words) ranks above "Cục Đăng kiểm Việt Nam"
(a "viet", and an "a" somewhere inside another word).

Ranks, best first:
0. the whole search text is the query;
1. the search text starts with the query as whole words;
2. the query appears as a phrase of whole words;
3. every typed word starts a word (in any order);
4. the words are only found scattered inside other words.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat

from .text import fold

RANK = "search_rank"


def rank_expression(query: str) -> Case:
    """A SQL expression (0 best .. 4) over the alias `_padded_search` (see `ranked`)."""
    folded = fold(query)
    words = folded.split()
    starts = Q()
    for word in words:
        starts &= Q(_padded_search__contains=f" {word}")
    return Case(
        When(search_text=folded, then=Value(0)),
        When(search_text__startswith=f"{folded} ", then=Value(1)),
        When(_padded_search__contains=f" {folded} ", then=Value(2)),
        When(starts, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def ranked(queryset: Any, query: str, *ordering: str) -> Any:
    """`queryset` ordered by how well it matches `query`, then by `ordering` (the list's own)."""
    if not ordering:
        ordering = tuple(queryset.query.order_by)  # keep the order the queryset already has
    if not fold(query):
        return queryset.order_by(*ordering)
    return (
        queryset.alias(
            _padded_search=Concat(
                Value(" "), F("search_text"), Value(" "), output_field=TextField()
            )
        )
        .annotate(**{RANK: rank_expression(query)})
        .order_by(RANK, *ordering)
    )
