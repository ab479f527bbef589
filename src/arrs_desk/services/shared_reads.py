"""Figures several pages share, worked out once per change to the database (issue 18, item 4).

The Home page counts what the Supervision, Reviews, Assurance, Programmes, Training and
Revalidation pages show, and the Assurance page reads the supervision matrix and the programme
overview too: without sharing, opening Home and then Assurance works out the same matrices two or
three times, which for a federation of thousands is seconds. A figure here is kept for the actor it
was read for and the day it was read on, and is thrown away as soon as the database changes: the
store's `change_mark` (writes committed through this workspace, and the audit chain's head, which
every audited save from any PC moves). Never by time: a figure is either still true or read again.

A kept figure is handed to every caller, so the services that use `shared` return values their
callers only read (frozen dataclasses, tuples); a list is handed out as a new list each time.
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


class SharedReads:
    """The kept figures of one open database."""

    def __init__(self, db) -> None:
        self._db = weakref.ref(db)  # not the database itself: kept beside it in a weak mapping, it would never go
        self._lock = threading.Lock()
        self._mark: tuple | None = None
        self._kept: dict[tuple, Any] = {}
        self.computed = 0  # how many figures were worked out rather than reused (tests read it)

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        """The figure for `key`, worked out by `compute` unless it was since the last change.

        The mark is read before computing, so a save that lands while a figure is being worked out
        makes the next call work it out again rather than keep what may predate the save."""
        mark = self._db().change_mark()
        with self._lock:
            if mark != self._mark:
                self._kept.clear()
                self._mark = mark
            elif key in self._kept:
                return self._kept[key]
        self._db().reading_afresh()
        value = compute()
        with self._lock:
            self.computed += 1
            if self._mark == mark:
                self._kept[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._mark = None


def shared_reads(db) -> SharedReads:
    """The one `SharedReads` of an open database, gone with it."""
    with _caches_lock:
        found = _caches.get(db)
        if found is None:
            found = _caches[db] = SharedReads(db)
        return found


def shared(method: Callable[..., T]) -> Callable[..., T]:
    """Keep a service read's result until the database changes (see the module's docstring).

    For methods of services with `_db` and `_today`, called as `method(actor, **options)`: the key
    is the method, the actor (who may see what), today's date and the options, defaults filled in,
    so `matrix(actor)` and `matrix(actor, practice_id=None)` (Home, and the Training page showing
    every practice) share one figure."""
    name = method.__qualname__
    signature = inspect.signature(method)

    @functools.wraps(method)
    def kept(self, actor, *args, **kwargs):
        bound = signature.bind(self, actor, *args, **kwargs)
        bound.apply_defaults()
        key = (name, actor, self._today(), tuple(bound.arguments.items())[2:])
        value = shared_reads(self._db).get(key, lambda: method(self, actor, *args, **kwargs))
        return list(value) if isinstance(value, list) else value

    kept.uncached = method  # the read itself, for tests that compare the two
    return kept
