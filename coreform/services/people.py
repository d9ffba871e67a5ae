"""Accounts, signing in and reading the audit trail (issue 5)."""

from __future__ import annotations

from coreform import accounts
from coreform.accounts import Account, AccountError, LockoutPolicy
from coreform.audit import AuditAction, AuditEntry, VerifyResult, export_head
from coreform.errors import AccessError, SignInError
from coreform.records import Role
from coreform.services.context import (
    ADMINISTRATORS,
    AUDIT_READERS,
    ServiceContext,
    account_errors,
)
from coreform.storage.audit_log import audit_count, audit_head, audit_page, verify_all


class PeopleServices(ServiceContext):
    def has_accounts(self) -> bool:
        with self._work("read the accounts") as uow:
            return uow.accounts.any()

    def sign_in(self, user_name: str, password: str) -> Account:
        """Checks the password (argon2id); every failure is counted and audited, then raised."""
        with self._work("sign you in") as uow:
            result = accounts.sign_in(
                uow, user_name, password, at=self._now(), policy=LockoutPolicy()
            )
        if result.account is None:
            raise SignInError(result.message)
        self._account = result.account
        return result.account

    def record_passphrase_sign_in(self, *, ok: bool) -> None:
        """A single-user installation signs in with its database passphrase; audit the attempt."""
        with self._work("record the sign-in") as uow:
            self._audit(uow, AuditAction.SIGN_IN if ok else AuditAction.SIGN_IN_FAILED)

    def create_account(
        self, user_name: str, password: str, role: Role, *, display_name: str = ""
    ) -> Account:
        """The first account must be an administrator's; later ones need one signed in."""
        try:
            with self._work("add the account") as uow:
                return accounts.create_account(
                    uow,
                    user_name=user_name,
                    password=password,
                    role=role,
                    at=self._now(),
                    by=self._account,
                    display_name=display_name,
                )
        except AccountError as error:
            raise AccessError(str(error)) from error

    def can_administer(self) -> bool:
        """Managers and administrators see the Administration page."""
        return self.role in ADMINISTRATORS

    def list_accounts(self) -> list[Account]:
        with self._work("read the accounts") as uow:
            self._require_role(uow, *ADMINISTRATORS)
            return uow.accounts.all()

    def unlock_account(self, user_name: str) -> Account:
        with account_errors(), self._work("unlock the account") as uow:
            by = self._signed_in_as(uow, Role.ADMINISTRATOR)
            return accounts.unlock_account(uow, user_name, by=by, at=self._now())

    def change_role(self, user_name: str, role: Role) -> Account:
        """Never leaves the installation without an administrator."""
        with account_errors(), self._work("change the role") as uow:
            by = self._signed_in_as(uow, Role.ADMINISTRATOR)
            changed = accounts.change_role(uow, user_name, role, by=by, at=self._now())
        if changed.user_name == by.user_name:
            self._account = changed
        return changed

    def reset_password(self, user_name: str, new_password: str) -> Account:
        """For someone who forgot theirs; also unlocks the account."""
        with account_errors(), self._work("reset the password") as uow:
            by = self._signed_in_as(uow, Role.ADMINISTRATOR)
            return accounts.reset_password(uow, user_name, new_password, by=by, at=self._now())

    # ---- the audit trail ----------------------------------------------------------------------

    def can_read_audit(self) -> bool:
        return self.role in AUDIT_READERS

    def _require_audit_reader(self) -> None:
        if not self.can_read_audit():
            raise AccessError("Only a manager or an administrator can read the audit trail.")

    def audit_count(self) -> int:
        self._require_audit_reader()
        with self._work("read the audit trail") as uow:
            return audit_count(uow.session)

    def audit_page(self, offset: int, limit: int) -> list[AuditEntry]:
        """Newest entry first."""
        self._require_audit_reader()
        with self._work("read the audit trail") as uow:
            return audit_page(uow.session, offset=offset, limit=limit)

    def verify_audit(self) -> VerifyResult:
        self._require_audit_reader()
        with self._work("check the audit trail") as uow:
            return verify_all(uow.session, keys=self._audit_keys)

    def audit_head_line(self) -> str:
        """`coreform-audit-head seq=N sha256=…`: to keep outside the database."""
        self._require_audit_reader()
        with self._work("read the audit trail") as uow:
            return export_head(audit_head(uow.session))
