"""The audit trail as a hash chain: each entry carries a hash of its content and of the entry before.

Why: the append-only triggers stop the app and casual SQL from changing the trail, but someone
with the database file (or the PostgreSQL owner's password) can drop them. The chain makes such a
change show: `verify` walks it and names the first entry where it breaks (content changed after it
was written, an entry missing, an entry added behind the app's back, the trail emptied).

How entries are linked: every new `AuditEntry` in a session is linked just before it is flushed
(`before_flush`, so in the same transaction as the change it records), and `link_values` links the
plain rows `audit.record_many` inserts in one statement. The writer first takes the one-row chain
head (`FOR UPDATE` on PostgreSQL; SQLite's write transactions are already one at a time), so two
PCs saving at once queue and the chain stays one line; a unique index on the position makes a
fork impossible even if that were bypassed.

The hash: SHA-256 over canonical JSON (sorted keys, no spaces, times as UTC
`YYYY-MM-DDTHH:MM:SS.ffffff`) of the position, the previous hash and every column but the id.
Entries written before migration 0012 have no links; the chain's first entry records how many
there were and a digest of them, so they are covered too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session as OrmSession

from arrs_desk import clock
from arrs_desk.domain.accounts import left_on
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.domain.staff import StaffStatus, effective_status
from arrs_desk.errors import SessionEnded
from arrs_desk.store.models import AuditChainHead, AuditEntry, Staff, UserAccount

GENESIS = "0" * 64
"""The previous hash of the chain's first entry."""

CHAIN_START_ACTION = "chain_start"
AUDITED = "audit_linked"
"""Set in a session's `info` once it has linked an audit entry: the write left a record of what it
changed (`Database.changes_between` reads those records to tell which people a save touched)."""
WRITER = "audit_writer"
"""Key in a session's `info`: (account id, roles, staff id signed in with) of whoever records the entries,
set by `services.audit`. Taking the head checks that account in the same statement: see `_take_head`."""
ACCOUNT_CHANGED = ("Your account was changed after you signed in (it was turned off, a role was taken away, or it was "
                   "linked to another staff record), so "
                   "this was not saved. Sign in again to carry on with the access you have now.")
"""Said on a save from a window signed in before the change (`_check_writer`); the window then locks
(`SessionEnded`), so signing in again is the next thing it offers, with the account as it is now."""
LEFT_TEXT = ("Your staff record says you left{when}, so this account can no longer save changes and this was not "
             "saved. If you have come back, ask an administrator to update your staff record.")
"""Said to a window signed in before its holder's last day, on their first save after it (`_check_writer`)."""
ACCOUNT_CHANGED_READING = ("Your account was changed after you signed in (it was turned off, a role was taken away, or "
                           "it was linked to another staff record), so this page was not shown. Sign in again to "
                           "carry on with the access you have now.")
LEFT_TEXT_READING = ("Your staff record says you left{when}, so this account can no longer be used and this page was "
                     "not shown. If you have come back, ask an administrator to update your staff record.")
"""The same two refusals on a page's read (`head_for_reader`)."""
CONTENT_FIELDS = ("at", "user_id", "actor_name", "action", "entity_type", "entity_id", "subject_staff_id",
                  "summary", "changes")


# ============================================================================ hashing
def _canonical_time(value: Any) -> str:
    if isinstance(value, str):  # a raw SQLite read
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _canonical_json(value: Any) -> Any:
    """What the JSON column gives back: keys as text, tuples as lists."""
    if isinstance(value, str):
        value = json.loads(value)
    return json.loads(json.dumps(value if value is not None else {}))


def canonical(values: Mapping[str, Any], seq: int | None, prev_hash: str | None) -> bytes:
    content = {name: values.get(name) for name in CONTENT_FIELDS}
    content["at"] = _canonical_time(values["at"])
    content["changes"] = _canonical_json(values.get("changes"))
    content["entity_id"] = str(content["entity_id"] or "")
    content["summary"] = content["summary"] or ""
    content["seq"], content["prev_hash"] = seq, prev_hash
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(values: Mapping[str, Any], seq: int | None, prev_hash: str | None) -> str:
    return hashlib.sha256(canonical(values, seq, prev_hash)).hexdigest()


