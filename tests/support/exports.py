"""Full exports in the tests. Every export is encrypted (a plain database's with a passphrase
chosen for it: the file carries every account's password hash and two-step secret), so a test
that reads or changes the ZIP inside opens it first, as an import does. Imports still load a
plain ZIP (an older export, or one a test changed), which the hostile-file tests rely on."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from arrs_desk.services.export_archive import opened_export

PASSPHRASE = "export passphrase for the tests"
"""What the tests seal a plain database's export with."""


def members(path: Path) -> dict[str, bytes]:
    """{name: bytes} of an export's ZIP, sealed or not."""
    with opened_export(Path(path), PASSPHRASE) as plain, zipfile.ZipFile(plain) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def export_plain(service, actor, path: Path, **options):  # noqa: ANN001
    """`service.export_all` (a DataExportService), leaving at `path` the plain ZIP inside the
    sealed file, for tests that read or change it. Returns the export's result (of the sealed file)."""
    path = Path(path)
    sealed = path.with_name(path.name + ".sealed")
    result = service.export_all(actor, path=sealed, passphrase=PASSPHRASE, **options)
    with opened_export(sealed, PASSPHRASE) as plain:
        shutil.copyfile(plain, path)
    sealed.unlink()
    return result
