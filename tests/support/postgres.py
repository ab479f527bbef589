"""A throwaway PostgreSQL server for the tests.

    url, stop = start_postgres(tmp_path_factory.mktemp("pg"))
    # url == "postgresql+psycopg://arrs@127.0.0.1:PORT/arrs_test"
    fresh = create_database(url, "test_x")        # a new, empty database on the same server
    ...
    stop()                                        # also runs at interpreter exit

The cluster lives in a new directory, listens only on 127.0.0.1 at a free port,
trusts every local connection (user ``arrs``, a superuser) and runs with fsync
off: fast and disposable, never for real data.

As root (CI), initdb refuses to run, so the server runs as the ``postgres`` OS
user through ``runuser`` and its directory is owned by that user. The server
binaries come from /usr/lib/postgresql/<highest version>/bin (Debian/Ubuntu),
then PATH; ARRS_PG_BIN names a directory to use instead.

Cloning is the cheap way to a fresh database per test: migrate one database
once, then ``create_database(url, name, template=that_one)`` copies it
(PostgreSQL refuses while anything is connected to the template, so dispose of
its engines first).
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "ThrowawayPostgres",
    "create_database",
    "drop_database",
    "find_pg_bin",
    "postgres_available",
    "start_postgres",
]

SUPERUSER = "arrs"
DEFAULT_DATABASE = "arrs_test"
OS_USER = "postgres"  # who runs the server when we are root
# Unix socket paths are limited to 107 bytes; ".s.PGSQL.65535" needs 15 of them.
_MAX_SOCKET_DIR = 90


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _version_key(path: str) -> tuple[int, ...]:
    # /usr/lib/postgresql/15/bin -> (15,); sort "9.6" below "10".
    version = Path(path).parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (0,)


def find_pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl, or None."""
    exe = ".exe" if os.name == "nt" else ""
    override = os.environ.get("ARRS_PG_BIN")
    candidates = [override] if override else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    if os.name == "nt":  # the EDB installer's layout
        candidates += sorted(glob.glob(r"C:\Program Files\PostgreSQL\*\bin"), key=_version_key, reverse=True)
    for candidate in candidates:
        directory = Path(candidate)
        if (directory / f"initdb{exe}").is_file() and (directory / f"pg_ctl{exe}").is_file():
            return directory
    return None