def digest_of_unlinked(rows: Iterable[Mapping[str, Any]]) -> str:
    """One hash over entries written before the chain began (id order, ids included)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(str(row["id"]).encode() + b":" + canonical(row, None, None) + b"\n")
    return digest.hexdigest()


# ============================================================================ linking
def _take_head(connection, writer: tuple[int, frozenset[str], int | None] | None = None) -> tuple[int, str]:  # noqa: ANN001
    """The last link, locked for this transaction; re-made from the entries if the row is gone.

    It also checks the writer's account, in the same statement: permission checks use the roles
    read at sign-in, and on a database several PCs share, an administrator turning an account off
    (or taking a role away) on one PC did nothing to the session open on another, which could still
    make itself a new administrator. The staff link is checked too: who the account is decides
    whose records it manages, supervises or may read as its own, so a session opened while the
    account was linked to a line manager went on managing that team after it was unlinked. So is
    the linked staff record's last day: sign-in is refused from the day after it, and a window
    signed in before went on saving with every right the account had. Every audited write takes the
    head once per transaction, so the check costs no round trip, and a refusal leaves nothing written."""
    head = AuditChainHead.__table__
    query = select(head.c.seq, head.c.entry_hash).where(head.c.id == 1) if writer is None else _head_with(writer)
    if connection.dialect.name != "sqlite":
        query = query.with_for_update(of=head)
    row = connection.execute(query).first()
    if row is None:
        if writer is not None:
            _check_writer(connection, writer, connection.execute(_account_of(writer)).first())
        last = connection.execute(select(AuditEntry.chain_seq, AuditEntry.entry_hash)
                                  .where(AuditEntry.chain_seq.is_not(None))
                                  .order_by(AuditEntry.chain_seq.desc()).limit(1)).first()
        seq, last_hash = (int(last[0]), str(last[1])) if last else (0, GENESIS)
        connection.execute(head.insert().values(id=1, seq=seq, entry_hash=last_hash))
        return seq, last_hash
    if writer is not None:
        _check_writer(connection, writer, row[2:])
    return int(row[0]), str(row[1])


def _writer_columns() -> list:
    """What `_check_writer` reads of the writer's account and its linked staff record."""
    account, staff = UserAccount.__table__, Staff.__table__
    return [account.c.active, account.c.roles, account.c.staff_id, staff.c.status, staff.c.start_date,
            staff.c.end_date]


def _head_with(writer: tuple[int, frozenset[str], int | None]):  # noqa: ANN202
    """The head's row, with the writer's account and staff record beside it: one statement."""
    head, account, staff = AuditChainHead.__table__, UserAccount.__table__, Staff.__table__
    return (select(head.c.seq, head.c.entry_hash, *_writer_columns())
            .select_from(head.outerjoin(account, account.c.id == writer[0])
                         .outerjoin(staff, staff.c.id == account.c.staff_id)).where(head.c.id == 1))


def _account_of(writer: tuple[int, frozenset[str], int | None]):  # noqa: ANN202
    """The writer's account alone, for when the head's row is gone."""
    account, staff = UserAccount.__table__, Staff.__table__
    return (select(*_writer_columns()).select_from(account.outerjoin(staff, staff.c.id == account.c.staff_id))
            .where(account.c.id == writer[0]))


def _check_writer(connection, writer: tuple[int, frozenset[str], int | None], account, *,  # noqa: ANN001
                  reading: bool = False) -> None:
    """Refuse an account that is gone, turned off, without a role it signed in with, or linked to
    another staff record (or none) than when it signed in; and one whose staff record says its
    holder has left, as signing in does (`AccountService._leaver_notice`), with its one exception:
    while no other administrator is in post, an administrator who has left may still act.
    `reading`: the check of a page's read (`head_for_reader`), which says so."""
    if (account is None or account[0] is None or not account[0] or not writer[1] <= set(account[1] or ())
            or account[2] != writer[2]):
        # The window locks: signing in again gives the access the account has now.
        raise SessionEnded(ACCOUNT_CHANGED_READING if reading else ACCOUNT_CHANGED)
    status, start, end = account[3:6]
    if status is None:
        return
    today = clock.today()
    if effective_status(status, start, end, today) is StaffStatus.LEFT and not (
            AccessRole.ADMINISTRATOR.value in (account[1] or ()) and not admins_in_post(connection, writer[0], today)):
        raise SessionEnded((LEFT_TEXT_READING if reading else LEFT_TEXT).format(when=left_on(end, today)))


