"""`arrs-desk export` and `arrs-desk import`: the whole database to one ZIP file and back.

Export acts as a signed-in administrator, asked for as `arrs-desk pack` asks (--user, and the
password typed or read from ARRS_DESK_PASSWORD). Import goes only into an empty database, where
no accounts exist yet to sign in with; it is written to the application log instead.
"""

from __future__ import annotations

import argparse
import logging

from arrs_desk.cli_pack import PASSWORD_ENV, _actor


def add_parsers(commands) -> None:
    export = commands.add_parser("export", help="export all data and evidence files to one ZIP file (administrators)")
    export.add_argument("--out", required=True, metavar="FILE.zip", help="the file to write (replaced if it exists)")
    export.add_argument("--user", metavar="USERNAME",
                        help=f"your ARRS Desk user name; the password is asked for, or read from {PASSWORD_ENV}")
    import_ = commands.add_parser(
        "import", help="load a full export into an empty database (name it with --database)")
    import_.add_argument("file", metavar="FILE.zip", help="a file made by `arrs-desk export`")


def run_export(workspace, args: argparse.Namespace) -> int:
    actor = _actor(workspace, args.user)
    try:
        result = workspace.data_export.export_all(actor, args.out)
    finally:
        if actor.user_id is not None:
            workspace.accounts.sign_out(actor)
    print(f"Exported {result.rows} rows from {result.tables} tables and {result.evidence_files} evidence file(s) "
          f"to {result.path} ({result.size:,} bytes, SHA-256 {result.sha256}).")
    print("The file holds personal data and password hashes: keep it as securely as the database itself.")
    return 0


def run_import(workspace, args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # the import's record is its log line
    result = workspace.data_export.import_all(args.file)
    print(f"Imported {result.rows} rows ({result.staff} staff records) and {result.evidence_files} evidence file(s) "
          f"into {workspace.location}, from an export made by ARRS Desk {result.app_version} at {result.exported_at}.")
    return 0
