"""Signed exports: a full export's or record bundle's manifest carries an Ed25519 signature made
with this installation's key, and its import says where it came from and whether it changed.

Why: the manifest already holds the SHA-256 of the data file and of every evidence file, but
anyone editing a file can recompute those. A signature over the manifest with a private key that
never leaves this PC cannot be recomputed. The key lives in the app's data folder (`paths`),
readable by its owner only, made on first use. The manifest carries the public key and the PCN's
name; a file reads as "from ARRS Desk at <PCN>, unchanged" only when the signature holds AND the
key is one this database trusts: this installation's own, or one recorded when the database
exported with it (setting `TRUSTED_KEYS`, so every PC sharing a database trusts the others').
Anything else is refused unless an administrator overrides with a reason, which is audited.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from arrs_desk import clock
from arrs_desk.domain import export_format as fmt
from arrs_desk.store.models import Setting

SIGNATURE_FIELD = "signature"
TRUSTED_KEYS = "exports.trusted_keys"
KEY_FILE = "installation-signing-key.pem"

UNCHANGED, CHANGED, UNKNOWN_KEY, UNSIGNED = "unchanged", "changed", "unknown_key", "unsigned"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _key_path() -> Path:
    from arrs_desk.paths import data_dir

    return data_dir() / KEY_FILE


def installation_key():  # noqa: ANN201  (an Ed25519PrivateKey; cryptography loads only when signing)
    """This installation's private key, made (owner-only) the first time it is needed."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = _key_path()
    if path.is_file():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)  # type: ignore[return-value]
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def public_key_text(key) -> str:  # noqa: ANN001
    from cryptography.hazmat.primitives import serialization

    return _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _signed_bytes(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != SIGNATURE_FIELD}
    return fmt.canonical_json(body)


def sign(manifest: dict[str, Any], pcn_name: str) -> dict[str, Any]:
    """The manifest with its signature (over everything else in it, the PCN's name included)."""
    key = installation_key()
    body = {k: v for k, v in manifest.items() if k != SIGNATURE_FIELD}
    body["signed_by"] = {"pcn": pcn_name, "public_key": public_key_text(key), "algorithm": "Ed25519"}
    return {**body, SIGNATURE_FIELD: _b64(key.sign(_signed_bytes(body)))}


def trust_own_key(session: Session, pcn_name: str) -> None:
    """Record this installation's public key as one the database trusts (in the export's transaction)."""
    _trust(session, public_key_text(installation_key()), pcn_name)


def trust_sender(session: Session, manifest: dict[str, Any], result: "SignatureCheck") -> bool:
    """Trust from now on the installation that signed `manifest`: for an intact file from a PCN
    this database had not seen, on an administrator's word (the caller checks and audits).
    Never for a changed or unsigned file. Returns True when the key was added."""
    if result.state != UNKNOWN_KEY:
        return False
    return _trust(session, str(manifest["signed_by"]["public_key"]), result.pcn)


def _trust(session: Session, public_key: str, pcn_name: str) -> bool:
    setting = session.get(Setting, TRUSTED_KEYS)
    known = list(setting.value or []) if setting is not None else []
    if any(isinstance(k, dict) and k.get("public_key") == public_key for k in known):
        return False
    known.append({"public_key": public_key, "pcn": pcn_name[:200],
                  "since": clock.now().isoformat(timespec="seconds")})
    if setting is None:
        session.add(Setting(key=TRUSTED_KEYS, value=known))
    else:
        setting.value = known
        session.add(setting)
    return True


def trusted_keys(session: Session) -> set[str]:
    setting = session.get(Setting, TRUSTED_KEYS)
    keys = {k.get("public_key") for k in (setting.value or []) if isinstance(k, dict)} if setting else set()
    key_file = _key_path()
    if key_file.is_file():
        keys.add(public_key_text(installation_key()))
    return {k for k in keys if isinstance(k, str)}


@dataclass(frozen=True)
class SignatureCheck:
    state: str  # UNCHANGED, CHANGED, UNKNOWN_KEY or UNSIGNED
    pcn: str
    message: str

    @property
    def trusted(self) -> bool:
        return self.state == UNCHANGED

    @property
    def from_unknown_installation(self) -> bool:
        """Intact, but signed by an installation this database has not seen: one it may choose to trust."""
        return self.state == UNKNOWN_KEY


def check(manifest: dict[str, Any], trusted: set[str], kind: str) -> SignatureCheck:
    """What the file's signature says, in words for the person importing it."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    signed_by = manifest.get("signed_by")
    signature = manifest.get(SIGNATURE_FIELD)
    if not isinstance(signed_by, dict) or not isinstance(signature, str):
        return SignatureCheck(UNSIGNED, "", f"This {kind} is not signed, so where it came from and whether it "
                                            "changed since it was exported cannot be checked.")
    pcn = str(signed_by.get("pcn", ""))[:200]
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(str(signed_by.get("public_key")), validate=True))
        public.verify(base64.b64decode(signature, validate=True), _signed_bytes(manifest))
    except (InvalidSignature, ValueError, TypeError):
        return SignatureCheck(CHANGED, pcn, f"This {kind} has been changed since it was exported: its signature "
                                            "does not match its contents.")
    if signed_by.get("public_key") not in trusted:
        return SignatureCheck(UNKNOWN_KEY, pcn, f"This {kind} says it is from ARRS Desk at {pcn or 'an unnamed PCN'}, "
                                                "but it was signed by an installation this database does not know.")
    return SignatureCheck(UNCHANGED, pcn, f"From ARRS Desk at {pcn or 'an unnamed PCN'}, unchanged.")


def admit(session: Session, actor, manifest: dict[str, Any], kind: str,  # noqa: ANN001
          override_reason: str | None) -> SignatureCheck:
    """The file's signature check, or a refusal: a file that is not signed by a trusted, unchanged
    key goes in only when an administrator gives a reason (the caller audits it with the import).
    `actor` is None for a full import, which runs before any account exists (the person running it
    has the database itself in their hands)."""
    from arrs_desk.domain.permissions import AccessRole
    from arrs_desk.errors import PermissionDenied, ValidationError

    result = check(manifest, trusted_keys(session), kind)
    if result.trusted:
        return result
    reason = (override_reason or "").strip()
    if not reason:
        raise ValidationError.single("signature", f"{result.message} Nothing was imported. An administrator may "
                                                  "import it anyway by giving a reason, which is recorded in the "
                                                  "audit trail.")
    if actor is not None and not actor.has(AccessRole.ADMINISTRATOR):
        raise PermissionDenied(f"{result.message} Only an administrator may import it anyway.")
    return result


def audit_values(result: SignatureCheck, override_reason: str | None, *, trusted_now: bool = False) -> dict[str, Any]:
    """What the import's audit entry records about the file's signature."""
    values: dict[str, Any] = {"signature": result.state, "signed_by_pcn": result.pcn}
    if not result.trusted:
        values["override_reason"] = (override_reason or "").strip()[:500]
    if trusted_now:
        values["sender_trusted_from_now"] = True
    return values
