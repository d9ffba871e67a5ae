"""Settings are checked with the editor's rules before they are saved (issue 18)."""

from __future__ import annotations

from coreform.outbox import Transport
from coreform.records import Practitioner
from coreform.settings import UserSettings, settings_problems
from coreform.validation import MAX_TEXT_CHARS, looks_like_email


def test_good_settings_have_no_problems() -> None:
    settings = UserSettings(me=Practitioner(name="Nguyễn Thị Lan", email="lan@nhs.example"))
    assert settings_problems(settings) == []
    assert settings_problems(UserSettings()) == []  # nothing typed yet is fine


def test_each_problem_names_its_field_and_says_what_to_do() -> None:
    settings = UserSettings(me=Practitioner(email="not-an-email", role="x" * (MAX_TEXT_CHARS + 1)))
    settings.organisation = "Riverside\x00School"
    settings.mail.send_method = Transport.SMTP
    settings.mail.from_address = "office at school"
    found = {problem.field: problem.message for problem in settings_problems(settings)}
    assert found == {
        "me.email": "Your email does not look right. It should look like name@example.gov.uk.",
        "me.role": "Your role is too long (20,001 characters). "
        "Please shorten it to 20,000 characters or fewer.",
        "organisation": "Your organisation contains a hidden character from a paste. "
        "Please type it again.",
        "mail.from_address": "The From address does not look right. "
        "It should look like name@example.gov.uk.",
        "mail.smtp_host": "Enter the mail server, or choose to open records in your email program.",
    }


def test_one_email_rule() -> None:
    assert looks_like_email(" amira.haddad@council.gov.uk ")
    assert not looks_like_email("amira haddad@council.gov.uk")
    assert not looks_like_email("amira@localhost")
