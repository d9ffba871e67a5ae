"""Builds the one-folder bundle from installer/coreform.spec, then checks it with --smoke.

Run from anywhere: `uv run --with pyinstaller python installer/build.py [--dist DIR]`.
Prints the bundle's size and the build time; exits non-zero if the build or the check fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "coreform.spec"


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's scratch")
    options = parser.parse_args()
    started = time.monotonic()
    built = subprocess.run(  # noqa: S603 - our own spec, our own interpreter
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(SPEC),
            "--noconfirm",
            "--clean",
            "--distpath",
            str(options.dist),
            "--workpath",
            str(options.work),
        ],
        cwd=ROOT,
        check=False,
    )
    if built.returncode != 0:
        print("build failed", file=sys.stderr)
        return built.returncode
    seconds = time.monotonic() - started
    bundle = options.dist / "coreform"
    cli = bundle / ("coreform-cli.exe" if os.name == "nt" else "coreform-cli")
    environment = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    smoke = subprocess.run([str(cli), "--smoke"], env=environment, check=False)  # noqa: S603
    print(f"bundle: {bundle} — {folder_size(bundle) / 2**20:.0f} MB, built in {seconds:.0f} s")
    if smoke.returncode != 0:
        print("the bundle's smoke check failed", file=sys.stderr)
    return smoke.returncode


if __name__ == "__main__":
    sys.exit(main())
