"""The errors coreform's services raise: each says, in `str(error)`, what the user can do.

Kept apart from `coreform.services` so that start-up dialogs can catch them without loading
the storage layer (SQLAlchemy's ORM takes about a second to import).
"""

from __future__ import annotations

from coreform.storage_faults import StorageFault
from coreform.validation import Problem, Severity


class CoreformError(Exception):
    """Something the user can act on; `str(error)` says what to do."""


class NotFoundError(CoreformError):
    pass


class RecordLockedError(CoreformError):
    pass


class ValidationFailedError(CoreformError):
    def __init__(
        self, problems: list[Problem], *, what: str = "The record cannot be submitted yet"
    ) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        first = errors[0].message if errors else ""
        more = f" ({len(errors) - 1} more to fix)" if len(errors) > 1 else ""
        super().__init__(f"{what}: {first}{more}")


class AppendOnlyError(CoreformError):
    """An agreed safety goal or action was to be removed (001 §2.3, §3.4): it never is."""


class ConflictError(CoreformError):
    """Someone else changed what is being saved. With `record_id`, an edit conflict on a draft:
    the UI offers to keep the typed copy as a new version (`keep_mine_as_new_version`) or to show
    theirs (`get_record`); nothing typed is ever discarded (issue 9)."""

    def __init__(self, message: str, *, record_id: str | None = None) -> None:
        super().__init__(message)
        self.record_id = record_id


class StorageError(CoreformError):
    pass


class SendingError(CoreformError):
    """The record cannot be turned into messages (an address, the PDF password store…)."""


class MailServerNotSetError(CoreformError):
    """Sending through the mail server was asked for, but no mail server is set."""


class PasswordNeededError(CoreformError):
    """The organisation asks for a PDF password for every record and none was given."""


class SignInError(CoreformError):
    """A wrong user name or password, or a locked account; the message says which and what next."""


class AccessError(CoreformError):
    """The signed-in person's role does not allow this, or an account could not be made."""


class RetentionBlockedError(CoreformError):
    """Deletion refused (legal hold, still inside its period), or a hold without a reason."""


class IntakeError(CoreformError):
    """A received file coreform cannot file (damaged, not a record, altered); nothing changed."""


class FilePasswordError(IntakeError):
    """A received PDF is protected: no password was given (`wrong` False) or it did not open it."""

    def __init__(self, message: str, *, wrong: bool) -> None:
        super().__init__(message)
        self.wrong = wrong


class WrongKeyError(StorageError):
    """The database is encrypted with another key (only ever said when that is so)."""


class ReadOnlyStorageError(StorageError):
    pass


class DiskFullError(StorageError):
    pass


class DatabaseMissingError(StorageError):
    pass


class DatabaseBusyError(StorageError):
    """Another window or program holds the database's write lock."""


class DatabaseDamagedError(StorageError):
    pass


class DateOutOfRangeError(CoreformError):
    """A date before 1900 or after 2100: a typing mistake the working-day arithmetic cannot use."""


class UnexpectedError(CoreformError):
    """Something coreform did not foresee went wrong; the message says what was being done."""


STORAGE_ERRORS: dict[StorageFault, type[StorageError]] = {
    StorageFault.WRONG_KEY: WrongKeyError,
    StorageFault.READ_ONLY: ReadOnlyStorageError,
    StorageFault.DISK_FULL: DiskFullError,
    StorageFault.MISSING: DatabaseMissingError,
    StorageFault.LOCKED: DatabaseBusyError,
    StorageFault.DAMAGED: DatabaseDamagedError,
    StorageFault.OTHER: StorageError,
}
