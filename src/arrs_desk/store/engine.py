"""One open database, SQLite file or PostgreSQL URL: its engine, short sessions, and what a busy
or damaged database means to the person waiting.

Kept apart from `database.open_database`, which checks, backs up and upgrades a database on the
way in: `migrate` and `backup` work on an open `Database` and are themselves used by that opening
step, so the class all three share lives here, below them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine

from arrs_desk.errors import DatabaseBusy, DatabaseDamaged, DatabaseProblem, DatabaseReplaced, DatabaseUnwritable
from arrs_desk.paths import make_private, private_folder
from arrs_desk.store import read_beside
from arrs_desk.store.audit_chain import AUDITED, head_for_reader  # importing it links every new audit entry into the hash chain
from arrs_desk.store.cipher import DatabaseKey
from arrs_desk.store.schema import SchemaState

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another copy of the app to finish before saying the database is busy."""

_CHANGES_READ_ONE_BY_ONE = 500
"""`changes_between` reads at most this many audit entries; past it, every figure is read afresh."""


def to_url(target: str | os.PathLike[str]) -> str:
    """Accept a plain file path as well as a SQLAlchemy URL."""
    target = os.fspath(target)
    if "://" in target:
        url = make_url(target)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(target).expanduser().resolve()}"


class Database:
    """One open database. Sessions are short: one per service call.

    `busy_timeout_ms`: how long a write waits for another copy of the app before giving up.
    `key`: the SQLCipher key of an encrypted SQLite file (`cipher`); None for a plain one.
    """

    def __init__(self, url: str, *, echo: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 key: DatabaseKey | None = None):
        self.url = url
        self.echo = echo
        self.busy_timeout_ms = busy_timeout_ms
        self.is_sqlite = url.startswith("sqlite")
        self.path: Path | None = None
        if self.is_sqlite:
            database = make_url(url).database
            if database and database != ":memory:":
                self.path = Path(database)
                _create_private_file(self.path)
        self.key = key if self.is_sqlite else None
        self._build_engines()
        self.unguarded: list[str] = []  # audit guard triggers found missing on open and not put back
        self.open_marker = None  # `open_marker.OpenMarker` of a file opened by `open_database`
        self.checked = not self.is_sqlite  # whether SQLite's whole-file check has passed since opening
        self._writes = 0  # writes committed through this object: part of `change_mark`
        self._writing = 0  # writes under way through this object (`read_beside`)
        self._writing_lock = threading.Lock()
        self._unscoped_write = 0  # the last of them that left no audit entry (`changes_between`)
        self._unit = threading.local()  # the session of the `one_read` running on each thread

    def _build_engines(self) -> None:
        self._identity = _file_identity(self.path)
        self.engine: Engine = _make_engine(self.url, echo=self.echo, busy_timeout_ms=self.busy_timeout_ms,
                                           key=self.key)
        self._write_engine = (
            self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE") if self.is_sqlite else self.engine
        )
        # A server's reads need no transaction around them: at READ COMMITTED each statement sees
        # its own moment either way, and BEGIN and ROLLBACK were two round trips per page across sites.
        self._read_engine = (
            self.engine if self.is_sqlite else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._snapshot_engine = (
            self.engine if self.is_sqlite else self.engine.execution_options(isolation_level="REPEATABLE READ")
        )
        self.read_ahead = None
        if not self.is_sqlite:  # a server across the network: a page's reads sent together
            from arrs_desk.store.read_ahead import ReadAhead  # here: psycopg stays out of a SQLite start

            self.read_ahead = ReadAhead(self.engine)

    @property
    def is_encrypted(self) -> bool:
        return self.key is not None

    def change_key(self, new_key: DatabaseKey | None):
        """Re-encrypt the file under `new_key` (None: decrypt it) and carry on with the new engine.

        Every session must be finished: the engine is closed for the conversion, and the same
        `Database` (which every service holds) then reads the converted file."""
        from arrs_desk.store.cipher_convert import convert_file

        assert self.path is not None, "only a SQLite file can be encrypted"
        self.engine.dispose()
        try:
            converted = convert_file(self.path, self.key, new_key)
        except BaseException:
            self._build_engines()  # the file is as it was: carry on with the old key
            raise
        self.key = new_key
        self._build_engines()
        self._writes += 1
        self._unscoped_write = self._writes
        return converted

    @property
    def display_name(self) -> str:
        if self.path:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    # --- sessions -----------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; inside `one_read` on this thread, that one's session."""
        shared = getattr(self._unit, "session", None)
        if shared is not None:
            reader = getattr(self._unit, "reader", None)
            if reader is not None:  # the page's first statement: the change mark, with its reader's account checked
                head = ("head", head_for_reader(shared.connection(), reader))
                self._unit.reader, self._unit.head = None, head
            yield shared
            return
        with Session(self._read_engine, expire_on_commit=False, info={"reading": True}) as session:
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A session that reads the database as of one moment throughout, for a long read that must
        agree with itself (walking the audit chain against its head while others save): on
        PostgreSQL a REPEATABLE READ transaction, on SQLite a read transaction, as every read is."""
        with Session(self._snapshot_engine, expire_on_commit=False, info={"reading": True}) as session:
            yield session

    @contextmanager
    def one_read(self, name: str | None = None, subject: int | None = None,
                 reader: tuple[int, frozenset[str], int | None] | None = None) -> Iterator[None]:
        """Every `read` on this thread within it shares one session: a page that asks several
        services opens one session (on SQLite one transaction, so one consistent snapshot; on a
        PostgreSQL server one connection, with no transaction round trips at all).
        Writes still take their own session. Nested use joins the outer one. `name`: the page,
        whose statements a PostgreSQL server is sent together next time (`store.read_ahead`);
        `subject`: the person a read about one person is about; `reader`: (account id, roles,
        staff id) of the person it is read for, checked as a save checks its writer before the
        first statement reads anything (`audit_chain.head_for_reader`), in the statement that
        reads the change mark: a window whose account may no longer work is refused (`SessionEnded`)."""
        if getattr(self._unit, "session", None) is not None:
            yield
            return
        with Session(self._read_engine, expire_on_commit=False, info={"reading": True}) as session:
            # The writes counted before this read's first statement: on SQLite its snapshot holds
            # them all, and perhaps more; a mark naming a write the snapshot may not hold would let
            # figures read from before it be kept as if after it (`change_mark`).
            self._unit.session, self._unit.writes, self._unit.reader = session, self._writes, reader
            _keep_what_is_loaded(session)
            try:
                if self.read_ahead is None:
                    yield
                else:
                    with self.read_ahead.page(name, subject):
                        yield
            finally:
                read_beside.finish(session)
                self._unit.session = self._unit.head = self._unit.writes = self._unit.reader = None

    def start_beside(self, statement, params: dict | None = None) -> None:
        """Start a read of the page read on this thread on a connection of its own, to overlap the
        page's other work (`store.read_beside`); `read_beside.rows` then hands its rows over. Only
        on SQLite, only inside a `one_read`: anywhere else, nothing is started and `rows` reads."""
        session = getattr(self._unit, "session", None)
        if not self.is_sqlite or session is None:
            return
        _, (_, head) = self.change_mark()  # the page's snapshot has begun, with this head
        read_beside.start(session, self.engine, statement, params, head=head, writes=self._unit.writes,
                          counts=lambda: (self._writing, self._writes))

    def reading_afresh(self, variant: str = "", subject: int | None = None) -> None:
        """A figure of the page read on this thread is being worked out afresh, not kept: on a
        PostgreSQL server, the statements the page ran last time it did so (for the same `variant`
        and, given a `subject`, with that person in place of the last one) are sent now, together."""
        session = getattr(self._unit, "session", None)
        if self.read_ahead is not None and session is not None:
            self.read_ahead.afresh(session.connection().connection.dbapi_connection, variant, subject)

    def rows_together(self, session: Session, *statements) -> list[list[tuple]]:
        """Each SELECT's rows, as plain tuples. On a PostgreSQL server they are sent in one
        pipeline (`read_ahead.rows_in_one_pipeline`): one round trip for reads that do not depend
        on one another, where each would otherwise cost one (the staff list's four, on every start
        across sites). Here, not in a page's read-ahead, because a first read has nothing to send."""
        if self.read_ahead is None:
            return [[tuple(row) for row in session.execute(statement)] for statement in statements]
        from arrs_desk.store.read_ahead import rows_in_one_pipeline

        return rows_in_one_pipeline(session.connection(), statements)

    def change_mark(self) -> tuple:
        """What must be unchanged for a figure read earlier to still be true: the writes committed
        through this object and, for saves made elsewhere (another PC, the command line, a restored
        backup), the head of the audit chain, which every audited write moves. One small read."""
        head = getattr(self._unit, "head", None)  # read once per `one_read`: one round trip per page, not per figure
        if head is None:
            with self.read() as session:
                head = getattr(self._unit, "head", None)  # read just now, with the reader's check (`one_read`)
                if head is None:
                    found = session.execute(text("SELECT seq, entry_hash FROM audit_chain_head WHERE id = 1")).first()
                    head = ("head", None if found is None else tuple(found))
            if getattr(self._unit, "session", None) is not None:
                self._unit.head = head
        writes = getattr(self._unit, "writes", None)  # in a `one_read`: those counted before it began
        return (self._writes if writes is None else writes), head

    def changes_between(self, old: tuple, new: tuple) -> tuple[tuple[str, str, int | None], ...] | None:
        """What was saved between two `change_mark`s, as the audit trail records it: (entity type,
        action, whose record) per entry, oldest first. None when the trail cannot tell: a write
        through this object that left no audit entry, a chain that moved back or was replaced (a
        restore), or more entries than it is worth reading one by one."""
        (old_writes, (_, old_head)), (new_writes, (_, new_head)) = old, new
        if new_writes < old_writes or self._unscoped_write > old_writes or old_head is None or new_head is None:
            return None
        if old_head == new_head:
            return ()
        (old_seq, old_hash), (new_seq, _) = old_head, new_head
        if not 0 < new_seq - old_seq <= _CHANGES_READ_ONE_BY_ONE:
            return None
        with self.read() as session:
            rows = session.execute(text(
                "SELECT chain_seq, entry_hash, entity_type, action, subject_staff_id FROM audit_entry "
                "WHERE chain_seq >= :old AND chain_seq <= :new ORDER BY chain_seq"),
                {"old": old_seq, "new": new_seq}).all()
        if [row[0] for row in rows] != list(range(old_seq, new_seq + 1)) or rows[0][1] != old_hash:
            return None  # not the chain the old mark was read from
        return tuple((row[2], row[3], row[4]) for row in rows[1:])

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and leaves nothing behind on any error."""
        self._check_same_file()
        with self._writing_lock:
            self._writing += 1
        try:
            with Session(self._write_engine, expire_on_commit=False, info={_WRITING: True}) as session:
                done = committed = quiet = False
                try:
                    with session.begin():
                        yield session
                        done = True  # the caller's work is done: leaving the block commits it
                        session.flush()  # what the commit would write first, audit entries linked
                        quiet = not session.info.get(AUDITED) and not _wrote_rows(session)
                    committed = True
                finally:
                    self._writes += 1  # committed or not: a figure read meanwhile is read again
                    if done and not (committed and (session.info.get(AUDITED) or quiet)):
                        self._unscoped_write = self._writes  # no audit entry says what changed
        except OperationalError as exc:
            if _is_busy(exc):
                raise DatabaseBusy(
                    "Another copy of ARRS Desk is saving to this database and did not finish within "
                    f"{self.busy_timeout_ms / 1000:g} seconds. Nothing was saved; please try again."
                ) from exc
            unwritable = storage_refusal(exc.orig, self.display_name)
            if unwritable is None and self.path is not None and "unable to open" in str(exc.orig).lower() \
                    and not os.access(self.path.parent, os.W_OK):  # no room to make the journal beside it
                unwritable = storage_refusal(PermissionError(13, "read-only folder"), self.display_name)
            if unwritable:
                raise DatabaseUnwritable(unwritable) from exc
            raise
        except DBAPIError as exc:  # PostgreSQL: a read-only transaction is an InternalError
            unwritable = storage_refusal(exc.orig, self.display_name)
            if unwritable:
                raise DatabaseUnwritable(unwritable) from exc
            raise
        finally:
            with self._writing_lock:  # after `_writes` has counted it (`read_beside`)
                self._writing -= 1

    def _check_same_file(self) -> None:
        """Refuse to write into a file that was swapped for another since it was opened (encryption
        turned on or off, or a restore, by another copy of the app): the writes would be lost."""
        if self._identity is not None and _file_identity(self.path) not in (self._identity, None):
            raise DatabaseReplaced(
                f"{self.display_name} was replaced since you opened it (another copy of ARRS Desk turned its "
                "encryption on or off, or restored a backup). Nothing was saved. Close ARRS Desk and open it again.")

    # --- schema -------------------------------------------------------------------------
    def schema_state(self) -> SchemaState:
        try:
            with self._read_engine.connect() as conn:  # on a server, no BEGIN and ROLLBACK around it
                try:
                    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                    return SchemaState(revision, True)
                except SQLAlchemyError:
                    conn.rollback()
                has_tables = bool(inspect(conn).get_table_names())
                return SchemaState(None, has_tables)
        except SQLAlchemyError as exc:
            if self.path is not None and self.path.is_file() and not os.access(self.path.parent, os.W_OK):
                raise DatabaseProblem(  # not damaged: SQLite cannot make its working files beside it
                    f"Cannot open {self.display_name}: the folder {self.path.parent} is read-only here, and ARRS "
                    "Desk needs to make its working files beside the database. Ask whoever looks after the "
                    "computer for write access to the folder, or copy the database to a folder you can write "
                    "to.") from exc
            problem = DatabaseDamaged if self.is_sqlite else DatabaseProblem
            raise problem(f"Cannot read {self.display_name}: {_reason(exc)}") from exc

    def integrity_problem(self) -> str | None:
        """SQLite's own check of the file; PostgreSQL looks after itself."""
        if not self.is_sqlite:
            return None
        try:
            with self.engine.connect() as conn:
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
        except SQLAlchemyError as exc:
            return _reason(exc)
        return None if rows == ["ok"] else "; ".join(rows[:5])

    def dispose(self) -> None:
        """Done with the database: its connections closed and, for a file, the mark that it is open
        taken away (`open_marker`), so the next open knows this use ended cleanly."""
        self.engine.dispose()
        self._writes += 1  # a restore follows a dispose: nothing read before it holds
        self._unscoped_write = self._writes
        if self.open_marker is not None:
            self.open_marker.release()
            self.open_marker = None


_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001"})
"""PostgreSQL: lock wait timed out, deadlock, serialisation failure. Each means "try again"."""


def _is_busy(exc: OperationalError) -> bool:
    if getattr(exc.orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    text_ = str(exc.orig).lower()
    return "locked" in text_ or "busy" in text_


_FULL_SQLSTATES = frozenset({"53100", "53200"})
"""PostgreSQL: disk full, out of memory."""
_READ_ONLY_SQLSTATES = frozenset({"25006"})
"""PostgreSQL: read-only transaction (a standby server, or default_transaction_read_only)."""


def storage_refusal(error: BaseException | None, where: str) -> str | None:
    """What to tell someone when a save failed because of the storage (read-only, full disk); None
    for any other error. Shared by sessions, backups and restores, which meet the same faults."""
    text_ = str(error).lower()
    sqlstate = getattr(error, "sqlstate", None)
    errno_ = getattr(error, "errno", None)
    if sqlstate in _READ_ONLY_SQLSTATES or "readonly" in text_ or "read-only" in text_ or errno_ in (13, 30):
        return (f"{where} is read-only here (the file, or the folder it is in, cannot be written). "
                "Nothing was saved. Ask whoever looks after the computer to give you write access, "
                "or open a copy you can write to.")
    if sqlstate in _FULL_SQLSTATES or "disk is full" in text_ or "disk full" in text_ or errno_ == 28:
        return (f"The disk holding {where} is full. Nothing was saved and nothing was lost: free some "
                "space and try again.")
    return None


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


def _file_identity(path: Path | None) -> tuple[int, int] | None:
    try:
        stat = os.stat(path) if path is not None else None
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino) if stat is not None and stat.st_ino else None


def _create_private_file(path: Path) -> None:
    """Create a new database file readable by its owner only; staff records are personal data."""
    if path.exists():
        return
    private_folder(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    make_private(path)  # the umask may only narrow the mode; this says it outright


def _uses_network_share(path: Path | None) -> bool:
    """WAL needs shared memory, which network file systems do not give; fall back there."""
    return path is not None and str(path).startswith(("\\\\", "//"))


_WRITING = "writing"
"""A session opened by `Database.write`."""
_CHANGES_BEFORE = "rows_changed_before"
"""On SQLite, how many rows the connection had changed when the write transaction began."""


@event.listens_for(Session, "after_begin")
def _note_rows_changed_before(session, _transaction, connection) -> None:  # noqa: ANN001
    if session.info.get(_WRITING) and _CHANGES_BEFORE not in session.info:
        session.info[_CHANGES_BEFORE] = (
            connection.connection.dbapi_connection.total_changes if connection.dialect.name == "sqlite" else None)


def _wrote_rows(session: Session) -> bool:
    """Whether a write transaction, flushed and about to commit, changed any row: a save that turned out to
    change nothing (a record saved as it was) is then not taken as a change nobody can name, which
    would have every figure worked out afresh (`Database.changes_between`). SQLite counts the rows
    each connection changes; PostgreSQL gives a transaction an id only once it writes."""
    if _CHANGES_BEFORE not in session.info:
        return False  # not one statement was run
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return connection.connection.dbapi_connection.total_changes != session.info[_CHANGES_BEFORE]
    return session.execute(text("SELECT txid_current_if_assigned() IS NOT NULL")).scalar_one()


@event.listens_for(Session, "before_flush")
def _refuse_writes_when_reading(session, _context, _instances) -> None:  # noqa: ANN001
    """A read session writes nothing: on SQLite its changes would be rolled back unseen, on a
    server (no transaction around reads) kept at once; either way a bug, stopped where it starts."""
    if session.info.get("reading") and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a change was made through a read session; save it through `Database.write`")


def _keep_what_is_loaded(session: Session) -> None:
    """Hold every row `session` loads until it is closed. SQLAlchemy's identity map forgets a row
    nobody holds, so when the services a page asks each read the same person (`session.get`: an
    appraisal pack read one staff row eleven times) each read went to the database again; held,
    a second `get` of a row is answered from memory, on a server across sites without a round trip."""
    held = session.info.setdefault("held", [])
    event.listen(session, "loaded_as_persistent", lambda _session, instance: held.append(instance))


def _make_engine(url: str, *, echo: bool, busy_timeout_ms: int, key: DatabaseKey | None = None) -> Engine:
    # hide_parameters: a failed statement's values (a password hash, a private note) never reach an
    # exception message, and so never the crash log or an error dialog.
    if url.startswith("sqlite"):
        path = make_url(url).database
        journal = "DELETE" if _uses_network_share(Path(path) if path else None) else "WAL"
        extra = {}
        if key is not None:
            from arrs_desk.store.cipher import _cipher

            extra["module"] = _cipher()  # SQLCipher's build of SQLite, only for an encrypted file
        engine = create_engine(url, echo=echo, hide_parameters=True, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}, **extra)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # noqa: ANN001
            # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
            dbapi_connection.isolation_level = None
            if key is not None:  # the key comes before anything else reads the file
                from arrs_desk.store.cipher import unlock

                unlock(dbapi_connection, key, path or "the database")
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA journal_mode = {journal}")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # noqa: ANN001
            conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

        return engine
    # A write waiting on a row another PC holds gives up as SQLite's busy timeout does, instead of hanging.
    # use_native_hstore=False: no column is an hstore, so the look-up of that type on connecting
    # (one more round trip before the first read) is left out.
    engine = create_engine(url, echo=echo, hide_parameters=True, use_native_hstore=False,
                           connect_args={"options": f"-c lock_timeout={busy_timeout_ms}"})
    _ping_after_idle(engine)
    return engine


IDLE_PING_SECONDS = 30.0
"""A pooled PostgreSQL connection idle longer than this is pinged before it is used again.

SQLAlchemy's `pool_pre_ping` pings on every checkout: one more network round trip for every
session, which on a shared server across sites (20 ms away) is a page's worth of waiting spread
over its reads. A connection used a moment ago is alive; one left idle (a PC away from the desk,
a server restarted, a firewall dropping quiet connections) may not be, and is checked first."""

_IDLE_SINCE = "arrs_idle_since"
"""Key in a pooled connection's `info`: when (`time.monotonic`) it was last returned to the pool."""


def _ping_after_idle(engine: Engine) -> None:
    """SQLAlchemy's pessimistic disconnect handling, only after an idle spell: a dead connection
    raises `DisconnectionError`, and the pool then opens a new one, unseen by the caller."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since <= IDLE_PING_SECONDS:
            return  # a new connection, or one used a moment ago
        record.info.pop(_IDLE_SINCE, None)
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the pooled connection was dead after an idle spell") from exc
