"""`ProgrammeService`: preceptorship and training pathways, from enrolling people to signing off.

The rules (due dates moved by pauses, milestone status, the honest progress figure, protected
time owed, why someone is behind) live in `arrs_desk.domain.programmes` and
`arrs_desk.domain.programme_progress`; the service gathers the stored facts for them and writes
changes with a permission check (`guards`), validation of every field and an audit entry, all
in one transaction.

The service is one object for its callers (`Workspace.programmes`), put together from a class
per area of work so each can be read on its own:

* `reading`: the overview, one enrolment's page, the enrolment form's choices;
* `exports`: the completion certificate and the overview as CSV;
* `enrolling`: enrol, change the terms, withdraw;
* `timing`: pauses, extensions, protected time logged;
* `signoff`: milestones held, competencies and their evidence, completion.

They share, from below: `base` (what every area holds), `views` (the shapes handed out),
`records` (the stored facts read for the rules), `guards` (who may, whether still open, whether
a day fits) and `page` (one enrolment's whole view, which every change returns).
"""

from __future__ import annotations

from arrs_desk.services.programmes.enrolling import EnrolmentWriting
from arrs_desk.services.programmes.exports import ProgrammeExports
from arrs_desk.services.programmes.signoff import ProgrammeSignOff
from arrs_desk.services.programmes.timing import ProgrammeTiming


class ProgrammeService(ProgrammeExports, EnrolmentWriting, ProgrammeTiming, ProgrammeSignOff):
    """Enrolments on preceptorship and training programmes, for the workspace's actor-checked calls."""
