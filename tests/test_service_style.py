"""One service style (issue 17): every public method of every service the workspace holds takes
the actor first and everything after it by keyword, so a call reads the same everywhere
(`ws.induction.tick(actor, item_id=..., expected_version=...)`) and an argument cannot slip
into the wrong place. The rule, as docs/architecture.md states it:

* a method that acts for someone: `m(self, actor, *, ...)`;
* a helper another service calls inside its own transaction: `m(self, session, *, ...)` or
  `m(self, session, actor, *, ...)`;
* a method with no actor: keyword-only when it takes more than one argument (one argument may
  stay positional: `set_mode_if_unset(mode)`).

This walks the services reachable from a real `Workspace` (and the services they hold), so a new
service or method is checked without being listed here.
"""

from __future__ import annotations

import inspect

from arrs_desk.services.workspace import Workspace


def _positional(method) -> list[inspect.Parameter]:
    return [p for p in inspect.signature(method).parameters.values()
            if p.name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _allowed(method) -> int:
    params = [p for p in inspect.signature(method).parameters.values() if p.name != "self"]
    names = [p.name for p in params]
    if names[:2] == ["session", "actor"]:
        return 2
    if names[:1] in (["actor"], ["session"]):
        return 1
    return len(params) if len(params) <= 1 else 0


def _service_classes(workspace: Workspace) -> dict[type, str]:
    """Each service class reachable from the workspace, with the path that reaches it."""
    found: dict[type, str] = {}
    todo = [(name, value) for name, value in vars(workspace).items()]
    while todo:
        path, value = todo.pop()
        cls = type(value)
        if not cls.__module__.startswith("arrs_desk.services.") or cls in found or cls is Workspace:
            continue
        if inspect.isfunction(value) or not hasattr(value, "__dict__"):
            continue
        found[cls] = path
        todo.extend((f"{path}.{name}", attr) for name, attr in vars(value).items())
    return found


def _offences(classes: dict[type, str]) -> list[str]:
    offences = []
    for cls, path in classes.items():
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            extra = _positional(method)[_allowed(method):]
            if extra:
                offences.append(f"{path}.{name}: {', '.join(p.name for p in extra)} should be keyword-only")
    return sorted(offences)


def test_every_service_method_is_keyword_only_after_the_actor(tmp_path):
    workspace = Workspace.open(tmp_path / "style.sqlite")
    try:
        classes = _service_classes(workspace)
    finally:
        workspace.close()
    assert len(classes) >= 20, sorted(classes.values())  # the walk found the services
    assert _offences(classes) == []


def test_the_check_catches_a_positional_argument_after_the_actor():
    class Drifted:
        __module__ = "arrs_desk.services.example"

        def good(self, actor, *, staff_id):
            return staff_id

        def bad(self, actor, staff_id, note=""):
            return staff_id, note

        def lone(self, mode):
            return mode

        def pair(self, start, done):
            return start, done

        def in_transaction(self, session, actor, *, rows):
            return rows

    assert _offences({Drifted: "drifted"}) == [
        "drifted.bad: staff_id, note should be keyword-only",
        "drifted.pair: start, done should be keyword-only",
    ]