def head_for_reader(connection, reader: tuple[int, frozenset[str], int | None]) -> tuple | None:  # noqa: ANN001
    """The head as `Database.change_mark` reads it (None when its row is gone), read with a check of
    the account a page is read for, in the same statement: the check every save makes
    (`_check_writer`), so a window whose holder has left, or whose account was turned off or
    changed, stops showing pages as it stops saving, and locks. No extra round trip for a page
    that asks for the change mark (most do): the mark uses the head read here."""
    row = connection.execute(_head_with(reader)).first()
    if row is None:
        _check_writer(connection, reader, connection.execute(_account_of(reader)).first(), reading=True)
        return None
    _check_writer(connection, reader, row[2:], reading=True)
    return tuple(row[:2])


def admins_in_post(connection, user_id: int, today) -> int:  # noqa: ANN001
    """Other active administrators whose staff record (if linked) does not say they have left on
    `today`. `connection`: a Connection or a Session."""
    count = 0
    for roles, status, start, end in connection.execute(
            select(UserAccount.roles, Staff.status, Staff.start_date, Staff.end_date)
            .outerjoin(Staff, Staff.id == UserAccount.staff_id)
            .where(UserAccount.active, UserAccount.id != user_id)):
        if AccessRole.ADMINISTRATOR.value in roles and (
                status is None or effective_status(status, start, end, today) is not StaffStatus.LEFT):
            count += 1
    return count


def _move_head(connection, seq: int, last_hash: str) -> None:  # noqa: ANN001
    connection.execute(text("UPDATE audit_chain_head SET seq = :s, entry_hash = :h WHERE id = 1"),
                       {"s": seq, "h": last_hash})


_HELD = "audit_chain_head_held"
"""Key in a session's `info`: the head as this transaction last moved it. The head row is this
transaction's until it ends (locked on PostgreSQL; SQLite writes one transaction at a time), so a
transaction that links entries at many flushes (a batch, the demo) reads it once, not per flush:
one round trip fewer per flush across sites. Forgotten when any transaction or savepoint of the
session ends, since a savepoint rolled back takes its entries and its move of the head with it."""


def _held_head(session: OrmSession, connection) -> tuple[int, str]:  # noqa: ANN001
    held = session.info.get(_HELD)
    return held if held is not None else _take_head(connection, session.info.get(WRITER))


def _moved_head(session: OrmSession, connection, seq: int, last_hash: str) -> None:  # noqa: ANN001
    _move_head(connection, seq, last_hash)
    session.info[_HELD] = (seq, last_hash)


def check_writer_now(session: OrmSession) -> None:
    """Take (and hold) the head now, with its check of the writer (`WRITER`), rather than when the
    first entry is linked: for a write whose own changes the check would otherwise see, such as a
    new administrator made by the last one in post, who has left (`_check_writer`). No extra round
    trip: the entries this transaction links later use the head held here."""
    if session.info.get(_HELD) is None:
        session.info[_HELD] = _take_head(session.connection(), session.info.get(WRITER))


def forget_held_head(session: OrmSession) -> None:
    """For code that writes the head row other than by linking (re-sealing, loading an export)."""
    session.info.pop(_HELD, None)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_head_at_transaction_end(session: OrmSession, transaction) -> None:  # noqa: ANN001
    if transaction.parent is None or transaction.nested:  # not a flush's own inner bracket
        forget_held_head(session)


def link_values(session: OrmSession, entries: list[dict[str, Any]]) -> None:
    """Give plain entry rows (about to be inserted, in this order) their places in the chain."""
    if not entries:
        return
    session.info[AUDITED] = True
    connection = session.connection()
    seq, last = _held_head(session, connection)
    for values in entries:
        seq += 1
        values["chain_seq"], values["prev_hash"] = seq, last
        values["entry_hash"] = last = entry_hash(values, seq, last)
    _moved_head(session, connection, seq, last)


