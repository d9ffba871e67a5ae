"""The user's own settings: nation (for bank holidays), own details, organisation and mail.

They live in the database's key/value settings table, so they travel with the data file and are
read through `coreform.services`. Every value has a default, so the app runs before anything is set.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from coreform.limits import (
    DEFAULT_BACKUPS_KEEP,
    DEFAULT_IDLE_LOCK_MINUTES,
    MAX_IDLE_LOCK_MINUTES,
    MIN_IDLE_LOCK_MINUTES,
)
from coreform.outbox import Transport
from coreform.records import Practitioner, Role
from coreform.validation import MAX_TEXT_CHARS, Problem, Severity, looks_like_email
from coreform.workdays import Nation

APP_NAME = "coreform"
DATA_DIR_ENV = "COREFORM_DATA_DIR"

_NATION_KEY = "user.nation"
_ME_KEY = "user.me"
_ORGANISATION_KEY = "user.organisation"
_ROLE_KEY = "user.role"
_MAIL_KEY = "user.mail"
_IDLE_KEY = "security.idle_lock_minutes"
_BACKUPS_KEY = "security.backups_keep"
# Used in Message-IDs when no sender address is set yet; `.invalid` can never be a real domain.
FALLBACK_MESSAGE_ID_DOMAIN = "coreform.invalid"


DATABASE_FILE = "coreform.db"
CONFIG_DIR_ENV = "COREFORM_CONFIG_DIR"


def data_dir() -> Path:
    """The folder for the database: $COREFORM_DATA_DIR, else the OS's user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only needed when no folder is given

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The folder for this computer's own files (connection, audit keys): $COREFORM_CONFIG_DIR,
    else the OS's user config folder."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only needed when no folder is given

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


class MailSecurity(StrEnum):
    STARTTLS = "starttls"
    TLS = "tls"
    PLAIN = "plain"  # refused unless `allow_plain` is set by an administrator


class PdfProtection(StrEnum):
    NONE = "none"
    ORGANISATION = "organisation"  # one password set by the organisation, kept in the OS keyring
    ASK = "ask"  # the sender types a password for every record


@dataclass
class MailSettings:
    """How submitted records are sent. The defaults need nothing configured: `.eml` drafts."""

    send_method: Transport = Transport.EML
    smtp_host: str = ""
    smtp_port: int = 587
    security: MailSecurity = MailSecurity.STARTTLS
    username: str = ""
    from_address: str = ""
    timeout_seconds: float = 30.0
    allow_plain: bool = False
    pdf_protection: PdfProtection = PdfProtection.NONE

    @property
    def asks_pdf_password(self) -> bool:
        """Whether the sender types a password for each record's PDF when submitting."""
        return self.pdf_protection is PdfProtection.ASK

    def sender(self, me: Practitioner) -> str:
        """The From address: the one set for mail, else my own email."""
        return (self.from_address or me.email).strip()

    def message_id_domain(self, me: Practitioner) -> str:
        domain = self.sender(me).rpartition("@")[2].strip().lower()
        return domain or FALLBACK_MESSAGE_ID_DOMAIN


