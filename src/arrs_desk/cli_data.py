"""`arrs-desk export` and `arrs-desk import`: the whole database to one ZIP file and back; and
`arrs-desk export-bundle` / `import-bundle`: one person's record, to and from another PCN.

Exports and bundle imports act as a signed-in person, asked for as `arrs-desk pack` asks (--user,
and the password typed or read from ARRS_DESK_PASSWORD). A full import goes only into an empty
database, where no accounts exist yet to sign in with; it is written to the application log instead.
"""

from __future__ import annotations

import argparse
import logging
import os

from arrs_desk.cli_pack import PASSWORD_ENV, _actor, parse_date
from arrs_desk.errors import ValidationError
from arrs_desk.services.encryption_keys import PASSPHRASE_ENV


def add_parsers(commands) -> None:
    export = commands.add_parser("export", help="export all data and evidence files to one ZIP file (administrators)")
    export.add_argument("--out", required=True, metavar="FILE.zip", help="the file to write (replaced if it exists)")
    export.add_argument("--user", metavar="USERNAME",
                        help=f"your ARRS Desk user name; the password is asked for, or read from {PASSWORD_ENV}. "
                             f"The file is encrypted: with the database's key, or (a database that is not "
                             f"encrypted) a passphrase asked for, or read from {PASSPHRASE_ENV}")
    import_ = commands.add_parser(
        "import", help="load a full export into an empty database (name it with --database)")
    import_.add_argument("file", metavar="FILE.zip", help=f"a file made by `arrs-desk export` (opened with the "
                                                         f"passphrase in {PASSPHRASE_ENV})")
    override_help = ("import a file whose signature does not show it unchanged from a known ARRS Desk, giving the "
                     "reason (recorded in the audit trail; administrators only)")
    import_.add_argument("--override-reason", metavar="TEXT", help=override_help)
    user_help = f"your ARRS Desk user name; the password is asked for, or read from {PASSWORD_ENV}"
    bundle = commands.add_parser("export-bundle", help="save one person's record bundle for their new PCN")
    bundle.add_argument("--staff", required=True, type=int, metavar="ID", help="the person's staff id (see the staff list)")
    bundle.add_argument("--out", required=True, metavar="FILE.zip", help="the file to write")
    bundle.add_argument("--user", metavar="USERNAME", help=user_help)
    take = commands.add_parser("import-bundle", help="add someone joining from another PCN, from their record bundle")
    take.add_argument("file", metavar="FILE.zip", help="a file made by `arrs-desk export-bundle`")
    take.add_argument("--employer", required=True, metavar="ODS", help="the employing organisation's ODS code here")
    take.add_argument("--practice", action="append", required=True, metavar="ODS",
                      help="the ODS code of a practice they will be based at (repeat for several)")
    take.add_argument("--start", required=True, metavar="DATE", help="their start date here, dd/mm/yyyy or yyyy-mm-dd")
    take.add_argument("--manager", type=int, metavar="ID", help="their line manager's staff id here")
    take.add_argument("--user", metavar="USERNAME", help=user_help)
    take.add_argument("--override-reason", metavar="TEXT", help=override_help)
    sar = commands.add_parser("subject-access", help="save everything held about one person (PDF and ZIP), for a "
                                                     "subject access request")
    sar.add_argument("--staff", required=True, type=int, metavar="ID", help="the person's staff id (see the staff list)")
    sar.add_argument("--out", required=True, metavar="FOLDER", help="the folder to write both files into")
    sar.add_argument("--user", metavar="USERNAME", help=user_help)


def run_export(workspace, args: argparse.Namespace) -> int:
    actor = _actor(workspace, args.user)
    try:
        passphrase = _export_passphrase() if workspace.data_export.needs_passphrase() else None
        result = workspace.data_export.export_all(actor, path=args.out, passphrase=passphrase)
    finally:
        if actor.user_id is not None:
            workspace.accounts.sign_out(actor)
    print(f"Exported {result.rows} rows from {result.tables} tables and {result.evidence_files} evidence file(s) "
          f"to {result.path} ({result.size:,} bytes, SHA-256 {result.sha256}).")
    print("The file is encrypted: it loads with " + ("the passphrase chosen for it." if passphrase else
                                                     "this database's passphrase."))
    return 0