@event.listens_for(OrmSession, "before_flush")
def _link_new_entries(session: OrmSession, _context, _instances) -> None:  # noqa: ANN001
    new = [obj for obj in session.new if isinstance(obj, AuditEntry) and obj.entry_hash is None]
    if not new:
        return
    session.info[AUDITED] = True
    new.sort(key=lambda obj: sa_inspect(obj).insert_order)  # the order they are inserted in
    connection = session.connection()
    seq, last = _held_head(session, connection)
    for entry in new:
        seq += 1
        entry.chain_seq, entry.prev_hash = seq, last
        entry.entry_hash = last = entry_hash({name: getattr(entry, name) for name in CONTENT_FIELDS}, seq, last)
    _moved_head(session, connection, seq, last)


# ============================================================================ verifying
@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None  # the entry named (None: a missing one)
    position: int | None  # its place in the chain
    reason: str

    def describe(self) -> str:
        where = f"entry {self.entry_id}" if self.entry_id is not None else "an entry"
        at = f" (position {self.position} in the chain)" if self.position is not None else ""
        return f"The audit trail breaks at {where}{at}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int  # links whose hashes were recomputed
    total: int  # links the chain head says there are
    first_break: ChainBreak | None
    quick: bool

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def describe(self) -> str:
        if self.first_break is not None:
            return self.first_break.describe()
        scope = f"the latest {self.checked} of {self.total} entries" if self.quick else f"all {self.total} entries"
        return f"The audit trail is intact: {scope} checked, every link holds."


_COLUMNS = [getattr(AuditEntry, name) for name in ("id", "chain_seq", "prev_hash", "entry_hash", *CONTENT_FIELDS)]


def _row(r) -> dict[str, Any]:  # noqa: ANN001
    return dict(r._mapping)


def verify(session: OrmSession, *, recent: int | None = None) -> ChainReport:
    """Walk the chain (only its latest `recent` links, plus the counts, for the quick check on open)."""
    connection = session.connection()
    head = connection.execute(text("SELECT seq, entry_hash FROM audit_chain_head WHERE id = 1")).first()
    start = connection.execute(select(*_COLUMNS).where(AuditEntry.chain_seq == 1)).first()
    breaks: list[ChainBreak] = []
    if head is None:
        if start is None and not connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one():
            return ChainReport(0, 0, None, bool(recent))  # nothing written yet
        breaks.append(ChainBreak(None, None, "the record of the chain's last link has been removed."))
        head_seq, head_hash = None, None
    else:
        head_seq, head_hash = int(head[0]), str(head[1])
    if start is None:
        return ChainReport(0, head_seq or 0, ChainBreak(
            None, 1, "the chain's first entry is missing: entries have been removed, or the trail emptied."),
            bool(recent))
    before = _canonical_json(start.changes) if start.action == CHAIN_START_ACTION else {}
    last_before = int(before.get("last_id_before", 0))
    # Entries outside the chain after it began were added behind the app's back.
    foreign = connection.execute(select(AuditEntry.id).where(AuditEntry.chain_seq.is_(None),
                                                             AuditEntry.id > last_before)
                                 .order_by(AuditEntry.id).limit(1)).scalar()
    if foreign is not None:
        breaks.append(ChainBreak(foreign, None, "it is not part of the chain: it was added behind the app's back."))
    checked = 0
    if not recent:
        unlinked = [_row(r) for r in connection.execute(
            select(*_COLUMNS).where(AuditEntry.chain_seq.is_(None), AuditEntry.id <= last_before)
            .order_by(AuditEntry.id))]
        if len(unlinked) != before.get("entries_before", 0) or (unlinked and digest_of_unlinked(unlinked) != before.get("digest_before")):
            breaks.append(ChainBreak(unlinked[0]["id"] if unlinked else None, None,
                                     "the entries written before the chain began have been changed or removed."))
        first_seq, prev = 1, GENESIS
    else:
        first_seq = max(1, (head_seq or 0) - recent + 1)
        prev = GENESIS if first_seq == 1 else connection.execute(
            select(AuditEntry.entry_hash).where(AuditEntry.chain_seq == first_seq - 1)).scalar()
        if prev is None:
            breaks.append(ChainBreak(None, first_seq - 1, "this entry is missing."))
        count = connection.execute(select(func.count()).select_from(AuditEntry)
                                   .where(AuditEntry.chain_seq.is_not(None))).scalar_one()
        if head_seq is not None and count != head_seq:
            breaks.append(ChainBreak(None, None, f"the chain should hold {head_seq} entries but holds {count}."))
    expected, last_id = first_seq, None
    result = connection.execution_options(yield_per=2000).execute(
        select(*_COLUMNS).where(AuditEntry.chain_seq >= first_seq).order_by(AuditEntry.chain_seq))
    for r in result:
        row = _row(r)
        if row["chain_seq"] != expected:
            breaks.append(ChainBreak(None, expected, f"this entry is missing (the chain jumps to entry {row['id']} "
                                                     f"at position {row['chain_seq']})."))
            break
        if row["prev_hash"] != prev:
            breaks.append(ChainBreak(row["id"], expected, "it does not follow from the entry before it."))
            break
        if entry_hash(row, expected, prev) != row["entry_hash"]:
            breaks.append(ChainBreak(row["id"], expected, "its content was changed after it was written."))
            break
        checked += 1
        prev, last_id, expected = row["entry_hash"], row["id"], expected + 1
    result.close()
    if head_seq is not None and not any(b.position is not None and b.position < head_seq for b in breaks):
        if expected - 1 < head_seq:
            breaks.append(ChainBreak(None, expected, f"entries from position {expected} to {head_seq} are missing "
                                                     "(the trail was cut short or emptied)."))
        elif expected - 1 > head_seq:
            extra = connection.execute(select(AuditEntry.id).where(AuditEntry.chain_seq == head_seq + 1)).scalar()
            breaks.append(ChainBreak(extra, head_seq + 1, "it was added behind the app's back, after the last "
                                                          "entry the app wrote."))
        elif prev != head_hash:
            breaks.append(ChainBreak(last_id, head_seq, "it is not the last entry the app wrote."))
    return ChainReport(checked, head_seq or 0, _first(breaks), bool(recent))


