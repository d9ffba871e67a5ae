"""Drives coreform as a screen reader does, over AT-SPI, and prints what it read as JSON.

Run by tests/ui/test_atspi.py with the SYSTEM Python (Debian's python3-pyatspi), inside
`dbus-run-session` and `xvfb-run`; it starts the app with the Python given and reads its tree the
way Orca does. Not a test module: pytest does not collect it, and it imports nothing of ours.

    atspi_reader.py PYTHON first-run PASSPHRASE
    atspi_reader.py PYTHON unlock WRONG_PASSPHRASE PASSPHRASE
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pyatspi  # type: ignore[import-not-found]
from gi.repository import GLib  # type: ignore[import-not-found]

WAIT_SECONDS = 60.0
announcements: list[str] = []


def _heard(event: Any) -> None:
    announcements.append(str(event.any_data))


def pump(seconds: float = 0.05) -> None:
    """Lets AT-SPI events arrive while we wait (they come through GLib's main loop)."""
    end = time.monotonic() + seconds
    context = GLib.MainContext.default()
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.01)


def wait_for(what: str, find: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            found = find()
        except Exception:  # the tree changes under us while windows open and close
            found = None
        if found:
            return found
        pump(0.1)
    raise SystemExit(f"AT-SPI: gave up waiting for {what}")


def descendants(root: Any) -> list[Any]:
    """Every node under `root`; one that goes away while we read (a page being rebuilt) is
    skipped, as a screen reader would move on."""
    found, todo = [], [root]
    while todo:
        node = todo.pop()
        try:
            children = [child for child in node if child is not None]
        except GLib.GError:
            continue
        found.append(node)
        todo.extend(children)
    return found


def coreform_window(title: str) -> Any:
    for app in pyatspi.Registry.getDesktop(0):
        if app is None:
            continue
        for window in app:
            if window is not None and window.name == title:
                return window
    return None


def first(root: Any, test: Callable[[Any], bool]) -> Any:
    return next((node for node in descendants(root) if test(node)), None)


def role(node: Any) -> str:
    try:
        return str(node.getRoleName())
    except GLib.GError:
        return ""  # gone while we read


def type_text(field: Any, text: str) -> None:
    field.queryEditableText().setTextContents(text)


def press(root: Any, label: str) -> None:
    button = wait_for(
        f"the {label!r} button",
        lambda: first(root, lambda n: role(n) in ("push button", "check box") and n.name == label),
    )
    button.queryAction().doAction(0)


def first_run(passphrase: str) -> dict[str, Any]:
    window = wait_for("the first-run dialog", lambda: coreform_window("Welcome to coreform"))
    fields = wait_for(
        "two passphrase fields",
        lambda: [n for n in descendants(window) if role(n) == "password text"][-2:],
    )
    for field in fields:
        type_text(field, passphrase)
    press(window, "Create my encrypted records")
    key = wait_for(
        "the recovery key",
        lambda: first(window, lambda n: n.description.startswith("Your recovery key") and n.name),
    )
    return {"recovery_key": key.name, "recovery_key_role": role(key)}


def unlock(wrong: str, passphrase: str) -> dict[str, Any]:
    window = wait_for("the unlock dialog", lambda: coreform_window("Open coreform"))
    field = wait_for(
        "the passphrase field", lambda: first(window, lambda n: n.name == "Passphrase")
    )
    type_text(field, wrong)
    press(window, "Open")
    problem = wait_for(
        "the wrong-passphrase message",
        lambda: first(window, lambda n: role(n) == "label" and "passphrase does not" in n.name),
    )
    pump(0.5)
    read: dict[str, Any] = {"problem": problem.name, "announced": list(announcements)}
    type_text(field, passphrase)
    press(window, "Open")
    main = wait_for(
        "the main window",
        lambda: coreform_window("coreform — core group monitoring records"),
    )
    table = wait_for(
        "the My records table",
        lambda: first(main, lambda n: role(n) == "table" and n.name.startswith("My records")),
    )
    cells = table.queryTable()
    read["first_cell"] = cells.getAccessibleAt(0, 0).name
    read["first_column"] = cells.getColumnDescription(0)
    read["headings"] = wait_for(
        "the headings", lambda: [n.name for n in descendants(main) if role(n) == "heading"]
    )
    return read


def main() -> None:
    python, step, *secrets = sys.argv[1:]
    pyatspi.Registry.registerEventListener(_heard, "object:announcement")
    environment = {**os.environ, "QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
    app = subprocess.Popen([python, "-m", "coreform"], env=environment)
    try:
        read = first_run(*secrets) if step == "first-run" else unlock(*secrets)
    finally:
        app.terminate()
        app.wait(timeout=30)
    print(json.dumps(read))


if __name__ == "__main__":
    main()
