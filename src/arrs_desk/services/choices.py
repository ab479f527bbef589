"""One option of a drop-down list, as every service's form choices offer it (staff, supervision,
programmes, reviews, signatures).

A module of its own, below the services that use it, so one service can offer choices without
importing another: `external_people` needs it, and `staff` (where it was first written, and from
where it is still re-exported) imports `induction`, which imports `external_people`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    value: object
    label: str
    hint: str = ""
