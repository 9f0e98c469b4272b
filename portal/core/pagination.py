"""One way to page a long list, so every list behaves alike."""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


class _KnownCountPaginator(Paginator):
    """A paginator told the count, when the page has already worked it out."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def paginate(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[Any],
    *,
    per_page: int = PER_PAGE,
    count: int | None = None,
) -> Page:
    """The page of `items` that `?page=` asks for; a page out of range or not a number gives
    the nearest one. Pass `count` when the page has already counted the items."""
    paginator = (
        Paginator(items, per_page)
        if count is None
        else _KnownCountPaginator(items, per_page, count=count)
    )
    return paginator.get_page(request.GET.get("page"))
