"""Home's figures worked out in the background as soon as someone is signed in.

Home counts what most pages show (supervision, training, reviews, the contract checks,
revalidation, check-ins), and working that out the first time is the slowest read in the app:
about a second at 5,000 staff, more on a server across sites. Worked out while the person is still
looking at the staff list, Home, Assurance, Supervision, Training and Reviews then open from figures
already kept (`services.shared_reads`; Home counts reviews due and training statuses without the
Reviews and Training pages' rows, so those are read next), and a page opened while the work is
still going waits for it rather than doing it again beside it. For a PCN of a hundred staff it is
a few tens of milliseconds; nothing is shown, and an error is left for the page itself to report
when opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from arrs_desk.ui.common.operation import Operation

log = logging.getLogger(__name__)

READ_NAME = "Home figures, ahead"
"""The read's name for a PostgreSQL server's read-ahead (`store.read_ahead`)."""


def work_out_home_ahead(parent, workspace, actor, *, then: Callable[[], object] | None = None) -> Operation | None:
    """Start working out `actor`'s Home figures in a worker, calling `then` once they are ready;
    None if nobody is signed in."""
    if workspace is None or actor is None:
        return None
    from arrs_desk.services.dashboard import DashboardService

    def failed(error: Exception) -> None:
        log.info("Home's figures were not worked out ahead (%s); Home reads them when opened", type(error).__name__)

    def ahead(w):
        dashboard = DashboardService(w).attention(actor)
        # Home counts these without the pages' rows (reviews due, training statuses): read them next.
        w.reviews.due(actor)
        w.training.matrix(actor)
        return dashboard

    operation = Operation(parent, lambda ws: ws.read_at_once(ahead, READ_NAME), workspace=workspace).failure(failed)
    if then is not None:
        operation.success(lambda _dashboard: then())
    operation.run_in_background(busy_cursor=False)
    return operation
