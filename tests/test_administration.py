"""Administration through the services: accounts, retention, plain SMTP; role-checked, audited."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from coreform.audit import AuditAction
from coreform.records import MonitoringRecord, Role, new_id
from coreform.retention import RecordType, RetentionAnchor, RetentionPolicy, RetentionRule
from coreform.services import (
    AccessError,
    RetentionBlockedError,
    Services,
    SignInError,
)


def _actions(services: Services, count: int) -> list[AuditAction]:
    return [e.action for e in reversed(services.audit_page(0, count))]


@pytest.fixture
def admin(services: Services) -> Services:
    services.create_account("ada", "admin password", Role.ADMINISTRATOR)
    services.sign_in("ada", "admin password")
    services.create_account("pat", "long password", Role.PRACTITIONER)
    services.create_account("mo", "long password", Role.MANAGER)
    return services


def test_an_administrator_unlocks_changes_roles_and_resets_passwords(admin: Services) -> None:
    for _ in range(6):
        with pytest.raises(SignInError):
            admin.sign_in("pat", "wrong password")
    admin.sign_in("ada", "admin password")
    assert {a.user_name: a.locked for a in admin.list_accounts()}["pat"]
    assert not admin.unlock_account("pat").locked
    assert admin.change_role("pat", Role.KEY_WORKER).role is Role.KEY_WORKER
    admin.reset_password("pat", "a new password")
    assert _actions(admin, 3) == [
        AuditAction.ACCOUNT_UNLOCKED,
        AuditAction.ROLE_CHANGED,
        AuditAction.PASSWORD_RESET,
    ]
    assert admin.sign_in("pat", "a new password").role is Role.KEY_WORKER


def test_the_last_administrator_keeps_the_role(admin: Services) -> None:
    with pytest.raises(AccessError, match="only administrator"):
        admin.change_role("ada", Role.MANAGER)
    admin.change_role("mo", Role.ADMINISTRATOR)
    assert admin.change_role("ada", Role.MANAGER).role is Role.MANAGER
    assert admin.role is Role.MANAGER  # the signed-in account follows its new role


def test_a_practitioner_is_refused_every_administration(admin: Services) -> None:
    admin.sign_in("pat", "long password")
    for action in (
        admin.list_accounts,
        lambda: admin.create_account("eve", "long password", Role.ADMINISTRATOR),
        lambda: admin.unlock_account("mo"),
        lambda: admin.change_role("pat", Role.ADMINISTRATOR),
        lambda: admin.reset_password("ada", "taken over"),
        lambda: admin.set_allow_plain_smtp(True),
        admin.records_past_retention,
        lambda: admin.save_retention_policy(RetentionPolicy()),
    ):
        with pytest.raises(AccessError):
            action()
    assert not admin.can_administer()


def test_without_signing_in_accounts_cannot_be_changed(admin: Services, database_url: str) -> None:
    other = Services.open(database_url)
    try:
        with pytest.raises(AccessError, match="Sign in first"):
            other.unlock_account("pat")
    finally:
        other.close()


def _past_and_recent(services: Services, full_record: MonitoringRecord) -> tuple[str, str]:
    old = copy.deepcopy(full_record)
    old.id = new_id()
    for observation in old.children:
        observation.child.id = new_id()
        observation.child.date_of_birth = dt.date(2000, 1, 1)
    recent = services.submit_record(full_record).id
    return services.submit_record(old).id, recent


def test_retention_review_hold_and_delete_by_a_manager(
    admin: Services, full_record: MonitoringRecord
) -> None:
    old, recent = _past_and_recent(admin, full_record)
    listed = admin.records_past_retention()
    assert [c.record_id for c in listed] == [old]
    assert listed[0].visit_date == full_record.visit_date
    assert "25 years from the youngest child's date of birth" in listed[0].reason
    with pytest.raises(AccessError, match="manager"):
        admin.delete_record_past_retention(old)  # an administrator is not a manager
    admin.sign_in("mo", "long password")
    with pytest.raises(RetentionBlockedError, match="Say why"):
        admin.set_legal_hold(old, " ")
    admin.set_legal_hold(old, "Court order 2026/17")
    assert admin.records_past_retention()[0].hold_reason == "Court order 2026/17"
    with pytest.raises(RetentionBlockedError, match="legal hold"):
        admin.delete_record_past_retention(old)
    admin.release_legal_hold(old)
    with pytest.raises(RetentionBlockedError, match="inside its retention period"):
        admin.delete_record_past_retention(recent)
    reference = admin.delete_record_past_retention(old)
    assert admin.records_past_retention() == []
    last = admin.audit_page(0, 1)[0]
    assert (last.action, last.record_reference, last.user) == (
        AuditAction.DELETED,
        reference,
        "mo",
    )


def test_the_retention_policy_is_kept_in_settings(
    admin: Services, full_record: MonitoringRecord
) -> None:
    _past_and_recent(admin, full_record)
    policy = RetentionPolicy(
        {RecordType.MONITORING_RECORD: RetentionRule(1, RetentionAnchor.RECORD_DATE)}
    )
    admin.save_retention_policy(policy)
    assert admin.retention_policy() == policy
    assert admin.audit_page(0, 1)[0].action is AuditAction.SETTING_CHANGED
    assert admin.records_past_retention() == []  # visits in 2026, a year not yet over
    assert RetentionPolicy.from_json("not json") == RetentionPolicy()


def test_only_an_administrator_allows_plain_smtp(admin: Services) -> None:
    admin.set_allow_plain_smtp(True)
    assert admin.get_settings().mail.allow_plain
    assert admin.audit_page(0, 1)[0].record_reference == "mail.allow_plain=on"
    admin.sign_in("mo", "long password")
    with pytest.raises(AccessError):
        admin.set_allow_plain_smtp(False)
    settings = admin.get_settings()
    settings.mail.allow_plain = False
    settings.organisation = "Riverside"
    admin.save_settings(settings)  # a manager saving the mail settings
    assert admin.get_settings().mail.allow_plain
    assert admin.get_settings().organisation == "Riverside"


def test_a_single_user_installation_is_its_administrator(services: Services) -> None:
    assert services.can_administer()
    services.set_allow_plain_smtp(True)
    assert services.list_accounts() == []
    with pytest.raises(AccessError, match="manager"):
        services.set_legal_hold("anything", "a reason")
