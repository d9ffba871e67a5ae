"""The user's own settings: nation (for bank holidays), own details and organisation.

They live in the database's key/value settings table, so they travel with the data file and are
read through `coreform.services`. Every value has a default, so the app runs before anything is set.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from coreform.records import Practitioner
from coreform.workdays import Nation

APP_NAME = "coreform"
DATA_DIR_ENV = "COREFORM_DATA_DIR"

_NATION_KEY = "user.nation"
_ME_KEY = "user.me"
_ORGANISATION_KEY = "user.organisation"


def data_dir() -> Path:
    """The folder for the database: $COREFORM_DATA_DIR, else the OS's user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only needed when no folder is given

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


@dataclass
class UserSettings:
    nation: Nation = Nation.ENG
    me: Practitioner = field(default_factory=Practitioner)
    organisation: str = ""

    def to_values(self) -> dict[str, str]:
        """The settings as key/value text for the settings table."""
        return {
            _NATION_KEY: self.nation.value,
            _ME_KEY: json.dumps(dataclasses.asdict(self.me)),
            _ORGANISATION_KEY: self.organisation,
        }

    @classmethod
    def from_values(cls, values: dict[str, str]) -> UserSettings:
        """Reads what `to_values` wrote; a missing or unreadable value falls back to its default."""
        settings = cls()
        try:
            settings.nation = Nation(values.get(_NATION_KEY, Nation.ENG.value))
        except ValueError:
            settings.nation = Nation.ENG
        settings.me = _practitioner_from_json(values.get(_ME_KEY, ""))
        settings.organisation = values.get(_ORGANISATION_KEY, "")
        return settings


def _practitioner_from_json(text: str) -> Practitioner:
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return Practitioner()
    if not isinstance(data, dict):
        return Practitioner()
    known = {f.name for f in dataclasses.fields(Practitioner)}
    return Practitioner(**{k: str(v) for k, v in data.items() if k in known})
