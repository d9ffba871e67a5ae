"""The mail server's password, kept in the operating system's password store, never the database."""

from __future__ import annotations

from coreform.password_store import store_unusable
from reports.smtp import SmtpSettings

KEYRING_SERVICE = "coreform-smtp"


class PasswordStoreError(Exception):
    """The OS keyring cannot be used; str(error) says what to do."""


def _keyring_user(settings: SmtpSettings) -> str:
    return f"{settings.username}@{settings.host}"


def smtp_password(settings: SmtpSettings) -> str | None:
    """The saved SMTP password, or None when none is saved."""
    import keyring
    from keyring.errors import KeyringError

    try:
        password: str | None = keyring.get_password(KEYRING_SERVICE, _keyring_user(settings))
    except KeyringError as error:
        raise PasswordStoreError(_keyring_message(error)) from error
    return password


def store_smtp_password(settings: SmtpSettings, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(settings), password)
    except KeyringError as error:
        raise PasswordStoreError(_keyring_message(error)) from error


def _keyring_message(error: Exception) -> str:
    return store_unusable(
        "the mail password",
        "Use “Open in my email program” instead, or ask your IT team to enable a password store.",
        error,
    )
