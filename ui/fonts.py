"""The bundled Noto fonts (resources/fonts) as the UI's fallback, so every script's names show.

Locked-down PCs without a Chinese, Arabic or Bengali font otherwise draw those names as boxes.
Registering all of them costs about 5 ms (Qt reads the 9 MB CJK file lazily), so it runs before
the first window. They are tried after the UI's own font, for the characters it lacks.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from coreform.resources import resource_path

_log = logging.getLogger(__name__)

# Monochrome: a system's colour emoji font, where there is one, draws emoji better.
_NOT_A_FALLBACK = {"Noto Emoji"}


def install_fallback_fonts(app: QApplication) -> None:
    families: list[str] = []
    for path in sorted(resource_path("fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            _log.warning("font %s could not be loaded", path.name)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    primary = app.font().family()
    QFont.insertSubstitutions(
        primary, [f for f in families if f != primary and f not in _NOT_A_FALLBACK]
    )
