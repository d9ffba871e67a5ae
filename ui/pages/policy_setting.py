"""Settings → Timescales: the organisation's policy profile (managers and administrators)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from coreform.records import Role
from coreform.services import CoreformError, Services


class PolicySetting(QGroupBox):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("Timescales", parent)
        self._services = services
        layout = QVBoxLayout(self)
        label = QLabel("Your organisation's safeguarding partnership &procedures:", self)
        label.setWordWrap(True)
        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Your organisation's safeguarding partnership procedures")
        label.setBuddy(self.choice)
        self.use_button = QPushButton("&Use these timescales", self)
        self.use_button.clicked.connect(self.save)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        for widget in (label, self.choice, self.use_button, self.status):
            layout.addWidget(widget)
        allowed = services.role in (Role.MANAGER, Role.ADMINISTRATOR)
        self.choice.setEnabled(allowed)
        self.use_button.setEnabled(allowed)
        if not allowed:
            self.status.setText("A manager or administrator chooses these for everyone.")

    def refresh(self) -> None:
        self.choice.clear()
        self.choice.addItem("Not chosen yet", "")
        for policy_id, title in self._services.policy_choices():
            self.choice.addItem(title, policy_id)
        try:
            chosen = self._services.policy_id()
        except CoreformError as error:
            self.status.setText(str(error))
            return
        self.choice.setCurrentIndex(max(0, self.choice.findData(chosen)))

    def save(self) -> None:
        policy_id = self.choice.currentData()
        if not policy_id:
            self.status.setText("Choose the procedures your organisation follows first.")
            return
        try:
            self._services.set_policy(policy_id)
        except CoreformError as error:
            self.status.setText(f"Not saved: {error}")
            return
        self.status.setText(f"Timescales saved: {self.choice.currentText()}.")
