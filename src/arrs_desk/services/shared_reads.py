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

After a save, a read that keeps its rows person by person (`by_person`) works out again only the
people the save touched (`change_scope`): at 5,000 staff, recording one supervision session
costs Home the rules for one person rather than for everyone. A save that touched nobody's
figures (printing a pack, signing in) keeps every figure as it was; a change to a staff record
reads again that person and everyone whose rows name them (their team, supervisees, appraisees).
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from arrs_desk.services.change_scope import people_naming, people_touched

T = TypeVar("T")

_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()
_everyone_afresh = threading.local()  # set while `uncached` runs: nothing kept is used or kept
_ROWS_KEPT = 16
"""How many reads' rows are kept person by person (each actor, day and set of options is one).
Home reads eleven; the rest is room for a page's filtered views. Each is a few MB at 10,000 staff,
and unlike a kept figure they outlive a save, so the least recently used are let go."""


class Same:
    """A part of a `by_person` key that is one particular object: content loaded from a file (the
    training subjects), the same object for as long as the file is unchanged. Equal only to itself,
    and holding it, so that its id is never another object's while the key is kept."""

    __slots__ = ("thing",)

    def __init__(self, thing: object):
        self.thing = thing

    def __hash__(self) -> int:
        return id(self.thing)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.thing is self.thing


