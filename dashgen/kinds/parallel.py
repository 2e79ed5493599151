"""A bounded map over a thread pool: how kinds read (and apply writes) concurrently."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def together(*tasks: Callable[[], Any]) -> list[Any]:
    """Run independent calls at once (each is one request, or a few in sequence); results in order."""
    return pmap(lambda task: task(), tasks, parallel=len(tasks))


def pmap(function: Callable[[T], R], items: Iterable[T], parallel: int,
         stop: Callable[[], None] | None = None) -> list[R]:
    """`function` over `items` in order, at most `parallel` at once; the first exception (in the items' order)
    is raised once every call has ended. With `stop`: as soon as one call fails, or on an interrupt, the calls
    not yet started are dropped and `stop` is called to make those under way end now (e.g. kill the processes
    they wait on); the failure raised is that call's own (the first in order, if several had failed)."""
    items = list(items)
    if parallel <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait  # only when reading or writing

    with ThreadPoolExecutor(max_workers=min(parallel, len(items))) as pool:
        if stop is None:
            return list(pool.map(function, items))
        futures = [pool.submit(function, item) for item in items]
        try:
            wait(futures, return_when=FIRST_EXCEPTION)
            failed = [error for f in futures if f.done() and not f.cancelled() and (error := f.exception())]
            if failed:  # the calls that failed on their own, before any was stopped: the first in order
                raise _Stopped(failed[0])
        except BaseException as stopped:
            for future in futures:
                future.cancel()
            stop()
            wait(futures)
            if isinstance(stopped, _Stopped):  # what failed, not what stopping made fail
                raise stopped.error from None
            raise  # an interrupt stays one, whatever the stopped calls raised
        return [future.result() for future in futures]


class _Stopped(Exception):
    """A call failed: stop the others, then raise its exception."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error
