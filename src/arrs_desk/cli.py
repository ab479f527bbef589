"""The command line: opens the window by default, and runs jobs that need no window.

Kept light: argparse only at import time, so `arrs-desk --help` answers at once and the GUI
path imports nothing it does not need before the window is up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from arrs_desk import APP_NAME, __version__
from arrs_desk.domain.dates import format_uk


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arrs-desk",
        description=f"{APP_NAME}: induction, supervision, preceptorship and appraisal records for ARRS staff.",
        epilog="With no command, opens the ARRS Desk window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--theme", choices=("system", "light", "dark", "high-contrast"),
                        help="colours for this session (default: as saved in Settings, else the system's)")
    parser.add_argument("--text-size", type=int, metavar="PERCENT",
                        help="text size for this session, e.g. 150 (default: as saved in Settings, else 100)")
    parser.add_argument("--self-check", action="store_true",
                        help="check this installation works (database, migrations, window, PDF) and exit")
    parser.add_argument(
        "--database", metavar="PATH|URL",
        help="database file or URL (e.g. postgresql://user@host/db); default: the per-user data "
             "folder, or the ARRS_DESK_DATABASE environment variable",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the window (the default)")
    demo = commands.add_parser("demo", help="fill an empty database with a fictional demonstration PCN")
    demo.add_argument("--staff", type=int, metavar="N",
                      help="number of ARRS staff, 1 to 20,000 (default: a realistic 49); dated from today, "
                           "or from ARRS_DESK_TODAY")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    commands.add_parser("info", help="show where the database is, whether it is encrypted, its schema and whether "
                                     "it is set up (no records: nobody signs in)")
    commands.add_parser("verify", help="check the audit trail's hash chain and name the first entry where it breaks")
    backup = commands.add_parser("backup", help="copy the database now (to its backups folder unless --to is given)")
    backup.add_argument("--to", metavar="FILE", help="write the copy to this file instead")
    backup.add_argument("--folder", metavar="DIR", help="write the copy into this folder instead")
    backup.add_argument("--remember", action="store_true",
                        help="with --folder: keep using that folder for this database on this PC")
    admin_help = "an administrator's user name, needed when the database has personal accounts (password asked " \
                 "for, or read from ARRS_DESK_PASSWORD)"
    backup.add_argument("--user", metavar="USERNAME", help=admin_help)
    restore = commands.add_parser("restore", help="replace the database with a backup (a copy of it is kept first)")
    restore.add_argument("file", metavar="FILE", help="the backup file to restore")
    restore.add_argument("--user", metavar="USERNAME", help=admin_help)
    commands.add_parser("backups", help="list the database's backups, newest first")
    from arrs_desk.cli_pack import add_parser as add_pack_parser

    add_pack_parser(commands)
    from arrs_desk.cli_data import add_parsers as add_data_parsers

    add_data_parsers(commands)
    return parser


def _install_clock() -> None:
    """ARRS_DESK_TODAY=2027-12-31T23:30 runs the app as of another day (demos, benchmarks, support);
    the clock still ticks from there, so audit times stay in order."""
    import os

    when = os.environ.get("ARRS_DESK_TODAY", "").strip()
    if not when:
        return
    from arrs_desk import clock

    try:
        clock.install(clock.ShiftedClock(clock.parse_instant(when)))
    except ValueError as exc:
        raise SystemExit(f"arrs-desk: ARRS_DESK_TODAY: {exc}") from None
    print(f"arrs-desk: running as of {format_uk(clock.today())} (ARRS_DESK_TODAY)", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _install_clock()
    if args.theme or args.text_size:  # read by arrs_desk.ui.common.theme when the window starts
        import os

        os.environ.update({k: str(v) for k, v in (("ARRS_DESK_THEME", args.theme),
                                                  ("ARRS_DESK_TEXT_SCALE", args.text_size)) if v})
    if args.self_check:
        from arrs_desk.selfcheck import run_self_check

        return run_self_check(args.database)
    if args.command in (None, "gui"):
        from arrs_desk.ui.shell.app import run

        return run(args.database)
    from arrs_desk.errors import ArrsDeskError

    try:
        return _run_command(args)
    except ArrsDeskError as exc:
        print(f"arrs-desk: {exc.message}", file=sys.stderr)
        return 2


def main_gui() -> int:
    """Entry point for the Windows Start-menu shortcut (no console window)."""
    from arrs_desk.ui.shell.app import run

    _install_clock()
    return run(None)


MAY_CREATE = frozenset({"demo", "import"})
"""The commands that may start a new database file; every other one needs the file to be there."""


def _run_command(args: argparse.Namespace) -> int:
    from arrs_desk.paths import default_database
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace

    from arrs_desk.services.encryption_keys import key_for_command_line

    target = args.database or default_database()
    if args.command in ("restore", "backups"):
        return _backup_command(args, target)  # work even when it will not open
    if args.command not in MAY_CREATE:
        from arrs_desk.services.backups import database_file

        file = database_file(target)
        if file is not None and not file.exists():  # a mistyped path made an empty database, then reported on it
            print(f"arrs-desk: there is no database at {file}. Check the path; `arrs-desk demo` or the window "
                  "makes a new one.", file=sys.stderr)
            return 2
    workspace = Workspace.open(target, key=key_for_command_line(target))
    try:
        if args.command == "demo":
            from arrs_desk.demo.pcn import build_demo

            if not workspace.is_empty():
                print(f"arrs-desk: {workspace.location} already holds records; demo data goes only into an empty database.",
                      file=sys.stderr)
                return 1
            summary = build_demo(workspace, arrs_staff=args.staff, seed=args.seed)
            from arrs_desk.demo.pcn import DEMO_PASSWORD

            print(f"Created a demonstration PCN in {workspace.location}: {summary.practices} practices, "
                  f"{summary.staff} staff ({summary.leavers} leavers).")
            print(f"Sample accounts (password for all: {DEMO_PASSWORD}):")
            for username, name in summary.accounts:
                print(f"  {username:<18} {name}")
        elif args.command == "info":
            _print_info(workspace)
        elif args.command == "verify":
            check = workspace.audit_verify.verify(SYSTEM)
            print(check.message)
            return 0 if check.ok else 1
        elif args.command == "backup":
            if args.remember and not args.folder:
                print("arrs-desk: --remember needs --folder DIR.", file=sys.stderr)
                return 2
            from arrs_desk.cli_pack import admin_actor

            actor = admin_actor(workspace, args.user, "back up this database")
            if args.remember:
                workspace.backups.set_folder(actor, folder=args.folder)
                print(f"Backups of {workspace.location} on this PC now go to {workspace.backups.folder()}.")
            made = workspace.backups.back_up(actor, destination=args.to, folder=None if args.remember else args.folder)
            print(f"Backed up {workspace.location} to {made.path} ({made.size_text}).")
        elif args.command == "pack":
            from arrs_desk.cli_pack import run_pack

            return run_pack(workspace, args)
        elif args.command in ("export", "import", "export-bundle", "import-bundle", "subject-access"):
            from arrs_desk import cli_data

            run = {"export": cli_data.run_export, "import": cli_data.run_import,
                   "subject-access": cli_data.run_subject_access}.get(args.command, cli_data.run_bundle)
            return run(workspace, args)
        return 0
    finally:
        workspace.close()


def _print_info(workspace) -> None:  # noqa: ANN001
    """What the database is, for whoever looks after the PC: where, what kind, whether encrypted,
    its schema and whether it is set up. Nothing personal or organisational (the PCN's name, how
    many staff, who has left): `info` asks nobody to sign in, unlike the commands that read
    records (`export`, `pack`), and a diagnostic must work when nobody can. Signed-in people see
    the rest in the window, as far as they may."""
    from arrs_desk.services.accounts import MULTI_USER, SINGLE_USER

    encryption = workspace.encryption.status()
    print(f"Database: {workspace.location}")
    print(f"Kind: {'SQLite file' if encryption.possible else 'PostgreSQL server'}")
    print("Encrypted: " + ("yes" if encryption.encrypted else "no" if encryption.possible
                           else "by the server (disk encryption and TLS), not by ARRS Desk"))
    print(f"Schema: revision {workspace.db.schema_state().revision} (ARRS Desk {__version__})")  # opening upgraded it
    print("Set up: " + {SINGLE_USER: "yes, single-user", MULTI_USER: "yes, with personal accounts"}.get(
        workspace.accounts.mode(), "not yet (open ARRS Desk to set it up)"))


def _backup_command(args: argparse.Namespace, target: str) -> int:
    from arrs_desk.services import backups

    if args.command == "backups":
        found = backups.list_backups(target)
        print(f"Backup folder: {backups.backup_folder(target)}")
        if not found:
            print(f"No backups of {target} yet.")
        for backup in found:
            print(f"{backup.when_text}  {backup.size_text:>10}  {backup.kind_label:<30}  {backup.path}")
        return 0
    from arrs_desk.services.encryption_keys import key_for_command_line

    key = key_for_command_line(target)  # an encrypted database's backups are restored with its key
    result = backups.restore_database(target, args.file, _restorer(target, args.user, key), key)
    print(f"Restored {target} from {result.source} ({result.staff_count} staff records).")
    if result.kept_copy:
        print(f"The database it replaced was kept as {result.kept_copy}.")
    if result.upgraded:
        print("The backup came from an older version of ARRS Desk and has been brought up to date.")
    return 0


def _restorer(target: str, username: str | None, key=None):
    """Who restores: an administrator's sign-in when the database opens and has personal accounts.

    A database that will not open (damaged, or from a newer version) is exactly when a restore is
    needed and there is nobody to sign in as; replacing it then needs the same access to its file
    or server as damaging it did.
    """
    from arrs_desk.cli_pack import admin_actor
    from arrs_desk.errors import DatabaseProblem
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace

    from arrs_desk.services.backups import database_file

    file = database_file(target)
    if file is not None and not file.exists():
        return SYSTEM  # nothing there yet to protect
    try:
        workspace = Workspace.open(target, key=key)
    except DatabaseProblem:
        return SYSTEM
    try:
        return admin_actor(workspace, username, "restore this database")
    finally:
        workspace.close()
