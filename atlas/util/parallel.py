"""Work spread over the machine's cores, its results kept in order.

Pages are rendered in forked processes, which inherit everything made before the fork
(the atlas, its views, the templates already compiled): only the rendered pages travel
back. The results come in the order of the work, so a parallel build writes exactly what
a serial one does. Forking is done only from a process with no other threads (`atlas
serve` has some, and builds serially), on a machine with more than one core.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _run(index: int) -> Any:
    assert _WORK is not None
    work, items = _WORK
    return work(items[index])


def map_in_order(work: Callable[[T], R], items: Sequence[T], parallel: bool = True) -> Iterator[R]:
    """work(item) for every item, in order; on several cores when `parallel` and it can."""
    global _WORK
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if not parallel or cores < 2 or len(items) < 2 or threading.active_count() > 1 or os.name != "posix":
        yield from (work(item) for item in items)
        return
    import multiprocessing  # here: a build that renders a few pages need not import it

    _WORK = (work, items)
    try:
        with multiprocessing.get_context("fork").Pool(min(cores, len(items))) as pool:
            yield from pool.imap(_run, range(len(items)), chunksize=max(1, len(items) // (cores * 4)))
    finally:
        _WORK = None
