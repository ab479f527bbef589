"""Files as another PCN's installation makes them: the same export, signed with a key this
machine has never seen (every workspace in a test run shares one installation key)."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

from arrs_desk.domain import export_format as fmt


def new_installation_key():  # noqa: ANN201  (an Ed25519PrivateKey)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def resign(path: Path, out: Path, key, *, pcn: str | None = None) -> Path:  # noqa: ANN001
    """A copy of the export or bundle at `path`, its manifest signed by `key` (and, if given,
    claiming to be from `pcn`); the contents are unchanged."""
    from cryptography.hazmat.primitives import serialization

    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    manifest["signed_by"]["public_key"] = base64.b64encode(key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()
    if pcn is not None:
        manifest["signed_by"]["pcn"] = pcn
    body = {k: v for k, v in manifest.items() if k != "signature"}
    manifest["signature"] = base64.b64encode(key.sign(fmt.canonical_json(body))).decode()
    files["manifest.json"] = fmt.canonical_json(manifest)
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out
