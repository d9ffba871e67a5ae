"""Plain words when the operating system's password store cannot be used (issue 10).

What the keyring says names packages and backends the user cannot act on, so it goes to the log
(its kind only) and the user reads one sentence: what cannot be kept, and what to do instead.
"""

from __future__ import annotations

import logging

_log = logging.getLogger(__name__)


def store_unusable(what: str, instead: str, error: Exception) -> str:
    """'This computer's password store cannot be used, so the mail password cannot be saved or
    read. <instead>'"""
    _log.warning("The password store refused %s: %s", what, type(error).__name__)
    return (
        f"This computer's password store cannot be used, so {what} cannot be saved or read. "
        f"{instead}"
    )
