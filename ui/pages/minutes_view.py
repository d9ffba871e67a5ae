"""Finalised core group minutes, read-only: every answer in the template's order, the scaling
chart of each child across the plan's meetings, "Send the minutes" and "Amend these minutes…".
Minutes received from another key worker show the same way, with who sent them and when, the
chart across the meetings received, and neither button (only their writer sends or amends)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coreform.forms.minutes import MINUTES_FORM, MINUTES_TITLE
from coreform.forms.model import Field, Items, read_path
from coreform.inbox import ReceivedMinutesEntry
from coreform.minutes import CoreGroupMinutes, MinutesState
from coreform.records import LONDON
from coreform.services import CoreformError, Services
from ui.accessibility import announce, describe
from ui.dialogs.amend_reason import AmendReasonDialog
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.formatting import day_text
from ui.pages.banner import Banner, Level, heading_label, problem_label
from ui.pages.inbox_minutes import superseded_text
from ui.pages.minutes_chart import ScalingChart
from ui.pages.minutes_items import goal_label
from ui.pages.minutes_text import deadline_sentence
from ui.pages.record_view import value_text
from ui.workers import BackgroundJobs


def _formatters(minutes: CoreGroupMinutes) -> dict[str, Callable[[Any], str]]:
    """Answers that name another part of the minutes (a next step's safety goal)."""
    return {"goal_id": lambda goal_id: goal_label(minutes.safety_goals, goal_id)}


def _answer(spec: Field, value: Any, minutes: CoreGroupMinutes) -> str:
    special = _formatters(minutes).get(spec.key)
    text = special(value) if special is not None else value_text(spec, value)
    return html.escape(text).replace("\n", "<br>")


def _rows(fields: list[tuple[Field, Any]], minutes: CoreGroupMinutes) -> str:
    cells = "".join(
        f"<tr><td valign='top' width='38%'><b>{html.escape(spec.label)}</b></td>"
        f"<td>{_answer(spec, value, minutes)}</td></tr>"
        for spec, value in fields
    )
    return f"<table width='100%' cellpadding='3'>{cells}</table>"


def _items_html(items: Items, minutes: CoreGroupMinutes) -> str:
    values = read_path(minutes, items.key)
    if not values:
        return "<p>None recorded.</p>"
    if items.table:
        shown = [s for s in items.fields if any(s.shown_in(minutes, v) for v in values)]
        head = "".join(f"<th align='left'>{html.escape(s.label)}</th>" for s in shown)
        body = "".join(
            "<tr>" + "".join(f"<td>{_answer(s, s.value_in(v), minutes)}</td>" for s in shown)
            for v in values
        )
        return f"<table border='1' cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"
    parts: list[str] = []
    listed = next((s for s in items.fields if s.listed), None)
    for number, value in enumerate(values, start=1):
        name = listed.value_in(value) if listed is not None and items.fixed else ""
        parts.append(f"<h4>{html.escape(str(name or f'{items.title} {number}'))}</h4>")
        fields = [
            (s, s.value_in(value))
            for s in items.fields
            if not (s.listed and items.fixed) and s.shown_in(minutes, value)
        ]
        if fields:
            parts.append(_rows(fields, minutes))
        if items.grid is not None:
            grid = items.grid
            head = "".join(f"<th>{html.escape(label)}</th>" for _k, label in grid.columns)
            body = "".join(
                f"<tr><th align='left'>{html.escape(row_label)}</th>"
                + "".join(
                    f"<td align='center'>{_answer(cell, cell.value_in(value), minutes)}</td>"
                    for cell in (grid.cell(row, col) for col, _label in grid.columns)
                )
                + "</tr>"
                for row, row_label in grid.rows
            )
            parts.append(
                f"<table border='1' cellspacing='0' cellpadding='4'><tr><th></th>{head}</tr>"
                f"{body}</table>"
            )
    return "".join(parts)


def minutes_html(minutes: CoreGroupMinutes) -> str:
    """Every section of the template with the answers given (`coreform.forms.minutes`)."""
    parts: list[str] = []
    amendment = minutes.amendment
    if amendment is not None:
        parts.append(
            f"<p><b>Amended</b> (version {amendment.previous_version} is kept). Reason: "
            f"{html.escape(amendment.reason)}</p>"
        )
    for section in MINUTES_FORM.sections:
        parts.append(f"<h3>{html.escape(section.title)}</h3>")
        fields = [
            (spec, spec.value_in(minutes))
            for spec in section.fields
            if spec.shown_in(minutes, minutes)
        ]
        if fields:
            parts.append(_rows(fields, minutes))
        if section.items is not None:
            parts.append(_items_html(section.items, minutes))
    return "".join(parts)


class MinutesView(QWidget):
    """Shows locked minutes; `amended` carries the new draft made by "Amend these minutes…"."""

    amended = Signal(object)
    queued = Signal()  # messages wait in the outbox: send them now

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._minutes: CoreGroupMinutes | None = None
        self._received: ReceivedMinutesEntry | None = None
        self._jobs = BackgroundJobs(self)
        layout = QVBoxLayout(self)
        self.title = heading_label(MINUTES_TITLE, self)
        layout.addWidget(self.title)
        self.banner = Banner(self, name="minutes_locked_banner")
        layout.addWidget(self.banner)
        self.distribution = QLabel(self)
        self.distribution.setWordWrap(True)
        describe(self.distribution, "Distribution of the minutes")
        layout.addWidget(self.distribution)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        self.text = QTextBrowser(splitter)
        self.text.setAccessibleName("The finalised minutes, read only")
        below = QWidget(splitter)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        chooser = QHBoxLayout()
        caption = QLabel("Scaling chart for &child:", below)
        self.child = QComboBox(below)
        self.child.setAccessibleName("Scaling chart for child")
        self.child.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        caption.setBuddy(self.child)
        self.child.currentIndexChanged.connect(self._show_chart)
        chooser.addWidget(caption)
        chooser.addWidget(self.child)
        chooser.addStretch(1)
        below_layout.addLayout(chooser)
        self.chart = ScalingChart(below)
        below_layout.addWidget(self.chart, 1)
        splitter.addWidget(self.text)
        splitter.addWidget(below)
        splitter.setSizes([420, 320])
        layout.addWidget(splitter, 1)
        bar = QHBoxLayout()
        self.error = problem_label(self)
        bar.addWidget(self.error, 1)
        self.send_button = QPushButton("&Send the minutes", self)
        self.send_button.clicked.connect(self.send)
        bar.addWidget(self.send_button)
        self.amend_button = QPushButton("&Amend these minutes…", self)
        self.amend_button.clicked.connect(self.amend)
        bar.addWidget(self.amend_button)
        layout.addLayout(bar)

    def minutes(self) -> CoreGroupMinutes | None:
        return self._minutes

    def show_minutes(
        self, minutes: CoreGroupMinutes, received: ReceivedMinutesEntry | None = None
    ) -> None:
        """Minutes written here, or `received` from another key worker (read only)."""
        self._minutes, self._received = minutes, received
        self.error.clear()
        reference = f" {minutes.reference}" if minutes.reference else ""
        self.title.setText(
            f"{MINUTES_TITLE}{reference} — {minutes.family_name} family, core group "
            f"{minutes.sequence}{', received' if received else ''}"
        )
        when = minutes.finalised_at.astimezone(LONDON) if minutes.finalised_at else None
        verb = "Amended and finalised" if minutes.state is MinutesState.AMENDED else "Finalised"
        on = f" on {day_text(when.date())} at {when:%H:%M}" if when else ""
        for button in (self.send_button, self.amend_button):
            button.setVisible(received is None)
        if received is not None:
            came = received.received_at.astimezone(LONDON)
            by = f" by {minutes.worker_name}" if minutes.worker_name else ""
            self.banner.show_message(
                Level.INFO,
                f"{verb}{by}{on}; received from {received.sender} on {day_text(came.date())} at "
                f"{came:%H:%M}. Read only: only the key worker who wrote them can amend them; "
                "an amendment they send is filed beside this version.",
            )
            self.distribution.setText(
                superseded_text(received)
                if received.superseded
                else f"Version {minutes.version} as it was received."
            )
        else:
            self.banner.show_message(
                Level.SUCCESS,
                f"{verb}{on}. Locked: to correct them choose “Amend these minutes…”; this "
                "version is kept.",
            )
            self._show_distribution(minutes)
        self.text.setHtml(minutes_html(minutes))
        self.child.blockSignals(True)
        self.child.clear()
        for child in minutes.children:
            self.child.addItem(child.name, child.child_id)
        self.child.blockSignals(False)
        self._show_chart()

    def _show_distribution(self, minutes: CoreGroupMinutes) -> None:
        if minutes.distributed_on is not None:
            self.distribution.setText(
                f"Sent to the core group on {day_text(minutes.distributed_on)}."
            )
        else:
            deadline = self._services.minutes_deadline(minutes)
            when = f" {deadline_sentence(deadline)[1]}" if deadline is not None else ""
            self.distribution.setText(f"Not sent yet: choose “Send the minutes”.{when}")

    def _show_chart(self) -> None:
        child_id = self.child.currentData()
        if not child_id:
            return
        try:
            if self._received is not None:
                points = self._services.received_scaling_history(child_id)
            else:
                points = self._services.scaling_history(child_id)
        except CoreformError as error:
            self.error.setText(f"The scaling chart could not be drawn: {error}")
            return
        self.chart.show_scaling(self.child.currentText(), points)

    def send(self) -> None:
        """Queues the PDF to every attendee and core group member (minutes-pdf's service)."""
        if self._minutes is None or self._jobs.busy:
            return
        password: str | None = None
        if self._services.get_settings().mail.asks_pdf_password:
            password = PdfPasswordDialog.ask(self)
            if password is None:
                return
        minutes_id = self._minutes.id
        self.send_button.setEnabled(False)
        self.distribution.setText("Sending the minutes: making the PDF and queueing the messages…")
        self._jobs.run(
            lambda: self._services.send_minutes(minutes_id, pdf_password=password),
            done=self._on_sent,
            failed=self._on_send_failed,
            what="Sending the minutes",
        )

    def _on_sent(self, result: Any) -> None:
        """`result`: minutes-pdf's MinutesSendResult (messages queued, names with no email)."""
        self.send_button.setEnabled(True)
        count = len(result.messages)
        text = (
            f"Queued in the Outbox for {count} recipient{'s' if count != 1 else ''}: sending now."
            if count
            else "Everyone with an email address already has this version."
        )
        if result.skipped:
            text += (
                f" No email address for {', '.join(result.skipped)}: give them a copy another way."
            )
        if result.pdf_encrypted:
            text += (
                " The PDF is protected with a password: give it to the recipients by phone or "
                "another channel, never by email."
            )
        self.distribution.setText(text)
        announce(self.distribution, text)
        self.queued.emit()

    def refresh_distribution(self) -> None:
        """After the outbox ran: "Sent to the core group on …" once every message was accepted."""
        if self._minutes is None or self._received is not None or not self.isVisible():
            return
        try:
            self._minutes = self._services.get_minutes(self._minutes.id)
        except CoreformError:
            return
        if self._minutes.distributed_on is not None:
            self._show_distribution(self._minutes)

    def _on_send_failed(self, error: CoreformError) -> None:
        self.send_button.setEnabled(True)
        if self._minutes is not None:
            self._show_distribution(self._minutes)
        self.error.setText(f"Not sent: {error}")

    def amend(self) -> None:
        if self._minutes is None:
            return
        reason = AmendReasonDialog.ask(self, minutes=True)
        if reason is None:
            return
        try:
            draft = self._services.amend_minutes(self._minutes.id, reason)
        except CoreformError as error:
            self.error.setText(f"Not amended: {error}")
            return
        self.amended.emit(draft)
