"""Where the top-level `resources/` folder is, in a checkout and in the installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """A path inside `resources/`; the wheel force-includes it as `coreform/_resources`."""
    installed = _PACKAGE / "_resources"
    base = installed if installed.is_dir() else _PACKAGE.parent / "resources"
    return base.joinpath(*parts)
