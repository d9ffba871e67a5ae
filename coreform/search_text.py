"""Search ignores accents and case: "zoe nguyen" finds "Zoë Ødegård-Nguyễn" (issue 10).

Text is folded once, when a record or family is stored, into a search column the database
matches with LIKE, so SQLite and PostgreSQL search alike and nothing is loaded into Python.
Folding: compatibility decomposition without the combining marks (é -> e, ễ -> e, Arabic short
vowels dropped), case folding (ß -> ss), and the letters Unicode does not decompose (ø, ł, đ...).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters with a stroke or ligatures: no decomposition, so spelled out as people type them.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "þ": "th", "æ": "ae", "œ": "oe"}
)
LIKE_ESCAPE = "\\"


@lru_cache(maxsize=16_384)  # names repeat across a caseload's records: fold each once
def fold(text: str) -> str:
    """`text` as searched: no accents, case folded, whitespace runs made one space."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_UNDECOMPOSED).split())


def search_terms(typed: str) -> list[str]:
    """The words typed, folded; a record matches when its search text holds every one."""
    return fold(typed).split()


def like_pattern(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, with LIKE's own wildcards taken literally."""
    escaped = term.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
