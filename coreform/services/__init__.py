"""The use cases the UI and the CLI call: drafts, submitting and sending, amending, families.

Every public method is one transaction and raises only the typed errors below, whose text tells
the user what to do. Records go in and out as plain `coreform.records` dataclasses; callers get
copies, so nothing they hold changes behind their back.

`Services` is a thin façade: each concern lives in its own module of this package, as a mixin on
`context.ServiceContext` (people, retention_review, preferences, drafts, submission,
outbox_queue, lifecycle).
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
    NotFoundError,
    PasswordNeededError,
    RecordLockedError,
    RetentionBlockedError,
    SendingError,
    SignInError,
    StorageError,
    ValidationFailedError,
)
from coreform.outbox import OutboxItem, SendingStatus
from coreform.records import now_london
from coreform.retention import RetentionCandidate, RetentionPolicy
from coreform.services.context import storage_errors
from coreform.services.drafts import RecordSummary
from coreform.services.lifecycle import LifecycleServices
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
    "CoreformError",
    "NotFoundError",
    "OutboxItem",
    "PasswordNeededError",
    "RecordLockedError",
    "RecordSummary",
    "RetentionBlockedError",
    "RetentionCandidate",
    "RetentionPolicy",
    "SendingError",
    "SendingStatus",
    "Services",
    "SignInError",
    "StorageError",
    "SubmitResult",
    "UserSettings",
    "ValidationFailedError",
    "VerifyResult",
]


class Services(PeopleServices, RetentionServices, SharingServices, LifecycleServices, PlanServices):
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
        with storage_errors("open its database"):
            from coreform.storage.migrations import migrate  # Alembic loads only when opening

            engine = create_engine_for(database_url)
            try:
                migrate(engine)
            except BaseException:
                engine.dispose()
                raise
        return cls(engine, clock=clock, dispatcher=dispatcher)