def _export_passphrase() -> str:
    """A database that is not encrypted has its export sealed with a passphrase chosen for it (the
    file holds password hashes and two-step secrets): from ARRS_DESK_PASSPHRASE, as `import` reads
    it, else typed twice at the terminal."""
    import getpass
    import sys

    from arrs_desk.services.encryption_keys import check_new_passphrase

    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError.single("passphrase", f"The export is encrypted with a passphrase you choose: put it in "
                                                   f"{PASSPHRASE_ENV}, or run this at a terminal to be asked for it.")
    try:
        passphrase = getpass.getpass("Choose a passphrase for the export (you will need it to load the file): ")
        confirm = getpass.getpass("The same passphrase again: ")
    except (EOFError, KeyboardInterrupt, OSError):
        raise ValidationError.single("passphrase", "No passphrase was typed; nothing was exported.") from None
    check_new_passphrase(passphrase, confirm)
    return passphrase


def run_import(workspace, args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # the import's record is its log line
    # An export opens with the passphrase it was sealed with (an encrypted database's own), given like a database's.
    result = workspace.data_export.import_all(path=args.file, override_reason=args.override_reason,
                                              passphrase=os.environ.get(PASSPHRASE_ENV))
    print(result.signature)
    print(f"Imported {result.rows} rows ({result.staff} staff records) and {result.evidence_files} evidence file(s) "
          f"into {workspace.location}, from an export made by ARRS Desk {result.app_version} at {result.exported_at}.")
    return 0


def run_bundle(workspace, args: argparse.Namespace) -> int:
    start = parse_date(args.start, "start") if args.command == "import-bundle" else None
    actor = _actor(workspace, args.user)
    try:
        if args.command == "export-bundle":
            made = workspace.record_bundles.export_bundle(actor, staff_id=args.staff, path=args.out)
            print(f"Saved the record bundle to {made.path} ({made.rows} records, {made.evidence_files} evidence "
                  f"file(s), SHA-256 {made.sha256}). It holds personal data: send it securely.")
        else:
            by_code = {o.ods_code.upper(): o.id for o in workspace.organisations.list(actor)}
            employer, *practices = (_organisation(by_code, code, what)
                                    for code, what in [(args.employer, "employer")] + [(p, "practice") for p in args.practice])
            added = workspace.record_bundles.import_bundle(actor, path=args.file, employer_id=employer,
                                                           practice_ids=practices, start_date=start,
                                                           line_manager_id=args.manager,
                                                           override_reason=args.override_reason)
            print(f"Added {added.display_name} as staff id {added.staff_id} (pre-start), with "
                  f"{sum(added.carried.values())} records of their previous post and {added.evidence_files} evidence "
                  "file(s).")
    finally:
        if actor.user_id is not None:
            workspace.accounts.sign_out(actor)
    return 0


def run_subject_access(workspace, args: argparse.Namespace) -> int:
    """Everything held about one person: the person themselves, or an administrator for anyone."""
    actor = _actor(workspace, args.user)
    try:
        made = workspace.subject_access.export(actor, staff_id=args.staff, folder=args.out)
    finally:
        if actor.user_id is not None:
            workspace.accounts.sign_out(actor)
    print(f"Saved {made.pdf} and {made.archive} ({made.rows} records, {made.evidence_files} evidence file(s)). "
          "They hold personal data: give them to the person securely.")
    return 0


def _organisation(by_code: dict[str, int], code: str, what: str) -> int:
    found = by_code.get(code.strip().upper())
    if found is None:
        known = ", ".join(sorted(by_code)) or "none yet"
        raise ValidationError.single(what, f"No organisation here has the ODS code {code!r} (known: {known}).")
    return found
