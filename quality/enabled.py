"""The enabled checks and their thresholds, as this process knows them.

Every save of a checked row may need them (a cheap check compares the row with its
threshold), so a process reads them once and keeps them, with a version shared by all
processes through Django's cache. A write to the catalogue (a check tuned or switched off,
the catalogue written again after a flush) gives it a new version once the write is
committed, and each process reads the checks again when it next needs them. The transaction
that writes the catalogue reads the checks from the database (what it sees), and nothing it
reads is kept.

So a busy write, such as a quiz submission, holds the database for its own statements only,
without the caller reading anything ahead: the checks are read inside it only on a process's
first use and after a change. When the cache has forgotten the version (cleared, or culled
when full), a write in progress uses what the process knows, and the process reads the
checks again as soon as that write has committed.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

from quality.models import Check

KEY = "quality:checks-version"


@dataclass(frozen=True)
class _Known:
    version: str
    checks: dict[str, Check]


_known: _Known | None = None


def _read() -> dict[str, Check]:
    """The enabled checks by code: what a check needs of them (the threshold; the row for its
    flags), not their names and descriptions."""
    qs = Check.objects.filter(enabled=True).only("id", "code", "threshold")
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():  # a failed read rolls back alone, as a failed check
            return {c.code: c for c in qs}
    return {c.code: c for c in qs}


class _OnCommit:
    """A function waiting for the commit of the transaction that registered it.

    Django holds the callback until it runs it (at the commit) or drops it (when the
    transaction, or the savepoint it was registered in, is rolled back): that is
    ``transaction.on_commit``'s documented contract. This module keeps only a weak reference
    to it, so the callback is waiting exactly while that reference lives and it has not run.
    """

    __slots__ = ("__weakref__", "func", "ran")

    def __init__(self, func: Callable[[], None]) -> None:
        self.func = func
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        self.func()


# Per connection (each thread has its own), the callbacks registered by ``_on_commit``.
_waiting: weakref.WeakKeyDictionary[Any, dict[Callable[[], None], weakref.ref[_OnCommit]]] = weakref.WeakKeyDictionary()


def _pending(func: Callable[[], None]) -> bool:
    """Whether ``func`` waits for the current transaction's commit."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    ref = _waiting.get(connection, {}).get(func)
    callback = ref() if ref is not None else None
    return callback is not None and not callback.ran


def _on_commit(func: Callable[[], None]) -> None:
    """Run ``func`` once the current transaction is committed (at once outside a
    transaction; never if it is rolled back), unless it already waits for that commit."""
    if _pending(func):
        return
    callback = _OnCommit(func)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _waiting.setdefault(connection, {})[func] = weakref.ref(callback)
    transaction.on_commit(callback, robust=True)


def _publish() -> None:
    global _known
    _known = None
    cache.set(KEY, uuid.uuid4().hex, None)


def changed() -> None:
    """A check of the catalogue was written: every process reads the checks again once the
    write is committed (at once outside a transaction; never if it is rolled back)."""
    _on_commit(_publish)


def _current_version() -> str:
    version = cache.get(KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(KEY, version, None):
            version = cache.get(KEY) or version
    return version


def _refresh() -> None:
    global _known
    if _known is not None and cache.get(KEY) is None:
        version = _current_version()
        _known = _Known(version, _read())


def enabled_checks() -> dict[str, Check]:
    """The enabled checks by code (do not change them)."""
    global _known
    if _pending(_publish):  # this transaction changed the catalogue
        return _read()
    known = _known
    version = cache.get(KEY)
    if known is not None:
        if version == known.version:
            return known.checks
        if version is None and transaction.get_connection().in_atomic_block:
            _on_commit(_refresh)
            return known.checks
    if version is None:
        version = _current_version()
    checks = _read()
    _known = _Known(version, checks)
    return checks


def forget() -> None:
    """Read the checks again on next use (as a process that has not read them yet)."""
    global _known
    _known = None
