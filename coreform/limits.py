"""The limits coreform enforces, each defined once with the reason for it.

Imported by the core, storage and the window alike, so it imports nothing.
"""

from __future__ import annotations

# NCSC "three random words": a long passphrase beats a complex short one.
MIN_PASSPHRASE_LENGTH = 12
# Issue 5: the window locks after 5 minutes idle by default, configurable from 1 up to 15.
DEFAULT_IDLE_LOCK_MINUTES = 5
MIN_IDLE_LOCK_MINUTES = 1
MAX_IDLE_LOCK_MINUTES = 15
# Issue 5: keep a configurable number of backups; ten covers a fortnight of working days.
DEFAULT_BACKUPS_KEEP = 10
