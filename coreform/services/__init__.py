"""The use cases the UI and the CLI call: drafts, submitting and sending, amending, families.

Every public method is one transaction and raises only the typed errors below, whose text tells
the user what to do. Records go in and out as plain `coreform.records` dataclasses; callers get
copies, so nothing they hold changes behind their back.

`Services` is a thin façade: each concern lives in its own module of this package, as a mixin on
`context.ServiceContext` (people, retention_review, preferences, drafts, submission,
outbox_queue, lifecycle, finding, copies, plans, minutes, minutes_distribution).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from coreform.accounts import Account
from coreform.audit import AuditEntry, VerifyResult
from coreform.dispatch import Dispatcher
from coreform.errors import (
    AccessError,
    ConflictError,
    CoreformError,
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseMissingError,
    DateOutOfRangeError,
    DiskFullError,
    MailServerNotSetError,
    NotFoundError,
    PasswordNeededError,
    ReadOnlyStorageError,
    RecordLockedError,
    RetentionBlockedError,
    SendingError,
    SignInError,
    StorageError,
    UnexpectedError,
    ValidationFailedError,
    WrongKeyError,
)
from coreform.minutes import ScalingPoint
from coreform.outbox import OutboxItem, SendingStatus
from coreform.records import now_london
from coreform.retention import RetentionCandidate, RetentionPolicy
from coreform.services.context import database_file, storage_errors
from coreform.services.copies import CopyKind, CopyMade, CopyServices
from coreform.services.drafts import KnownChild, RecordSummary
from coreform.services.finding import FindingServices
from coreform.services.lifecycle import LifecycleServices
from coreform.services.minutes import MinutesServices
from coreform.services.minutes_distribution import MinutesDistributionServices, MinutesSendResult
from coreform.services.people import PeopleServices
from coreform.services.plans import Caseload, ChildTimeline, PlanServices
from coreform.services.retention_review import RetentionServices
from coreform.services.sharing import SharingServices
from coreform.services.submission import SubmitResult
from coreform.settings import UserSettings
from coreform.storage.engine import create_engine_for

__all__ = [
    "AccessError",
    "Account",
    "AuditEntry",
    "Caseload",
    "ChildTimeline",
    "ConflictError",
    "CopyKind",
    "CopyMade",
    "CoreformError",
    "DatabaseBusyError",
    "DatabaseDamagedError",
    "DatabaseMissingError",
    "DateOutOfRangeError",
    "DiskFullError",
    "KnownChild",
    "MailServerNotSetError",
    "MinutesSendResult",
    "NotFoundError",
    "OutboxItem",
    "PasswordNeededError",
    "ReadOnlyStorageError",
    "RecordLockedError",
    "RecordSummary",
    "RetentionBlockedError",
    "RetentionCandidate",
    "RetentionPolicy",
    "ScalingPoint",
    "SendingError",
    "SendingStatus",
    "Services",
    "SignInError",
    "StorageError",
    "SubmitResult",
    "UnexpectedError",
    "UserSettings",
    "ValidationFailedError",
    "VerifyResult",
    "WrongKeyError",
]


class Services(
    PeopleServices,
    RetentionServices,
    MinutesDistributionServices,
    SharingServices,
    LifecycleServices,
    MinutesServices,
    PlanServices,
    FindingServices,
    CopyServices,
):
    """Everything the app does with its data, against one database."""

    @classmethod
    def open(
        cls,
        database_url: str | None = None,
        *,
        clock: Callable[[], dt.datetime] = now_london,
        dispatcher: Dispatcher | None = None,
    ) -> Services:
        """Opens the database (default: SQLite in the user data folder) and migrates it."""
        from sqlalchemy.engine import make_url

        from coreform.storage.engine import default_database_url

        url = make_url(database_url or default_database_url())
        encrypted = url.get_driver_name() == "pysqlcipher"
        with storage_errors("open its database", database_file(url), encrypted=encrypted):
            from coreform.storage.migrations import migrate  # Alembic loads only when opening

            engine = create_engine_for(database_url)
            try:
                migrate(engine)
            except BaseException:
                engine.dispose()
                raise
        return cls(engine, clock=clock, dispatcher=dispatcher)