@dataclass
class UserSettings:
    nation: Nation = Nation.ENG
    me: Practitioner = field(default_factory=Practitioner)
    organisation: str = ""
    # What the user does (first-run set-up): picks their guide; accounts carry their own role.
    role: Role = Role.PRACTITIONER
    mail: MailSettings = field(default_factory=MailSettings)
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    backups_keep: int = DEFAULT_BACKUPS_KEEP

    def to_values(self) -> dict[str, str]:
        """The settings as key/value text for the settings table."""
        return {
            _NATION_KEY: self.nation.value,
            _ME_KEY: json.dumps(dataclasses.asdict(self.me)),
            _ORGANISATION_KEY: self.organisation,
            _ROLE_KEY: self.role.value,
            _MAIL_KEY: json.dumps(dataclasses.asdict(self.mail)),
            _IDLE_KEY: str(self.idle_lock_minutes),
            _BACKUPS_KEY: str(self.backups_keep),
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
        try:
            settings.role = Role(values.get(_ROLE_KEY, Role.PRACTITIONER.value))
        except ValueError:
            settings.role = Role.PRACTITIONER
        settings.mail = _mail_from_json(values.get(_MAIL_KEY, ""))
        settings.idle_lock_minutes = _bounded(
            values.get(_IDLE_KEY),
            DEFAULT_IDLE_LOCK_MINUTES,
            MIN_IDLE_LOCK_MINUTES,
            MAX_IDLE_LOCK_MINUTES,
        )
        settings.backups_keep = _bounded(values.get(_BACKUPS_KEY), DEFAULT_BACKUPS_KEEP, 1, 1000)
        return settings


def _bounded(text: str | None, default: int, low: int, high: int) -> int:
    """A stored whole number, clamped to its allowed range; unreadable text gives the default."""
    try:
        return min(max(int(text or ""), low), high)
    except ValueError:
        return default


def _practitioner_from_json(text: str) -> Practitioner:
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return Practitioner()
    if not isinstance(data, dict):
        return Practitioner()
    known = {f.name for f in dataclasses.fields(Practitioner)}
    return Practitioner(**{k: str(v) for k, v in data.items() if k in known})


def _mail_from_json(text: str) -> MailSettings:
    """Each value that is missing or unreadable keeps its default; the others are kept."""
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return MailSettings()
    mail = MailSettings()
    if not isinstance(data, dict):
        return mail
    for item in dataclasses.fields(MailSettings):
        if item.name not in data:
            continue
        default = getattr(mail, item.name)
        try:
            value = _typed(default, data[item.name])
        except (TypeError, ValueError):
            continue
        setattr(mail, item.name, value)
    return mail


def _typed(default: object, value: object) -> object:
    """`value` converted to the type of `default`; ValueError/TypeError when it cannot be."""
    if isinstance(default, StrEnum):
        return type(default)(str(value))
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise TypeError(value)
        return value
    if isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(value)
        return type(default)(value)
    return str(value)


def settings_problems(settings: UserSettings) -> list[Problem]:
    """What Settings refuses to save, said as the record editor says it (issue 18): emails
    that do not look right, a mail server missing when mail goes through one, and text that no
    field holds (too long, or a NUL from a paste)."""
    problems: list[Problem] = []
    texts = {
        "me.name": ("Your name", settings.me.name),
        "me.role": ("Your role", settings.me.role),
        "me.agency": ("Your agency", settings.me.agency),
        "me.email": ("Your email", settings.me.email),
        "me.phone": ("Your phone", settings.me.phone),
        "organisation": ("Your organisation", settings.organisation),
        "mail.smtp_host": ("The mail server", settings.mail.smtp_host),
        "mail.username": ("The user name", settings.mail.username),
        "mail.from_address": ("The From address", settings.mail.from_address),
    }
    for path, (name, text) in texts.items():
        if len(text) > MAX_TEXT_CHARS:
            problems.append(
                Problem(
                    path,
                    f"{name} is too long ({len(text):,} characters). "
                    f"Please shorten it to {MAX_TEXT_CHARS:,} characters or fewer.",
                    Severity.ERROR,
                )
            )
        elif "\x00" in text:
            problems.append(
                Problem(
                    path,
                    f"{name} contains a hidden character from a paste. Please type it again.",
                    Severity.ERROR,
                )
            )
    for path, name in (("me.email", "Your email"), ("mail.from_address", "The From address")):
        text = texts[path][1]
        if text.strip() and not looks_like_email(text):
            problems.append(
                Problem(
                    path,
                    f"{name} does not look right. It should look like name@example.gov.uk.",
                    Severity.ERROR,
                )
            )
    if settings.mail.send_method is Transport.SMTP and not settings.mail.smtp_host.strip():
        problems.append(
            Problem(
                "mail.smtp_host",
                "Enter the mail server, or choose to open records in your email program.",
                Severity.ERROR,
            )
        )
    return problems
