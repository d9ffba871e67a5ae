"""The audit key (issue 9): a random 256-bit secret kept outside the database that keys the
audit trail's chain (HMAC-SHA-256), so the trail cannot be recomputed from the database alone.

Each key is a file `<key_id>.key` in the audit-keys folder ($COREFORM_AUDIT_KEY_DIR, else
`audit-keys` in the user's config folder), readable by the user only. Keep a copy with the
printed recovery key; for a shared database, give every computer a copy (or point
$COREFORM_AUDIT_KEY_DIR at one protected folder). A computer without the key still appends
entries, under a key of its own, and `coreform verify` says which entries it could not check.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from coreform.audit import AuditKey
from coreform.safe_files import write_atomically
from coreform.settings import config_dir

AUDIT_KEY_DIR_ENV = "COREFORM_AUDIT_KEY_DIR"
_SUFFIX = ".key"


def audit_key_folder() -> Path:
    override = os.environ.get(AUDIT_KEY_DIR_ENV)
    return Path(override).expanduser() if override else config_dir() / "audit-keys"


class AuditKeys:
    """The audit keys this computer holds, read once and kept in memory."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._known: dict[str, AuditKey] | None = None

    @property
    def folder(self) -> Path:
        return self._folder or audit_key_folder()

    def known(self) -> dict[str, AuditKey]:
        if self._known is None:
            self._known = {}
            if self.folder.is_dir():
                for path in sorted(self.folder.glob(f"*{_SUFFIX}")):
                    secret = bytes.fromhex(path.read_text("ascii").strip())
                    key = AuditKey(_key_id(secret), secret)
                    self._known[key.key_id] = key
        return self._known

    def for_appending(self, newest_key_id: str) -> AuditKey:
        """The key of the trail's newest keyed entry when held here, else a new one, kept."""
        held = self.known().get(newest_key_id)
        if held is not None:
            return held
        secret = secrets.token_bytes(32)
        key = AuditKey(_key_id(secret), secret)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key.key_id}{_SUFFIX}"
        write_atomically(path, secret.hex().encode("ascii") + b"\n", exclusive=True)
        path.chmod(0o600)
        self.known()[key.key_id] = key
        return key


def _key_id(secret: bytes) -> str:
    """Names a key in the trail without revealing it: 16 hex digits of its SHA-256."""
    return hashlib.sha256(b"coreform audit key id\0" + secret).hexdigest()[:16]
