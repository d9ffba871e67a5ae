"""The bundled Noto fonts back the UI's own font, so names in every script show (issue 10)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ui.fonts import install_fallback_fonts


def test_the_bundled_fonts_are_the_ui_fonts_fallback(qapp: QApplication) -> None:
    install_fallback_fonts(qapp)
    fallbacks = [f.casefold() for f in QFont.substitutes(qapp.font().family())]  # Qt folds them
    for family in ("Noto Sans CJK SC", "Noto Sans Arabic", "Noto Sans Bengali"):
        assert family.casefold() in fallbacks and family in QFontDatabase.families()
    assert "noto emoji" not in fallbacks