def _first(breaks: list[ChainBreak]) -> ChainBreak | None:
    """The earliest break: by entry id where named, else by position."""
    if not breaks:
        return None
    return min(breaks, key=lambda b: (b.entry_id if b.entry_id is not None else float("inf"),
                                      b.position if b.position is not None else float("inf")))


# ============================================================================ re-sealing
def reseal(session: OrmSession) -> int | None:
    """Re-link the chain after an erasure the law requires (records retention): entries about an
    erased person lose their content, which breaks their hashes. Every link from the first changed
    entry on is recomputed from the content as it now stands, and the head moves to the new last
    hash (its position does not change). The caller lifts the append-only trigger around this, in
    the erasure's own transaction, and records in the audit trail that it happened and from where.

    Returns the first position re-linked, or None when nothing needed it. A change made behind
    the app's back earlier than the erasure is re-sealed too: verify before erasing (the Records
    retention page runs the check) so that nothing is hidden by it."""
    forget_held_head(session)  # it moves here
    connection = session.connection()
    start = connection.execute(select(*_COLUMNS).where(AuditEntry.chain_seq == 1)).first()
    if start is None:
        return None
    first_changed: int | None = None
    if start.action == CHAIN_START_ACTION:
        before = _canonical_json(start.changes)
        unlinked = [_row(r) for r in connection.execute(
            select(*_COLUMNS).where(AuditEntry.chain_seq.is_(None),
                                    AuditEntry.id <= int(before.get("last_id_before", 0))).order_by(AuditEntry.id))]
        digest = digest_of_unlinked(unlinked) if unlinked else before.get("digest_before")
        if digest != before.get("digest_before") or len(unlinked) != before.get("entries_before", 0):
            before.update(digest_before=digest, entries_before=len(unlinked))
            connection.execute(AuditEntry.__table__.update().where(AuditEntry.id == start.id).values(changes=before))
    prev, seq, last = GENESIS, 0, GENESIS
    rows = [_row(r) for r in connection.execute(select(*_COLUMNS).where(AuditEntry.chain_seq.is_not(None))
                                               .order_by(AuditEntry.chain_seq))]
    for row in rows:
        seq = row["chain_seq"]
        fresh = entry_hash(row, seq, prev)
        if row["prev_hash"] != prev or row["entry_hash"] != fresh:
            first_changed = seq if first_changed is None else first_changed
            connection.execute(AuditEntry.__table__.update().where(AuditEntry.id == row["id"])
                               .values(prev_hash=prev, entry_hash=fresh))
        prev = last = fresh
    if first_changed is not None:
        _move_head(connection, seq, last)
    return first_changed
