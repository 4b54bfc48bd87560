"""The one rate limiter (core/ratelimit.py): a fixed window counted with add and incr."""

from __future__ import annotations

import threading

import pytest

from core.ratelimit import counter, hit


@pytest.fixture(autouse=True)
def _empty_counter():
    counter().clear()
    yield
    counter().clear()


def test_calls_past_the_limit_are_refused_until_the_next_window():
    assert [hit("k", 2, now=600.0).allowed for _ in range(3)] == [True, True, False]
    assert hit("k", 2, now=659.0).reset == 1
    assert hit("k", 2, now=660.0).allowed


def test_a_limit_of_zero_counts_nothing_and_refuses_nothing():
    assert all(hit("free", 0).allowed for _ in range(5))


def test_calls_hammered_from_many_threads_are_counted_exactly():
    threads, calls, limit = 8, 250, 1000
    allowed = []

    def hammer():
        mine = [hit("hammered", limit, now=1200.0).allowed for _ in range(calls)]
        allowed.append(sum(mine))

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(allowed) == limit
    assert hit("hammered", limit, now=1200.0).used == threads * calls + 1
