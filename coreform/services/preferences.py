"""The user's settings, the secrets kept in the OS keyring, and the working calendar."""

from __future__ import annotations

import copy
import datetime as dt
import logging

from coreform.audit import AuditAction
from coreform.deadlines import Deadline, deadline, due_date
from coreform.dispatch import DispatchError, SecretKind, Sender
from coreform.errors import DateOutOfRangeError, SendingError
from coreform.records import Practitioner, Role, date_in_range, out_of_range_message
from coreform.services.context import ServiceContext
from coreform.settings import MailSettings, UserSettings
from coreform.workdays import WorkingCalendar

_log = logging.getLogger(__name__)


class PreferenceServices(ServiceContext):
    def get_settings(self) -> UserSettings:
        return copy.deepcopy(self._stored_settings())

    @property
    def work_role(self) -> Role:
        """What the user does, for their guide and home page: the account's role, else the one
        chosen at set-up (a single-user installation is run by whoever holds its passphrase)."""
        account = self.account
        return account.role if account is not None else self._stored_settings().role

    def save_settings(self, settings: UserSettings) -> None:
        """Saves everything but `mail.allow_plain`, which only `set_allow_plain_smtp` changes."""
        saved = copy.deepcopy(settings)
        with self._work("save your settings") as uow:
            stored = UserSettings.from_values(uow.settings.values())
            saved.mail.allow_plain = stored.mail.allow_plain
            uow.settings.put(saved.to_values())
        self._settings = saved

    def set_allow_plain_smtp(self, allow: bool) -> None:
        """Issue 4: plain SMTP is refused unless an administrator allows it explicitly."""
        with self._work("change the mail security") as uow:
            self._require_role(uow, Role.ADMINISTRATOR)
            settings = UserSettings.from_values(uow.settings.values())
            settings.mail.allow_plain = allow
            uow.settings.put(settings.to_values())
            self._audit(
                uow, AuditAction.SETTING_CHANGED, f"mail.allow_plain={'on' if allow else 'off'}"
            )
        self._settings = settings

    def calendar(self) -> WorkingCalendar:
        """Working days of the user's nation (no copy of the settings: it runs once per row)."""
        nation = self._stored_settings().nation
        calendar = self._calendars.get(nation)
        if calendar is None:
            calendar = self._calendars[nation] = WorkingCalendar(nation)
        return calendar

    def completion_deadline(self, visit_date: dt.date) -> dt.date:
        if not date_in_range(visit_date):
            raise DateOutOfRangeError(out_of_range_message(visit_date))
        return due_date(visit_date, self.calendar())

    def deadline(
        self,
        visit_date: dt.date | None,
        *,
        completed_on: dt.date | None = None,
        sent_on: dt.date | None = None,
    ) -> Deadline | None:
        """Where a record stands against its deadline today (coreform.deadlines.deadline);
        None also for a year typed wrong in a draft kept from before dates were checked."""
        if visit_date is not None and not date_in_range(visit_date):
            return None
        return deadline(
            visit_date,
            self.calendar(),
            today=self.today(),
            completed_on=completed_on,
            sent_on=sent_on,
        )

    # ---- secrets in the OS keyring, never in the database --------------------------------------

    def _secret(self, kind: SecretKind, settings: UserSettings) -> str | None:
        try:
            return self._require_dispatcher().read_secret(kind, settings.mail)
        except DispatchError as error:
            raise SendingError(str(error)) from error

    def send_test_message(
        self, mail: MailSettings, password: str | None = None, *, me: Practitioner | None = None
    ) -> str:
        """Sends a message with no record in it through `mail`'s server to my own address;
        returns that address. `password` None: the one kept in the OS keyring; `me` None: my
        saved details (the set-up wizard passes what is typed before it saves)."""
        me = me if me is not None else self.get_settings().me
        to = mail.sender(me)
        sender = Sender(address=to, name=me.name, message_id_domain=mail.message_id_domain(me))
        try:
            self._require_dispatcher().send_test_message(
                mail, password, sender=sender, to=to, date=self._now()
            )
        except DispatchError as error:
            raise SendingError(str(error)) from error
        _log.info("test message accepted by the mail server")
        return to

    def save_mail_password(self, password: str) -> None:
        """Keeps the SMTP password in the OS keyring (never in the database)."""
        self._store_secret(SecretKind.SMTP, password)

    def save_organisation_pdf_password(self, password: str) -> None:
        """Keeps the organisation's PDF password in the OS keyring (never in the database)."""
        self._store_secret(SecretKind.ORGANISATION_PDF, password)

    def _store_secret(self, kind: SecretKind, value: str) -> None:
        try:
            self._require_dispatcher().store_secret(kind, self.get_settings().mail, value)
        except DispatchError as error:
            raise SendingError(str(error)) from error
