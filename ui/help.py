"""The Help menu: the user guide for the user's role (F1), keyboard shortcuts, About.

The guides are Markdown files shipped in `resources/help/`, so Help works with no network.
The shortcuts page lists the window's own actions, so it never drifts from what the keys do.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coreform import __version__
from coreform.records import Role
from coreform.resources import resource_path

GUIDES = (
    (Role.PRACTITIONER, "Practitioner's guide", "practitioner.md"),
    (Role.KEY_WORKER, "Key worker's guide", "key_worker.md"),
    (Role.MANAGER, "Manager's guide", "manager.md"),
    (Role.ADMINISTRATOR, "Administrator's guide", "administrator.md"),
)
LIBRARIES = (
    ("Qt 6 and PySide6", "LGPL-3.0"),
    ("SQLAlchemy and Alembic", "MIT"),
    ("SQLCipher (sqlcipher3)", "BSD-style and zlib"),
    ("reportlab", "BSD"),
    ("pypdf", "BSD-3-Clause"),
    ("python-bidi, uharfbuzz / HarfBuzz", "LGPL-3.0 / MIT"),
    ("holidays", "MIT"),
    ("keyring, platformdirs, argon2-cffi, cryptography", "MIT / Apache-2.0 / BSD"),
    ("pyqtgraph", "MIT"),
    ("openpyxl", "MIT"),
)


class HelpDialog(QDialog):
    """One guide at a time, chosen from a list; opens on the guide for `role`."""

    def __init__(self, role: Role, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("coreform help")
        layout = QVBoxLayout(self)
        label = QLabel("&Guide:", self)
        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Guide")
        label.setBuddy(self.choice)
        for _role, title, file_name in GUIDES:
            self.choice.addItem(title, file_name)
        self.choice.addItem("Keyboard shortcuts", "")
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Guide text")
        self.text.setOpenExternalLinks(False)
        layout.addWidget(label)
        layout.addWidget(self.choice)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._shortcuts = ""
        self.choice.currentIndexChanged.connect(self._show)
        index = next(i for i, (r, _t, _f) in enumerate(GUIDES) if r is role)
        self.choice.setCurrentIndex(index)
        self._show()
        self.resize(760, 620)

    def set_shortcuts(self, markdown: str, *, show: bool) -> None:
        self._shortcuts = markdown
        if show:
            self.choice.setCurrentIndex(self.choice.count() - 1)
        self._show()

    def _show(self) -> None:
        file_name = self.choice.currentData()
        if not file_name:
            self.text.setMarkdown(self._shortcuts)
            return
        path = resource_path("help", file_name)
        try:
            self.text.setMarkdown(path.read_text(encoding="utf-8"))
        except OSError:
            self.text.setPlainText(
                f"This guide is missing from the installation ({path}). Ask IT to reinstall "
                "coreform."
            )


def shortcuts_markdown(window: QMainWindow) -> str:
    """Every action of the window that has keys, in the words of its menu or shortcut."""
    lines = ["# Keyboard shortcuts", "", "| What | Keys |", "|---|---|"]
    seen: set[str] = set()
    for action in window.findChildren(QAction):
        keys = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()]
        name = action.text().replace("&", "").rstrip("…")
        if keys and name and name not in seen:
            seen.add(name)
            lines.append(f"| {name} | {' or '.join(keys)} |")
    lines += [
        "",
        "Tab and Shift+Tab move between fields; in a table, the arrow keys move between rows "
        "and Enter opens the row.",
    ]
    return "\n".join(lines)


def about_text() -> str:
    libraries = "".join(f"<li>{name}: {licence}</li>" for name, licence in LIBRARIES)
    return (
        f"<p><b>coreform {__version__}</b>: multi-agency core group monitoring records for "
        "children on child protection and child in need plans.</p>"
        "<p>coreform is open source under the MIT licence.</p>"
        "<p>Fonts: Noto Sans, Noto Sans Arabic, Bengali, Gurmukhi, CJK (Simplified Chinese), "
        "Symbols 2 and Noto Emoji, under the SIL Open Font Licence 1.1 (OFL.txt in the "
        f"installation's fonts folder: {resource_path('fonts')}).</p>"
        f"<p>Libraries:</p><ul>{libraries}</ul>"
    )


def install_help_menu(window: QMainWindow, role: Role) -> None:
    """Adds Help → User guide (F1), Keyboard shortcuts and About to `window`."""
    menu = window.menuBar().addMenu("&Help")
    guide = QAction("&User guide", window)
    guide.setShortcut(QKeySequence("F1"))
    guide.triggered.connect(lambda: _open_help(window, role, shortcuts=False))
    shortcuts = QAction("&Keyboard shortcuts", window)
    shortcuts.triggered.connect(lambda: _open_help(window, role, shortcuts=True))
    about = QAction("&About coreform", window)
    about.triggered.connect(lambda: QMessageBox.about(window, "About coreform", about_text()))
    for action in (guide, shortcuts, about):
        menu.addAction(action)
    window.addAction(guide)  # F1 works wherever the focus is, menu bar shown or not


def _open_help(window: QMainWindow, role: Role, *, shortcuts: bool) -> None:
    dialog = HelpDialog(role, window)
    dialog.set_shortcuts(shortcuts_markdown(window), show=shortcuts)
    dialog.exec()
    dialog.deleteLater()
