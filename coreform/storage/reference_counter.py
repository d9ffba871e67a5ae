"""Issues record references from the database itself, so two people saving at once never get
the same number: one upsert raises the year's counter and returns it (PostgreSQL locks the row
until commit; SQLite allows one writer at a time). Never read-then-write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coreform.record_versions import INSTALLATION_CODE_KEY, format_reference, new_installation_code
from coreform.storage.tables import ReferenceCounterRow, SettingRow

MINUTES_SERIES = 100_000


class ReferenceCounter:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_reference(self, year: int) -> str:
        """CG-<installation code>-<year>-<number>; the number is 1 more than the last one issued."""
        return format_reference(self.installation_code(), year, self._next_number(year))

    def next_minutes_reference(self, year: int) -> str:
        """CGM-<installation code>-<year>-<number>: core group minutes count in a series of their
        own, kept in the same counters table under year + MINUTES_SERIES."""
        number = self._next_number(MINUTES_SERIES + year)
        return f"CGM-{self.installation_code()}-{year}-{number:05d}"

    def installation_code(self) -> str:
        """Made when the database is created (migration 0003) and never changed."""
        code = self._session.scalar(
            select(SettingRow.value).where(SettingRow.key == INSTALLATION_CODE_KEY)
        )
        if code:
            return code
        # A database restored without its settings row: make one, as at first run.
        made = new_installation_code()
        self._session.add(SettingRow(key=INSTALLATION_CODE_KEY, value=made))
        self._session.flush()
        return made

    def _next_number(self, year: int) -> int:
        statement: Any
        if self._session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement = pg_insert(ReferenceCounterRow)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            statement = sqlite_insert(ReferenceCounterRow)
        statement = (
            statement.values(year=year, last=1)
            .on_conflict_do_update(
                index_elements=["year"], set_={"last": ReferenceCounterRow.last + 1}
            )
            .returning(ReferenceCounterRow.last)
        )
        number = self._session.execute(statement).scalar_one()
        return int(number)
