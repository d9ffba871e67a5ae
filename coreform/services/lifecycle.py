"""A run of the app: opening the database, starting and ending the session (finding drafts a crash
left behind), and backups of the database file."""

from __future__ import annotations

import logging
from pathlib import Path

from coreform.audit import AuditAction
from coreform.backup import BackupError, backup_database, backup_due
from coreform.errors import CoreformError, StorageError
from coreform.limits import DEFAULT_BACKUPS_KEEP
from coreform.services.context import storage_errors
from coreform.services.drafts import DraftServices, RecordSummary
from coreform.services.handover import HandoverServices
from coreform.storage.keys import DatabaseKey
from coreform.storage.record_list import ListIndex

_log = logging.getLogger(__name__)


class LifecycleServices(DraftServices, HandoverServices):
    def close(self) -> None:
        self._engine.dispose()

    def schema_is_current(self) -> bool:
        """Whether the database is at the newest migration (`coreform --smoke` checks it)."""
        from coreform.storage.migrations import upgrade_due

        with storage_errors("check its database"):
            return not upgrade_due(self._engine)

    def begin_session(self) -> list[RecordSummary]:
        """Starts this run; returns drafts last saved by a run that ended without `end_session`.

        Start and end also delete the mail drafts sent more than a day ago.
        """
        with self._work("start") as uow:
            self._requeue_interrupted(uow)
            crashed = set(uow.sessions.unfinished()) - {self._session_id}
            left = ListIndex(uow.session).drafts_saved_by(crashed) if crashed else []
            if crashed:
                uow.sessions.forget(sorted(crashed))
            uow.sessions.start(self._session_id, now=self._now())
        self._clear_sent_drafts()
        _log.info("session started; %d drafts left by a run that did not end cleanly", len(left))
        return self._summaries(left)

    def end_session(self) -> None:
        with self._work("close cleanly") as uow:
            uow.sessions.end(self._session_id, now=self._now())
        self._clear_sent_drafts()
        _log.info("session ended cleanly")

    # ---- backups -----------------------------------------------------------------------------

    def backup_due(self, folder: Path) -> bool:
        return backup_due(folder, self._now())

    def backup(self, folder: Path, *, keep: int = DEFAULT_BACKUPS_KEEP) -> Path:
        """A checked copy, encrypted with the database's key, into `folder`; keeps the newest."""
        database, key = self._database_file()
        try:
            made = backup_database(database, key, folder, at=self._now(), keep=keep)
        except (BackupError, OSError) as error:
            raise StorageError(f"The backup was not made: {error}") from error
        try:
            with self._work("record the backup") as uow:
                self._audit(uow, AuditAction.BACKED_UP, made.name)
        except CoreformError:
            made.unlink(missing_ok=True)  # every backup on disk appears in the trail
            raise
        return made

    def _database_file(self) -> tuple[Path, DatabaseKey | None]:
        url = self._engine.url
        if url.get_backend_name() != "sqlite" or not url.database:
            raise StorageError(
                "A shared database is backed up on its server; ask IT about its backups."
            )
        key = DatabaseKey(url.password or "") if url.get_driver_name() == "pysqlcipher" else None
        return Path(url.database), key