def postgres_available() -> str | None:
    """None when start_postgres() can work here, else the reason it cannot."""
    if find_pg_bin() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package"
    if _is_root():
        import pwd

        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"running as root but there is no {OS_USER!r} OS user to run the server as"
        if not shutil.which("runuser"):
            return "running as root but runuser is missing"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reachable_by_others(directory: Path) -> bool:
    """Whether another user can get into `directory` (every ancestor world-searchable)."""
    for part in [directory, *directory.parents]:
        try:
            if not part.stat().st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _conninfo(url: str, database: str | None = None) -> str:
    """A libpq URI from a SQLAlchemy URL, optionally for another database."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]  # "postgresql+psycopg" -> "postgresql"
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((scheme, parts.netloc, path, parts.query, parts.fragment))


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _admin_execute(url: str, sql: str) -> None:
    """Run one statement in autocommit (CREATE/DROP DATABASE refuse transactions)."""
    import psycopg

    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def create_database(url_base: str, name: str, template: str | None = None) -> str:
    """Create database `name` on url_base's server; returns its URL.

    template: a database to copy (e.g. one already migrated); PostgreSQL's
    template1 when None. Nothing may be connected to the template meanwhile.
    """
    sql = f"CREATE DATABASE {_quote_ident(name)}"
    if template:
        sql += f" TEMPLATE {_quote_ident(template)}"
    _admin_execute(url_base, sql)
    return _with_database(url_base, name)


def drop_database(url_base: str, name: str) -> None:
    """Drop database `name`, disconnecting whoever is still connected to it."""
    _admin_execute(url_base, f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)")


class ThrowawayPostgres:
    """One disposable cluster. start() -> URL of its `arrs_test` database."""

    def __init__(self, base_dir: str | os.PathLike[str] | None = None, database: str = DEFAULT_DATABASE):
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.database = database
        self.bin = find_pg_bin()
        self.as_root = _is_root()
        self.root_dir: Path | None = None  # the cluster's own directory, removed by stop()
        self.port: int | None = None
        self.url: str | None = None
        self.start_seconds: float | None = None

    # -- paths and commands -----------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        assert self.root_dir is not None
        return self.root_dir / "data"

    @property
    def log_file(self) -> Path:
        assert self.root_dir is not None
        return self.root_dir / "server.log"

    def _cmd(self, tool: str, *args: str) -> list[str]:
        assert self.bin is not None
        cmd = [str(self.bin / tool), *args]
        return ["runuser", "-u", OS_USER, "--", *cmd] if self.as_root else cmd

    def _run(self, cmd: list[str], cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        # cwd: the server's OS user may not be allowed into the caller's directory.
        return subprocess.run(
            cmd, cwd=cwd or self.root_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout
        )

    def _make_root_dir(self) -> Path:
        parent = self.base_dir
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        # As root the server user must be able to reach the directory; pytest's
        # /tmp/pytest-of-root is 0700, so fall back to the system temp directory.
        if parent is None or (self.as_root and not _reachable_by_others(parent)):
            parent = Path(tempfile.gettempdir())
        root = Path(tempfile.mkdtemp(prefix="arrs-pg-", dir=parent))
        if len(str(root)) > _MAX_SOCKET_DIR:  # keep the Unix socket path short enough
            shutil.rmtree(root)
            root = Path(tempfile.mkdtemp(prefix="arrs-pg-"))
        if self.as_root:
            shutil.chown(root, OS_USER, OS_USER)
        root.chmod(0o700)
        return root

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> str:
        if self.url:
            return self.url
        reason = postgres_available()
        if reason:
            raise RuntimeError(f"cannot start PostgreSQL: {reason}")
        started = time.monotonic()
        self.root_dir = self._make_root_dir()
        atexit.register(self.stop)
        try:
            self._initdb()
            self.port = self._start_server()
            server_url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"
            self.url = create_database(server_url, self.database)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - started
        return self.url

    def _initdb(self) -> None:
        init = self._run(
            self._cmd(
                "initdb",
                f"--pgdata={self.data_dir}",
                "--auth=trust",
                f"--username={SUPERUSER}",
                "--encoding=UTF8",
                "--locale=C",  # no dependence on the machine's locales
                "--no-sync",
            )
        )
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{init.stdout}")

    def _start_server(self) -> int:
        options = [
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c full_page_writes=off",
            "-c synchronous_commit=off",
        ]
        if os.name != "nt":
            # The Unix socket beside the data, not in /var/run/postgresql.
            options.append(f'-k "{self.root_dir}"')
        # A free port can be taken between probing and binding: try a few.
        for _attempt in range(3):
            port = _free_port()
            # -w: wait until the server accepts connections.
            wait = ["-w", "-t", "60", "-o", " ".join([*options, f"-p {port}"])]
            result = self._run(
                self._cmd("pg_ctl", f"--pgdata={self.data_dir}", f"--log={self.log_file}", *wait, "start")
            )
            if result.returncode == 0:
                return port
        log = self.log_file.read_text(errors="replace")[-4000:] if self.log_file.exists() else ""
        raise RuntimeError(f"pg_ctl start failed:\n{result.stdout}\n--- server log ---\n{log}")

    def stop(self) -> None:
        """Stop the server and delete its files; safe to call more than once."""
        root, self.root_dir, self.url = self.root_dir, None, None
        atexit.unregister(self.stop)
        if root is None:
            return
        try:
            if (root / "data" / "postmaster.pid").exists():
                stop = self._cmd("pg_ctl", f"--pgdata={root / 'data'}", "-m", "fast", "-w", "stop")
                self._run(stop, cwd=root, timeout=60)
        finally:
            shutil.rmtree(root, ignore_errors=True)

    # -- conveniences -----------------------------------------------------------------------
    def create_database(self, name: str, template: str | None = None) -> str:
        if not self.url:
            raise RuntimeError("the server is not running")
        return create_database(self.url, name, template)

    def __enter__(self) -> ThrowawayPostgres:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_postgres(base_dir: str | os.PathLike[str] | None = None) -> tuple[str, Callable[[], None]]:
    """Start a throwaway server; returns (URL of its arrs_test database, stop)."""
    server = ThrowawayPostgres(base_dir)
    return server.start(), server.stop
