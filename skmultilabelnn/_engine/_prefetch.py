"""Blocks of batches prepared on the host while the device trains on the last."""

from concurrent.futures import ThreadPoolExecutor

_DONE = object()


def prefetched(iterable):
    """The items of ``iterable``, each made in a background thread while the
    caller uses the one before.

    An epoch sent to the device a block of batches at a time gathers (and
    densifies) the next block's rows on the host while the compiled function
    trains on the current one, instead of after it: both backends release
    the GIL while a compiled call runs. One item is made ahead, so one more
    block is held in memory. An exception raised by ``iterable`` is raised
    here, at the item it would have made.

    >>> list(prefetched(x * x for x in range(4)))
    [0, 1, 4, 9]
    """
    iterator = iter(iterable)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(next, iterator, _DONE)
        while (item := pending.result()) is not _DONE:
            pending = pool.submit(next, iterator, _DONE)
            yield item
