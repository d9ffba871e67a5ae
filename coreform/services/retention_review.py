"""Retention review (issue 5): periods, legal holds, and deletion only by a manager's decision."""

from __future__ import annotations

from coreform import retention
from coreform.audit import AuditAction
from coreform.records import Role
from coreform.retention import RetentionCandidate, RetentionPolicy
from coreform.services.context import ADMINISTRATORS, ServiceContext, account_errors
from coreform.storage.unit_of_work import UnitOfWork

_RETENTION_KEY = "retention.policy"


def _policy(uow: UnitOfWork) -> RetentionPolicy:
    return RetentionPolicy.from_json(uow.settings.get(_RETENTION_KEY) or "")


class RetentionServices(ServiceContext):
    def retention_policy(self) -> RetentionPolicy:
        with self._work("read the retention periods") as uow:
            return _policy(uow)

    def save_retention_policy(self, policy: RetentionPolicy) -> None:
        with self._work("save the retention periods") as uow:
            self._require_role(uow, *ADMINISTRATORS)
            uow.settings.put({_RETENTION_KEY: policy.to_json()})
            for kind, rule in policy.rules.items():
                self._audit(
                    uow,
                    AuditAction.SETTING_CHANGED,
                    f"retention.{kind.value}={rule.years}y from {rule.anchor.value}",
                )

    def records_past_retention(self) -> list[RetentionCandidate]:
        """Issue 5: listed for review by reference; nothing is ever deleted by itself."""
        with self._work("list records past retention") as uow:
            self._require_role(uow, *ADMINISTRATORS)
            return retention.records_past_retention(
                uow.retention, today=self.today(), policy=_policy(uow)
            )

    def set_legal_hold(self, record_id: str, reason: str) -> None:
        with account_errors(), self._work("set the legal hold") as uow:
            by = self._signed_in_as(uow, Role.MANAGER)
            retention.set_legal_hold(uow, record_id, reason, by=by, at=self._now())

    def release_legal_hold(self, record_id: str) -> None:
        with account_errors(), self._work("release the legal hold") as uow:
            by = self._signed_in_as(uow, Role.MANAGER)
            retention.release_legal_hold(uow, record_id, by=by, at=self._now())

    def delete_record_past_retention(self, record_id: str) -> str:
        """Issue 5: a manager's decision, refused under legal hold; returns the reference."""
        with account_errors(), self._work("delete the record") as uow:
            by = self._signed_in_as(uow, Role.MANAGER)
            return retention.delete_past_retention(
                uow, record_id, by=by, at=self._now(), policy=_policy(uow)
            )
