"""A greyed-out control always says why: the one way buttons and actions are enabled and disabled.

A line manager or administrator who finds "New review…" greyed needs to know whether to select
something first, ask the appraiser, or stop looking. `set_enabled_with_reason` disables a button
or action with the reason as its tooltip, status-bar tip and screen-reader description, and puts
its own tips back when it is enabled again. Refusals by the permission policy use the policy's
own words (`why_not`), so the screen and the service's message agree.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from arrs_desk.domain.permissions import Action, Relationship, denial

ENABLED_TIP = "enabledToolTip"
"""Property holding the tooltip a control shows while enabled (kept the first time it is disabled)."""
ENABLED_STATUS = "enabledStatusTip"
ENABLED_DESCRIPTION = "enabledAccessibleDescription"
REASON = "disabledReason"
"""Property holding the reason shown while the control is disabled (empty while enabled)."""


def set_enabled_with_reason(control: QWidget | QAction, enabled: bool, why: str, *, tip: str | None = None) -> None:
    """Enable `control`, or disable it saying `why` in its tooltip and status tip. `tip` replaces
    the tooltip it shows while enabled (otherwise the one it had before it was first disabled)."""
    if control.property(ENABLED_TIP) is None:  # first time here: what it shows while enabled
        control.setProperty(ENABLED_TIP, _own_tip(control, control.toolTip()))
        control.setProperty(ENABLED_STATUS, control.statusTip())
        if isinstance(control, QWidget):
            control.setProperty(ENABLED_DESCRIPTION, control.accessibleDescription())
    if tip is not None:
        control.setProperty(ENABLED_TIP, tip)
    enabled = bool(enabled)
    if not enabled and not why.strip():
        raise ValueError(f"'{_name(control)}' is disabled without a reason")
    control.setEnabled(enabled)
    reason = "" if enabled else why.strip()
    control.setProperty(REASON, reason)
    control.setToolTip(reason or control.property(ENABLED_TIP) or "")
    control.setStatusTip(reason or control.property(ENABLED_STATUS) or "")
    if isinstance(control, QWidget):
        control.setAccessibleDescription(reason or control.property(ENABLED_DESCRIPTION) or "")


def _own_tip(control, tooltip: str) -> str:
    """An action with no tooltip of its own reports its text as one; keep only a real tooltip."""
    if isinstance(control, QAction) and tooltip == control.text().replace("&", "").replace("…", "..."):
        return ""
    return tooltip


def _name(control) -> str:
    return control.text() if hasattr(control, "text") and control.text() else control.objectName() or type(control).__name__


def disabled_reason(control: QWidget | QAction) -> str:
    """The reason a control shows while disabled ('' when enabled or never disabled this way)."""
    return control.property(REASON) or ""


def why_not(action: Action, *, on_self: bool = False) -> str:
    """The permission policy's own words for refusing `action` (to the person themself when
    `on_self`): the same sentence the service gives if the action is tried anyway."""
    return denial(frozenset(), action, Relationship(is_self=on_self)) or ""


def first_reason(*checks: tuple[bool, str], otherwise: str) -> str:
    """The reason of the first check that holds, else `otherwise`: e.g. "select a row first"
    before "only the appraiser can sign"."""
    return next((why for holds, why in checks if holds), otherwise)
