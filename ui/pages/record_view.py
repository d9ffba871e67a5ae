"""A submitted record, read-only, with what an amendment changed against the version before it."""

from __future__ import annotations

import datetime as dt
import html
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from coreform.ages import age_on_visit_text
from coreform.forms.model import NOT_ANSWERED, Field, Kind, read_path
from coreform.forms.monitoring import MONITORING_FORM
from coreform.outbox import AWAITING_CONFIRMATION, OutboxEntry, OutboxState
from coreform.records import LONDON, ChildObservation, MonitoringRecord, RecordState
from coreform.services import CoreformError, Services
from ui.accessibility import MessageLabel, describe
from ui.dialogs.amend_reason import AmendReasonDialog
from ui.formatting import day_text
from ui.pages.banner import Banner, Level, heading_label, problem_label
from ui.pages.record_copies import RecordCopies
from ui.sending_text import (
    I_HAVE_SENT_IT,
    RECIPIENT_TEXT,
    confirm_label,
    confirm_name,
    confirmed_text,
    moment_text,
    sending_line,
    state_text,
)


def value_text(spec: Field | None, value: Any) -> str:
    """An answer as the view shows it: choices by their label, dates with their weekday."""
    label = spec.choice_label(value) if spec is not None else None
    if label is not None:
        return label
    if value is None or value == "":
        return NOT_ANSWERED if spec is not None and spec.kind is Kind.YES_NO else "—"
    if isinstance(value, dt.datetime):
        local = value.astimezone(LONDON)
        return f"{day_text(local.date())} at {local:%H:%M}"
    if isinstance(value, dt.date):
        return day_text(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, Enum):
        return str(value.value)
    if spec is not None and spec.kind is Kind.WORKING_DAYS and isinstance(value, int):
        return f"{value} working day{'s' if value != 1 else ''}"
    return str(value)


def labelled_values(record: MonitoringRecord) -> list[tuple[str, str, str]]:
    """(section, label, value text) for every question shown (coreform.forms.monitoring)."""
    rows: list[tuple[str, str, str]] = []
    for section in MONITORING_FORM.sections:
        rows += [
            (section.title, spec.label, value_text(spec, spec.value_in(record)))
            for spec in section.fields
            if spec.shown_in(record, record)
        ]
        if section.items is not None:
            items = section.items
            for number, item in enumerate(read_path(record, items.key), start=1):
                title = f"{items.title} {number}"
                rows += [
                    (title, spec.label, _item_text(spec, item, record))
                    for spec in items.fields
                    if spec.shown_in(record, item)
                ]
    return rows


def _item_text(spec: Field, item: Any, record: MonitoringRecord) -> str:
    """A child's date of birth carries their age on the visit date, as the editor and PDF show."""
    text = value_text(spec, spec.value_in(item))
    if spec.key == "child.date_of_birth" and isinstance(item, ChildObservation):
        age = age_on_visit_text(item.child.date_of_birth, record.visit_date)
        return f"{text} (age on the visit date: {age})" if age else text
    return text


def changes_between(old: MonitoringRecord, new: MonitoringRecord) -> list[str]:
    """Plain sentences naming each field whose value differs between two versions."""
    before = {(section, label): value for section, label, value in labelled_values(old)}
    after = {(section, label): value for section, label, value in labelled_values(new)}
    changes: list[str] = []
    for key in [*before, *(k for k in after if k not in before)]:
        was, now = before.get(key, "—"), after.get(key, "—")
        if was != now:
            section, label = key
            changes.append(f"{section} — {label}: was “{was}”, now “{now}”")
    return changes


