"""The GUI thread's garbage collection (ui/common/garbage.py): what a worker makes is never walked
while it works and is frozen once it has finished, cycles frozen with it are still freed, and a
long run of work is collected as it goes."""

from __future__ import annotations

import gc
import weakref

import pytest

from arrs_desk.ui.common import garbage


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _cyclic_garbage() -> weakref.ref:
    """An object only a reference cycle keeps: only a collection that walks it frees it."""
    return weakref.ref(_Cycle())


@pytest.fixture
def collector(qapp, monkeypatch):
    garbage.collect_everything()
    made = garbage.GuiThreadGarbageCollector()
    made._timer.stop()  # checked by the test, not by the clock
    made.FREEZE_AFTER, made.FULL_AFTER = 1_000, 2_000
    at_work = [False]
    monkeypatch.setattr(garbage, "_workers_at_work", lambda: at_work[0])
    yield made, at_work
    garbage.collect_everything()


def test_what_a_worker_makes_is_frozen_once_it_has_finished_and_never_walked(collector):
    made, at_work = collector
    at_work[0] = True
    gone = _cyclic_garbage()
    figures = [[] for _ in range(3_000)]  # what a page's read keeps
    made.check()
    assert gone() is not None and gc.get_freeze_count() == 0, "nothing collected or frozen while it works"

    at_work[0] = False
    made.check()
    assert gc.get_freeze_count() >= len(figures), "frozen once the worker has finished"
    assert gc.get_count()[0] < made.FREEZE_AFTER
    gc.collect()
    assert gone() is not None, "a collection no longer walks what was frozen"


def test_cycles_frozen_with_the_figures_are_freed_by_a_full_collection_in_a_quiet_moment(collector):
    made, at_work = collector
    gone = _cyclic_garbage()
    figures = [[] for _ in range(3_000)]
    made.check()  # frozen: more than FULL_AFTER since the last full collection
    assert gone() is not None

    at_work[0] = True
    made.check()
    assert gone() is not None, "never while a worker is at work"

    at_work[0] = False
    made.check()
    assert gone() is None, "freed by the full collection"
    assert gc.get_freeze_count() >= len(figures), "what is left is frozen again"
    made.check()
    assert gc.get_freeze_count() >= len(figures), "and the next quiet check does not collect in full again"


def test_a_long_run_of_work_is_collected_as_it_goes(collector):
    """A batch of a thousand appraisal packs must not keep every pack's cycles until it ends."""
    made, at_work = collector
    at_work[0] = True
    for _ in range(made.PATIENCE):
        gone = _cyclic_garbage()
        made.check()
        assert gone() is not None
    gone = _cyclic_garbage()
    made_since = [[] for _ in range(1_000)]  # past Python's own threshold for the youngest objects
    made.check()
    assert gone() is None and made_since, "collected as Python would, once the worker has run a while"
    assert gc.get_freeze_count() == 0, "and nothing frozen while it runs"


def test_anything_frozen_is_collected_in_full_within_a_while_however_little(collector):
    """A dialog open when the figures were frozen lingers, once closed, only until then."""
    made, at_work = collector
    made.FULL_AFTER, made.FULL_EVERY = 1_000_000, 5
    gone = _cyclic_garbage()
    figures = [[] for _ in range(1_500)]
    made.check()  # frozen
    for _ in range(made.FULL_EVERY - 1):
        made.check()
        assert gone() is not None
    made.check()
    assert gone() is None and gc.get_freeze_count() >= len(figures)
