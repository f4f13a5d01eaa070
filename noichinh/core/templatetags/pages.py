"""Page numbers of a paged list: first, …, n-1, n, n+1, …, last (includes/pagination.html)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def page_links(page: Any) -> list[int | None]:
    """The page numbers to link, None where pages are left out (shown as "…")."""
    paginator = page.paginator
    links: list[int | None] = []
    for item in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        links.append(item if isinstance(item, int) else None)
    return links