class SharedReads:
    """The kept figures of one open database."""

    def __init__(self, db) -> None:
        self._db = weakref.ref(db)  # not the database itself: kept beside it in a weak mapping, it would never go
        self._lock = threading.Lock()
        self._mark: tuple | None = None
        self._kept: dict[tuple, Any] = {}
        self._rows: OrderedDict[tuple, tuple[tuple, dict[int, Any]]] = OrderedDict()  # key -> (mark, rows)
        self._touched: tuple[tuple, tuple, frozenset[int] | None] | None = None  # the last `people_touched` asked
        self._afresh_as: tuple[str, int | None] = ("", None)  # see `get`
        self._working: dict[tuple, list] = {}  # key -> [its lock, how many threads hold or want it]
        self._forgets = 0  # how many times someone's figures were let go: a read begun before is not kept
        self.computed = 0  # how many figures were worked out rather than reused (tests read it)
        self.people_read = 0  # how many people `by_person` worked out again after a save (tests read it)

    @contextmanager
    def _one_at_a_time(self, key: tuple) -> Iterator[None]:
        """One thread works out a key at a time: another asking for it meanwhile (the Home page
        opened while its figures are read ahead in the background after signing in) waits, then
        finds it kept, rather than working out the same figures beside it at half the speed.
        Reads nest only one way (Home reads Assurance, which reads the supervision matrix; never
        back), so two threads cannot each wait for the other."""
        with self._lock:
            entry = self._working.setdefault(key, [threading.RLock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._lock:
                entry[1] -= 1
                if not entry[1]:
                    del self._working[key]

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        """The figure for `key`, worked out by `compute` unless it was since the last change.

        The mark is read before computing, so a save that lands while a figure is being worked out
        makes the next call work it out again rather than keep what may predate the save."""
        if getattr(_everyone_afresh, "on", False):
            return compute()
        with self._one_at_a_time(("get", key)):
            return self._get(key, compute)

    def _get(self, key: tuple, compute: Callable[[], T]) -> T:
        mark = self._db().change_mark()
        with self._lock:
            previous, forgets = self._mark, self._forgets
        people = self.touched(previous, mark) if mark != previous and previous is not None else None
        if people == frozenset():
            with self._lock:  # nothing anyone's figures rest on was saved: keep them all
                if self._mark == previous:
                    self._mark = previous = mark
        with self._lock:
            if mark != self._mark:
                self._kept.clear()
                self._mark = mark
                # How much the figures read from now until the next change are worked out afresh: a
                # server is sent what a page read the last time it was the same (`store.read_ahead`).
                self._afresh_as = ("", None) if people is None else (
                    ("one person", next(iter(people))) if len(people) == 1 else ("several people", None))
            elif key in self._kept:
                return self._kept[key]
            variant, subject = self._afresh_as
        self._db().reading_afresh(variant, subject)
        value = compute()
        with self._lock:
            self.computed += 1
            if self._mark == mark and self._forgets == forgets:
                self._kept[key] = value
        return value

    def touched(self, old: tuple, new: tuple) -> frozenset[int] | None:
        """The people whose figures the saves between two change marks can have changed; None for
        anyone's. Remembered for the last pair asked, as every read of a page asks the same."""
        with self._lock:
            if self._touched is not None and self._touched[:2] == (old, new):
                return self._touched[2]
        people = people_touched(self._db().changes_between(old, new), self._naming)
        with self._lock:
            self._touched = (old, new, people)
        return people

    def _naming(self, staff_ids: frozenset[int]) -> frozenset[int]:
        with self._db().read() as session:
            return people_naming(session, staff_ids)

    def by_person(self, key: tuple, read: Callable[[frozenset[int] | None], tuple[Any, Mapping[int, Any]]],
                  ) -> tuple[Any, dict[int, Any]]:
        """A read kept person by person: `read(only)` gives what does not depend on who is shown
        (columns, rules) and the rows of the people in `only` it would show (everyone's for None),
        keyed by person. The first call reads everyone; after a save, only the people it touched are
        read again and put in place of their old rows (or dropped, if they are no longer shown).
        The caller sorts and counts the rows it is given. The mark is read first, as in `get`.
        `key` starts as `shared`'s keys do, (the read's name, the actor, today, ...): `forget` and
        `forget_other_days` find what to drop by the second and third."""
        if getattr(_everyone_afresh, "on", False):
            frame, fresh = read(None)
            return frame, dict(fresh)
        with self._one_at_a_time(("rows", key)):
            return self._by_person(key, read)

    def _by_person(self, key: tuple, read: Callable[[frozenset[int] | None], tuple[Any, Mapping[int, Any]]],
                   ) -> tuple[Any, dict[int, Any]]:
        mark = self._db().change_mark()
        with self._lock:
            kept, forgets = self._rows.get(key), self._forgets
        people = None if kept is None else (frozenset() if kept[0] == mark else self.touched(kept[0], mark))
        frame, fresh = read(people)
        if people is None:
            rows = dict(fresh)
        else:
            rows = {i: row for i, row in kept[1].items() if i not in people}
            rows.update(fresh)
        with self._lock:
            self.people_read += len(people or ())
            if self._forgets != forgets:  # someone else signed in meanwhile: nothing read for the last is held
                return frame, rows
            self._rows[key] = (mark, rows)
            self._rows.move_to_end(key)
            while len(self._rows) > _ROWS_KEPT:
                self._rows.popitem(last=False)
        return frame, rows

    def by_person_in_a_session(self, key: tuple, read: Callable[..., tuple[Any, Mapping[int, Any]]], *args,
                               **kwargs) -> tuple[Any, dict[int, Any]]:
        """`by_person` for a row read that takes a read session first and `only` last:
        `read(session, *args, only, **kwargs)`."""
        def in_a_session(only: frozenset[int] | None):
            with self._db().read() as session:
                return read(session, *args, only, **kwargs)

        return self.by_person(key, in_a_session)

    def has_rows(self, key: tuple) -> bool:
        """Whether a `by_person` read's rows are kept under `key` (at this change or an earlier
        one, which `by_person` brings up to date person by person): asking it for them is cheap."""
        with self._lock:
            return key in self._rows and not getattr(_everyone_afresh, "on", False)

    def holds(self, actor) -> bool:
        """Whether anything is kept for this actor."""
        with self._lock:
            return any(key[1] == actor for kept in (self._kept, self._rows) for key in kept)

    def forget(self, actor) -> None:
        """Drop everything kept for this actor (every key names the actor second), and keep
        nothing from reads still under way (a page's, or Home's figures worked out ahead)."""
        with self._lock:
            self._forgets += 1
            for kept in (self._kept, self._rows):
                for key in [key for key in kept if key[1] == actor]:
                    del kept[key]

    def forget_other_days(self, today) -> None:
        """Drop everything kept for any day but `today` (every key names the day third), and keep
        nothing from reads still under way, which may be reckoning from the day before. Nothing
        would ask for yesterday's figures again, but with no save to clear them they would stay:
        at 10,000 staff a day's figures hold tens of megabytes, in a window left open all weekend."""
        with self._lock:
            self._forgets += 1
            for kept in (self._kept, self._rows):
                for key in [key for key in kept if key[2] != today]:
                    del kept[key]

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._rows.clear()
            self._mark = None
            self._afresh_as = ("", None)


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

    @functools.wraps(method)
    def uncached(self, actor, *args, **kwargs):
        _everyone_afresh.on = True
        try:
            return method(self, actor, *args, **kwargs)
        finally:
            _everyone_afresh.on = False

    kept.uncached = uncached  # the read worked out afresh for everyone, for tests that compare the two
    return kept
