"""Passing accepted records on to the core group, and the child's chronology with its exports
(issue 13). The key worker disseminates every record to the other core group members (000)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from coreform.audit import AuditAction
from coreform.chronology import ExportFormat, table_writer
from coreform.dispatch import DispatchError, Recipient, Sender
from coreform.errors import CoreformError, NotFoundError, SendingError, StorageError
from coreform.fillable import FormContext
from coreform.inbox import ChronologyEntry, ChronologyFilter, ReviewState, ShareEntry
from coreform.outbox import RecipientKind
from coreform.records import CoreGroupMember, Family, KeyWorker, MonitoringRecord, new_id
from coreform.safe_files import move_into_place, partial_beside, write_atomically
from coreform.services.context import missing_message
from coreform.services.inbox import InboxServices
from coreform.storage.unit_of_work import UnitOfWork

# Entries read from the database per step of an export: progress moves and cancel is checked.
EXPORT_PAGE = 200

Progress = Callable[[int, int], None]


class ExportCancelledError(CoreformError):
    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was saved.")


class SharingServices(InboxServices):
    # ---- sharing ---------------------------------------------------------------------------

    def share_received(
        self, record_id: str, version: int, *, pdf_password: str | None = None
    ) -> list[ShareEntry]:
        """Queues the accepted version to every other current core group member who has not
        had it yet (and to the parents/carers only when the record allows a copy), and logs
        who got which version; one transaction. SendingError when there is nobody to send to."""
        dispatcher = self._require_dispatcher()
        settings = self.get_settings()
        password = self._pdf_password(settings, pdf_password)
        me = settings.me
        sender = Sender(
            address=settings.mail.sender(me),
            name=me.name,
            message_id_domain=settings.mail.message_id_domain(me),
        )
        with self._work("share the record") as uow:
            record = uow.records.get(record_id, version)
            received = uow.inbox.received(record_id, version)
            if record is None or received is None:
                raise NotFoundError(missing_message())
            if received.review_state is not ReviewState.ACCEPTED:
                raise SendingError(
                    f"Accept record {record.reference} version {version} before sharing it."
                )
            family = self._family_of(uow, [o.child.id for o in record.children])
            already = {
                share.member_email.casefold()
                for share in uow.inbox.shares(record_id)
                if share.record_version == version
            }
            skip = already | {
                email.strip().casefold() for email in (me.email, record.completed_by.email) if email
            }
            members = [
                m
                for m in self._current_members(uow, record, family)
                if m.email.strip().casefold() not in skip
            ]
            recipients = [Recipient(RecipientKind.CORE_GROUP, m.name, m.email) for m in members]
            # 000: a copy goes to the parents/carers unless that would put the child at risk.
            if record.copy_to_parents is True and family is not None:
                for parent in family.parents_carers:
                    if parent.email.strip() and parent.email.strip().casefold() not in skip:
                        members.append(
                            CoreGroupMember(parent.name, "Parent/carer", "", parent.email)
                        )
                        recipients.append(Recipient(RecipientKind.PARENTS, "", parent.email))
            if not recipients:
                raise SendingError(
                    f"Everyone in the child's core group with an email address already has "
                    f"record {record.reference} version {version}. Add members with email "
                    "addresses to the child's core group to share it with them."
                )
            now = self._now()
            pdf = dispatcher.render_pdf(record, password=password, generated_at=now)
            try:
                composed = dispatcher.compose_share(
                    record, pdf, sender=sender, recipients=recipients, date=now
                )
            except DispatchError as error:
                raise SendingError(f"Nothing was shared: {error}") from error
            for member, message in zip(members, composed, strict=True):
                queued = uow.outbox.add(
                    message.queued(record.id, record.version, settings.mail.send_method),
                    now=now,
                )
                assert queued.id is not None  # stored rows have ids
                uow.inbox.add_share(
                    record.id,
                    record.version,
                    name=member.name,
                    role=member.role,
                    agency=member.agency,
                    email=message.recipient,
                    outbox_id=queued.id,
                    at=now,
                    by=self.current_user,
                )
                self._audit(
                    uow,
                    AuditAction.SHARED,
                    f"{record.reference} v{version} to {message.recipient_kind.value}",
                )
            return [s for s in uow.inbox.shares(record_id) if s.shared_at == now]

    def shares(self, record_id: str) -> list[ShareEntry]:
        """Who got which version of the record and when, oldest first."""
        with self._work("read who the record was shared with") as uow:
            return uow.inbox.shares(record_id)

    def _current_members(
        self, uow: UnitOfWork, record: MonitoringRecord, family: Family | None
    ) -> list[CoreGroupMember]:
        """The core group members of the record's children's plans on today's date (004 §9.2),
        one per email; without a plan, the family's core group contacts."""
        today = self.today()
        found: dict[str, CoreGroupMember] = {}
        planned = False
        for observation in record.children:
            local = uow.inbox.local_child_id(observation.child.id)
            plan = uow.plans.get(local) if local else None
            if plan is None:
                continue
            planned = True
            for member in plan.members:
                current = (member.joined or today) <= today <= (member.left or today)
                if current and member.email.strip():
                    found.setdefault(
                        member.email.strip().casefold(),
                        CoreGroupMember(member.name, member.role, member.agency, member.email),
                    )
        if planned:
            return list(found.values())
        return [m for m in (family.core_group if family else []) if m.email.strip()]

    def _family_of(self, uow: UnitOfWork, child_ids: Sequence[str]) -> Family | None:
        for child_id in child_ids:
            local = uow.inbox.local_child_id(child_id)
            family = uow.inbox.family_of_child(local) if local else None
            if family is not None:
                return uow.families.get(family)
        return None

    # ---- the fillable form for agencies without coreform ------------------------------------

    def save_fillable_form(self, family_id: str, folder: Path) -> Path:
        """Saves a blank fillable form for the family in `folder` (named by its number only):
        the children and me as the key worker printed on it; audited."""
        dispatcher = self._require_dispatcher()
        me = self.get_settings().me
        with self._work("make the fillable form") as uow:
            family = uow.families.get(family_id)
            if family is None:
                raise NotFoundError("This family is no longer in coreform.")
            # Only who the form is about and who it goes back to travel inside it.
            context = FormContext(
                form_id=new_id(),
                family=Family(
                    name=family.name,
                    children=family.children,
                    key_worker=KeyWorker(me.name, me.email, me.agency, me.phone),
                    id=family.id,
                ),
            )
            pdf = dispatcher.render_fillable_form(context, generated_at=self._now())
            path = folder / f"CG-form-{context.form_id[:8]}.pdf"
            self._audit(uow, AuditAction.EXPORTED, f"fillable form {context.form_id[:8]}")
            try:
                write_atomically(path, pdf, exclusive=True)
            except OSError as error:
                raise StorageError(
                    f"The form could not be saved in {folder} ({error.strerror}). Choose "
                    "another folder."
                ) from error
        return path

    # ---- the child's chronology ------------------------------------------------------------

    def chronology_count(self, child_id: str, where: ChronologyFilter) -> int:
        with self._work("read the chronology") as uow:
            return uow.chronology.count(uow.inbox.child_ids(child_id), where)

    def chronology_page(
        self, child_id: str, where: ChronologyFilter, offset: int, limit: int
    ) -> list[ChronologyEntry]:
        """Every contact on the child's file (own and received), newest first."""
        with self._work("read the chronology") as uow:
            return uow.chronology.page(uow.inbox.child_ids(child_id), where, offset, limit)

    def export_chronology(
        self,
        child_id: str,
        where: ChronologyFilter,
        path: Path,
        format: ExportFormat,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> int:
        """Writes the chronology to `path` page by page; returns how many entries. Nothing is
        left at `path` when cancelled (ExportCancelledError) or on an error; audited."""
        total = self.chronology_count(child_id, where)
        try:
            with partial_beside(path) as part:
                done = self._write_export(child_id, where, part, format, total, progress, cancelled)
                with self._work("record the export") as uow:
                    self._audit(
                        uow, AuditAction.EXPORTED, f"chronology {format.value} ({done} entries)"
                    )
                    move_into_place(part, path)
        except OSError as error:
            raise StorageError(
                f"The chronology could not be saved in {path.parent} ({error.strerror}). "
                "Choose another folder."
            ) from error
        return done

    def _write_export(
        self,
        child_id: str,
        where: ChronologyFilter,
        part: Path,
        format: ExportFormat,
        total: int,
        progress: Progress | None,
        cancelled: Callable[[], bool],
    ) -> int:
        bundle: list[tuple[str, bytes]] = []
        writer = table_writer(format, part) if format is not ExportFormat.PDF else None
        done = 0
        try:
            while done < total:
                if cancelled():
                    raise ExportCancelledError()
                page = self.chronology_page(child_id, where, done, EXPORT_PAGE)
                if not page:
                    break
                if writer is not None:
                    writer.write(page)
                else:
                    bundle += self._record_pdfs(page)
                done += len(page)
                if progress is not None:
                    progress(done, total)
        finally:
            if writer is not None:
                writer.close()
        if format is ExportFormat.PDF:
            part.write_bytes(self._require_dispatcher().bundle_pdfs(bundle))
        return done

    def _record_pdfs(self, entries: Sequence[ChronologyEntry]) -> list[tuple[str, bytes]]:
        dispatcher = self._require_dispatcher()
        now = self._now()
        parts = []
        with self._work("read the records") as uow:
            for entry in entries:
                if entry.record_id is None or entry.version is None:
                    continue
                record = uow.records.get(entry.record_id, entry.version)
                if record is not None:
                    title = f"{entry.day:%d/%m/%Y} {entry.title} ({entry.reference})"
                    parts.append(
                        (title, dispatcher.render_pdf(record, password=None, generated_at=now))
                    )
        return parts
