"""A bounded map over a thread pool: how kinds read (and apply writes) concurrently."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def together(*tasks: Callable[[], Any]) -> list[Any]:
    """Run independent calls at once (each is one request, or a few in sequence); results in order."""
    return pmap(lambda task: task(), tasks, parallel=len(tasks))


def pmap(function: Callable[[T], R], items: Iterable[T], parallel: int) -> list[R]:
    """`function` over `items` in order, at most `parallel` at once; the first exception is raised."""
    items = list(items)
    if parallel <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor  # only when reading or writing (not for build)

    with ThreadPoolExecutor(max_workers=min(parallel, len(items))) as pool:
        return list(pool.map(function, items))
