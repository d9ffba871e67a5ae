"""A keyring backend in a JSON file, so the bench's start-ups find the key "remembered".

Only the bench uses it (PYTHON_KEYRING_BACKEND=bench.file_keyring.FileKeyring, file in
$COREFORM_BENCH_KEYRING); the app itself uses the operating system's password store.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["COREFORM_BENCH_KEYRING"])

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path().read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        stored = self._read()
        stored[f"{service}\n{username}"] = password
        self._path().write_text(json.dumps(stored), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        stored = self._read()
        stored.pop(f"{service}\n{username}", None)
        self._path().write_text(json.dumps(stored), encoding="utf-8")
