"""`arrs-desk pack`: appraisal packs from the command line, one PDF per person, into a folder.

Packs hold personal records, so the command acts as a signed-in person with the same
permissions as in the window: in a database with personal accounts it asks for the user name
(--user) and password (typed, or ARRS_DESK_PASSWORD for scheduled jobs); in single-user mode it
acts as that one person.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date, datetime

from arrs_desk.errors import PermissionDenied, ValidationError

PASSWORD_ENV = "ARRS_DESK_PASSWORD"
CODE_ENV = "ARRS_DESK_CODE"
"""The code from an authenticator app, for an account with two-step sign-in run from a script."""


def add_parser(commands) -> None:
    pack = commands.add_parser("pack", help="save appraisal packs (PDF), one per person, into a folder")
    who = pack.add_mutually_exclusive_group(required=True)
    who.add_argument("--staff", type=int, action="append", metavar="ID",
                     help="the staff id of a person to make a pack for (repeat for several)")
    who.add_argument("--all", action="store_true", help="everyone in post you may make a pack for")
    pack.add_argument("--out", required=True, metavar="FOLDER", help="folder to save the PDFs in (made if missing)")
    pack.add_argument("--from", dest="start", metavar="DATE",
                      help="start of the period, dd/mm/yyyy or yyyy-mm-dd (default: 12 months before --to)")
    pack.add_argument("--to", dest="end", metavar="DATE", help="end of the period (default: today)")
    pack.add_argument("--user", metavar="USERNAME",
                      help=f"your ARRS Desk user name; the password is asked for, or read from {PASSWORD_ENV}")


def parse_date(value: str | None, what: str) -> date | None:
    if not value:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError.single(what, f"'{value}' is not a date; write it as dd/mm/yyyy, for example 24/11/2026.")


def _actor(workspace, username: str | None):
    from arrs_desk.services.accounts import MULTI_USER, SINGLE_USER

    mode = workspace.accounts.mode()
    if mode == SINGLE_USER:
        return workspace.accounts.single_user_actor()
    if mode != MULTI_USER:
        raise PermissionDenied("This database has no user accounts yet. Open ARRS Desk to set it up first.")
    if not username:
        raise PermissionDenied("This database has personal accounts: name yours with --user USERNAME.")
    return sign_in(workspace, username)


def sign_in(workspace, username: str):
    """The password, then (for an account with two-step sign-in) the code from the person's app:
    from ARRS_DESK_CODE when set, else typed at the terminal."""
    from arrs_desk.services.accounts import SecondStepNeeded

    password = _password(username)
    try:
        return workspace.accounts.sign_in(username=username, password=password, record_sign_in=False)
    except SecondStepNeeded:
        return workspace.accounts.sign_in(username=username, password=password, code=_code(username),
                                          record_sign_in=False)


def _code(username: str) -> str:
    if CODE_ENV in os.environ:
        return os.environ[CODE_ENV]
    if not sys.stdin or not sys.stdin.isatty():
        raise PermissionDenied(f"{username} signs in with a code from an authenticator app as well: set {CODE_ENV} "
                               "to the code the app shows, or run this at a terminal to be asked for it.")
    try:
        return input(f"Code from your authenticator app for {username}: ")
    except (EOFError, KeyboardInterrupt, OSError):
        raise PermissionDenied("No code was typed; nothing was done.") from None


def _password(username: str) -> str:
    """From ARRS_DESK_PASSWORD when set, else typed at the terminal; a clear message, never a
    traceback, when it is empty or there is no terminal to type it at."""
    if PASSWORD_ENV in os.environ:
        password = os.environ[PASSWORD_ENV]
        if not password:
            raise PermissionDenied(f"{PASSWORD_ENV} is set but empty: put the password in it, or unset it to be asked.")
        return password
    if not sys.stdin or not sys.stdin.isatty():
        raise PermissionDenied(f"No terminal to type the password at: set {PASSWORD_ENV} for a scheduled job.")
    try:
        password = getpass.getpass(f"Password for {username}: ")
    except (EOFError, KeyboardInterrupt, OSError):
        raise PermissionDenied("No password was typed; nothing was done.") from None
    if not password:
        raise PermissionDenied("No password was typed; nothing was done.")
    return password


def admin_actor(workspace, username: str | None, what: str):
    """`backup` and `restore` on a database with personal accounts: an administrator signs in.

    A database with no accounts yet (or in single-user mode, whose one user looks after
    everything) needs none, as before; SYSTEM is returned and the audit trail says so.
    """
    from arrs_desk.domain.permissions import AccessRole
    from arrs_desk.services.accounts import MULTI_USER
    from arrs_desk.services.actor import SYSTEM

    if workspace.accounts.mode() != MULTI_USER:
        return SYSTEM
    if not username:
        raise PermissionDenied(f"This database has personal accounts: {what} needs an administrator's sign-in. "
                               "Name yours with --user USERNAME.")
    actor = sign_in(workspace, username)
    if not actor.has(AccessRole.ADMINISTRATOR):
        raise PermissionDenied(f"Only an administrator can {what}.")
    return actor


def run_pack(workspace, args: argparse.Namespace) -> int:
    start = parse_date(args.start, "from")
    end = parse_date(args.end, "to")
    actor = _actor(workspace, args.user)
    service = workspace.appraisal_packs
    try:
        staff_ids = args.staff if args.staff else [p.staff_id for p in service.printable(actor)]
        if not staff_ids:
            print("There is nobody you may make an appraisal pack for.", file=sys.stderr)
            return 1

        def progress(done: int, total: int, name: str) -> None:
            if name:
                print(f"[{done + 1}/{total}] {name}", flush=True)

        batch = service.save_packs(actor, staff_ids=staff_ids, folder=args.out, start=start, end=end, progress=progress)
    finally:
        if actor.user_id is not None:
            workspace.accounts.sign_out(actor)
    for path in batch.saved:
        print(f"Saved {path}")
    for name, reason in batch.failed:
        print(f"arrs-desk: no pack for {name}: {reason}", file=sys.stderr)
    print(f"{len(batch.saved)} appraisal pack{'s' if len(batch.saved) != 1 else ''} saved in {args.out}.")
    return 1 if batch.failed else 0