class RecordView(QWidget):
    """Shows a locked record; Amend asks for a reason and emits the new draft."""

    amended = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._record: MonitoringRecord | None = None
        layout = QVBoxLayout(self)
        self.title = heading_label("", self)
        layout.addWidget(self.title)
        self.banner = Banner(self, name="locked_banner")
        layout.addWidget(self.banner)
        # Where the key worker's copy stands: a warning until it has really gone (issue 10).
        self.sending_state = Banner(self, name="sending_banner")
        layout.addWidget(self.sending_state)
        self.sending = QLabel(self)
        self.sending.setWordWrap(True)
        describe(self.sending, "Sending history")
        self.sending.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.sending)
        self.copies = RecordCopies(services, self)
        layout.addWidget(self.copies)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("The submitted record, read only")
        layout.addWidget(self.text, 1)
        self.status = MessageLabel(self)  # what "I have sent it" recorded, the whole width
        self.status.hide()  # no empty line before there is something to say
        layout.addWidget(self.status)
        bar = QHBoxLayout()
        self.error = problem_label(self)
        bar.addWidget(self.error, 1)
        # One message at a time, named, as the Outbox does: the key worker's copy and the
        # parents' are two messages, and confirming one claims nothing about the other.
        self.confirm_button = QPushButton(I_HAVE_SENT_IT, self)
        self.confirm_button.clicked.connect(self.confirm_sent)
        self.confirm_button.hide()
        bar.addWidget(self.confirm_button)
        self.amend_button = QPushButton("Amend this record…", self)
        self.amend_button.clicked.connect(self.amend)
        bar.addWidget(self.amend_button)
        self._awaiting: list[OutboxEntry] = []
        layout.addLayout(bar)

    def record(self) -> MonitoringRecord | None:
        return self._record

    def show_record(self, record: MonitoringRecord) -> None:
        self._record = record
        self.error.clear()
        self.status.clear()
        self.status.hide()
        family = record.family_name or "family not named"
        self.title.setText(f"Monitoring record {record.reference} — {family}")
        sent = record.submitted_at.astimezone(LONDON) if record.submitted_at else None
        when = f" on {day_text(sent.date())} at {sent:%H:%M}" if sent else ""
        verb = "Amended and submitted" if record.state is RecordState.AMENDED else "Submitted"
        self.banner.show_message(
            Level.SUCCESS,
            f"{verb}{when}. Locked: it cannot be edited. To correct it, choose "
            "“Amend this record…”; the submitted version is kept.",
        )
        self.text.setHtml(self._html(record))
        self.refresh_sending()
        self.copies.show_record(record)

    def refresh_sending(self) -> None:
        """The late-sending line (000: 2 working days) and each message's state."""
        if self._record is None:
            return
        try:
            status = self._services.sending_status(self._record.id)
        except CoreformError as error:
            self.sending_state.show_message(
                Level.ERROR, f"The sending history could not be read: {error}"
            )
            return
        self._awaiting = [
            item
            for item in status.history
            if item.state in AWAITING_CONFIRMATION and item.id is not None
        ]
        self._offer_confirming()
        gone = status.key_worker_sent_at is not None
        self.sending_state.show_message(
            Level.WARNING if status.late or not gone else Level.INFO,
            ("Late: " if status.late else "") + sending_line(status),
        )
        lines = []
        for item in status.history:
            when = f", {moment_text(item.sent_at)}" if item.sent_at else ""
            note = f" ({item.last_error})" if item.last_error else ""
            if item.state is OutboxState.NOT_OPENED:
                note = f" (the draft is saved as {item.draft_path})"
            lines.append(
                f"Version {item.record_version} to {RECIPIENT_TEXT[item.recipient_kind].lower()} "
                f"{item.recipient}: {state_text(item)}{when}{note}"
            )
        self.sending.setText("\n".join(lines))
        self.sending.setVisible(bool(lines))  # nothing queued (submitted without sending)

    def _offer_confirming(self) -> None:
        """The first message waiting for "I have sent it", named on the button."""
        self.confirm_button.setVisible(bool(self._awaiting))
        if not self._awaiting:
            return
        first = self._awaiting[0]
        versions = {item.record_version for item in self._awaiting}
        self.confirm_button.setText(confirm_label(first, with_version=len(versions) > 1))
        self.confirm_button.setAccessibleName(confirm_name(first))
        self.confirm_button.setToolTip(confirm_name(first))

    def confirm_sent(self) -> None:
        """The user sent this one draft from their email program: it counts as sent from now;
        the button then names the next one waiting, if any."""
        if not self._awaiting:
            return
        first = self._awaiting[0]
        assert first.id is not None
        try:
            self._services.confirm_sent([first.id])
        except CoreformError as error:
            self.error.setText(f"Not recorded: {error}")
            return
        self.error.clear()
        self.status.setText(confirmed_text(first))
        self.status.show()
        self.refresh_sending()
        (self.confirm_button if self._awaiting else self.amend_button).setFocus()

    def remind_password(self) -> None:
        """After sending an encrypted PDF: the password must travel another way."""
        self.banner.show_message(
            Level.WARNING,
            f"{self.banner.text()} The PDF is protected with a password: give it to the "
            "recipients by phone or another channel, never by email.",
        )

    def _html(self, record: MonitoringRecord) -> str:
        parts: list[str] = []
        if record.amendment is not None:
            amendment = record.amendment
            parts.append("<h3>What this amendment changed</h3>")
            parts.append(
                f"<p><b>Reason:</b> {html.escape(amendment.reason)}"
                f" ({html.escape(amendment.amended_by or 'not named')}, "
                f"{html.escape(value_text(None, amendment.amended_at))})</p>"
            )
            previous = self._previous(record)
            if previous is None:
                parts.append("<p>The earlier version could not be found.</p>")
            else:
                changes = changes_between(previous, record)
                items = "".join(f"<li>{html.escape(c)}</li>" for c in changes)
                parts.append(f"<ul>{items}</ul>" if changes else "<p>No field changed.</p>")
        section = ""
        for title, label, value in labelled_values(record):
            if title != section:
                if section:
                    parts.append("</table>")
                parts.append(f"<h3>{html.escape(title)}</h3><table width='100%' cellpadding='3'>")
                section = title
            parts.append(
                f"<tr><td valign='top' width='38%'><b>{html.escape(label)}</b></td>"
                f"<td>{html.escape(value).replace(chr(10), '<br>')}</td></tr>"
            )
        parts.append("</table>")
        return "".join(parts)

    def _previous(self, record: MonitoringRecord) -> MonitoringRecord | None:
        assert record.amendment is not None
        try:
            versions = self._services.record_versions(record.id)
        except CoreformError:
            return None
        return next((v for v in versions if v.version == record.amendment.previous_version), None)

    def amend(self) -> None:
        if self._record is None:
            return
        reason = AmendReasonDialog.ask(self)
        if reason is None:
            return
        try:
            draft = self._services.amend_record(self._record.id, reason)
        except CoreformError as error:
            self.error.setText(f"Not amended: {error}")
            return
        self.amended.emit(draft)
