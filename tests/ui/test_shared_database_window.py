"""Shared mode as a user meets it: the settings dialog, and start-up on the team's server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from coreform import connection
from coreform.connection import ConnectionConfig, Mode, SharedDatabase, SslMode
from coreform.records import Role
from coreform.settings import config_dir
from tests.conftest import MemoryKeyring
from tests.pg_server import APP_PASSWORD, APP_USER, PgServer, free_port
from tests.qtbot import QtBot
from tests.ui.conftest import close_main_window_when_shown, when_dialog_opens
from tests.ui.helpers import click
from ui.app import run
from ui.dialogs.first_administrator import FirstAdministratorDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.shared_database import NEXT_START, SharedDatabaseDialog, security_index


def _fill(
    qtbot: QtBot, dialog: SharedDatabaseDialog, shared: SharedDatabase, password: str
) -> None:
    # The radio button is as wide as the dialog: click its circle, not the empty middle.
    qtbot.mouseClick(
        dialog.shared, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.shared.height() // 2)
    )
    for editor, text in (
        (dialog.host, shared.host),
        (dialog.database, shared.database),
        (dialog.user, shared.user),
        (dialog.password, password),
        (dialog.certificate, shared.sslrootcert),
    ):
        editor.clear()
        qtbot.keyClicks(editor, text)
    dialog.port.setValue(shared.port)
    dialog.security.setCurrentIndex(security_index(shared.sslmode))


def _button(box: QMessageBox, text: str) -> QPushButton:
    found = [b for b in box.buttons() if isinstance(b, QPushButton) and b.text() == text]
    assert found, [b.text() for b in box.buttons()]
    return found[0]


def test_the_dialog_explains_wrong_details_and_warns_about_require(
    qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    dialog = SharedDatabaseDialog(ConnectionConfig())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.details.isEnabled()
    _fill(qtbot, dialog, SharedDatabase("db.example", user="jo", sslmode=SslMode.DISABLE), "pw")
    assert "only for a database server on this same computer" in dialog.warning.text()
    click(qtbot, dialog.save_button)
    assert "cannot travel unencrypted" in dialog.warning.text()
    assert not (config_dir() / connection.CONFIG_FILE).exists()
    dialog.security.setCurrentIndex(security_index(SslMode.REQUIRE))
    assert "impostor" in dialog.warning.text()
    click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.status.text() == NEXT_START
    saved = connection.load_config()
    assert saved.mode is Mode.SHARED and saved.shared.sslmode is SslMode.REQUIRE
    assert connection.read_password(saved.shared) == "pw"


@pytest.mark.postgresql
def test_test_connection_runs_in_the_background_and_saving_applies_next_start(
    qtbot: QtBot, postgresql_server: PgServer, memory_keyring: MemoryKeyring
) -> None:
    postgresql_server.create_database("coreform_ui_settings", owner=APP_USER)
    shared = SharedDatabase(
        "localhost", postgresql_server.port, "coreform_ui_settings", APP_USER,
        sslrootcert=str(postgresql_server.ca_file),
    )  # fmt: skip
    dialog = SharedDatabaseDialog(ConnectionConfig())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _fill(qtbot, dialog, shared, "wrong password")
    with qtbot.waitSignal(dialog.tested, timeout=15_000) as failed:
        click(qtbot, dialog.test_button)
    assert failed.args is not None and failed.args[0] is False
    assert "refused the user name or password" in dialog.status.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, APP_PASSWORD)
    with qtbot.waitSignal(dialog.tested, timeout=15_000) as passed:
        click(qtbot, dialog.test_button)
    assert passed.args is not None and passed.args[0] is True
    assert "Connected to PostgreSQL" in dialog.status.text()
    click(qtbot, dialog.save_button)
    assert connection.load_config() == ConnectionConfig(Mode.SHARED, shared)
    assert connection.read_password(shared) == APP_PASSWORD


@pytest.mark.postgresql
def test_start_up_on_a_new_shared_database_makes_the_first_administrator(
    qtbot: QtBot,
    tmp_path: Path,
    postgresql_server: PgServer,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COREFORM_DATA_DIR", str(tmp_path / "data"))
    postgresql_server.create_database("coreform_ui_start", owner=APP_USER)
    shared = SharedDatabase(
        "localhost", postgresql_server.port, "coreform_ui_start", APP_USER,
        sslrootcert=str(postgresql_server.ca_file),
    )  # fmt: skip
    connection.save_config(ConnectionConfig(Mode.SHARED, shared))
    connection.save_password(shared, APP_PASSWORD)

    def first_administrator(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstAdministratorDialog)
        for editor, text in (
            (dialog.user_name, "amara"),
            (dialog.display_name, "Amara Okoye"),
            (dialog.password, "team lead pass"),
            (dialog.again, "team lead pass"),
        ):
            qtbot.keyClicks(editor, text)
        click(qtbot, dialog.create_button)
        QTimer.singleShot(0, close_main_window_when_shown)

    when_dialog_opens(first_administrator)
    assert run([]) == 0
    assert not (tmp_path / "data" / "coreform.db").exists(), "nothing kept on this computer"
    services = connection.open_services(shared)
    try:
        account = services.sign_in("amara", "team lead pass")
        assert account.role is Role.ADMINISTRATOR
    finally:
        services.close()


def test_an_unreachable_server_offers_to_work_on_this_computer(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COREFORM_DATA_DIR", str(tmp_path / "data"))
    shared = SharedDatabase("localhost", free_port(), "coreform", "jo", SslMode.REQUIRE)
    connection.save_config(ConnectionConfig(Mode.SHARED, shared))
    connection.save_password(shared, "pw")
    messages: list[str] = []

    def unreachable(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        messages.append(dialog.text())
        if len(messages) == 1:
            click(qtbot, _button(dialog, "Try again"))
            when_dialog_opens(unreachable)
        else:
            when_dialog_opens(quit_first_run)
            click(qtbot, _button(dialog, "Work on this computer"))

    def quit_first_run(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)  # the local database, as on any first run
        click(qtbot, dialog.cancel_button)

    when_dialog_opens(unreachable)
    assert run([]) == 0
    assert len(messages) == 2
    assert messages[0].startswith(
        f"coreform could not reach the shared database at localhost:{shared.port}/coreform"
    )
    assert connection.load_config() == ConnectionConfig(Mode.LOCAL, shared)


def test_quitting_when_the_server_cannot_be_reached_opens_nothing(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COREFORM_DATA_DIR", str(tmp_path / "data"))
    shared = SharedDatabase("localhost", free_port(), "coreform", "jo", SslMode.REQUIRE)
    connection.save_config(ConnectionConfig(Mode.SHARED, shared))
    when_dialog_opens(lambda box: click(qtbot, _button(box, "Quit")))  # type: ignore[arg-type]
    assert run([]) == 0
    assert connection.load_config().mode is Mode.SHARED
    # Nothing but the log of what happened: no database was made on this computer.
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["coreform.log"]
