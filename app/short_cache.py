"""Values a web process keeps for a few seconds.

What every visitor of a popular campaign asks for at once (its counts) is
computed once per process every few seconds instead of once per request.
Each process keeps its own copy: nothing to invalidate across servers, and
the staleness is bounded by the time an entry is kept.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ShortCache:
    """A bounded map whose entries expire `seconds` after they were computed.

    Thread-safe. Two threads missing the same key at once may both compute
    it; the work is small and the lock is never held while computing.
    """

    def __init__(self, max_entries: int = 256, clock: Callable[[], float] = time.monotonic):
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], object], *, seconds: float):
        """The value kept for `key`, or `compute()` kept for `seconds` (0: never kept)."""
        if seconds <= 0:
            return compute()
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(key)
                return entry[1]
        value = compute()
        with self._lock:
            self._entries[key] = (now + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def app_cache(app, name: str, max_entries: int = 256) -> ShortCache:
    """The app's own cache called `name`, made on first use.

    Kept on the app, not in a module, so two apps in one process (tests)
    never see each other's entries.
    """
    caches = app.extensions.setdefault("short_caches", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, ShortCache(max_entries=max_entries))
    return cache
