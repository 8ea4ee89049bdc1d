from app.short_cache import ShortCache


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_kept_value_is_given_back_until_its_seconds_have_passed():
    clock, computed = Clock(), []
    cache = ShortCache(clock=clock)

    def compute():
        computed.append(clock.now)
        return len(computed)

    assert cache.get("counts", compute, seconds=2) == 1
    clock.now += 1.9
    assert cache.get("counts", compute, seconds=2) == 1
    clock.now += 0.2
    assert cache.get("counts", compute, seconds=2) == 2
    assert len(computed) == 2


def test_zero_seconds_computes_every_time():
    cache, calls = ShortCache(), []
    for _ in range(3):
        cache.get("k", lambda: calls.append(1), seconds=0)
    assert len(calls) == 3


def test_the_least_recently_used_entry_goes_when_the_cache_is_full():
    cache = ShortCache(max_entries=2)
    cache.get("a", lambda: "a", seconds=60)
    cache.get("b", lambda: "b", seconds=60)
    cache.get("a", lambda: "recomputed", seconds=60)  # "a" used again: "b" is oldest
    cache.get("c", lambda: "c", seconds=60)

    assert cache.get("a", lambda: "recomputed", seconds=60) == "a"
    assert cache.get("b", lambda: "recomputed", seconds=60) == "recomputed"


def test_none_is_kept_like_any_value():
    cache, calls = ShortCache(), []
    for _ in range(2):
        cache.get("unknown", lambda: calls.append(1), seconds=60)
    assert len(calls) == 1
