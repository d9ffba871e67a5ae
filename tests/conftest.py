"""Shared fixtures: a real SQLite file per test, opened through the services with a fixed clock."""

from __future__ import annotations

import os
import ssl

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
import trustme
from keyring.backend import KeyringBackend

from coreform.logs import stop_logging
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    SendMethod,
    Setting,
)
from coreform.services import Services
from reports.dispatch import MailDispatcher
from tests.pg_server import PgServer, ServerUnavailableError, running_server

# Wednesday 4 March 2026, mid-morning: an ordinary working day.
FIXED_NOW = dt.datetime(2026, 3, 4, 10, 30, tzinfo=LONDON)


class MovingClock:
    """The services' clock, moved forward by the test (`clock.now = ...`)."""

    def __init__(self, now: dt.datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class SecondsClock:
    """A monotonic clock in seconds (the idle lock's), moved forward by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class MemoryKeyring(KeyringBackend):
    """A real keyring backend kept in memory, standing in for the OS password store."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring for this test only; the one before is put back after."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def moving_clock() -> MovingClock:
    return MovingClock(FIXED_NOW)


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    """The certificate authority of the tests' loopback TLS servers."""
    return trustme.CA()


@pytest.fixture
def client_context(ca: trustme.CA) -> ssl.SSLContext:
    """What a client that trusts `ca` (and nothing else) connects with."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@pytest.fixture(autouse=True)
def _own_connection_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own connection.json: each test starts working locally."""
    monkeypatch.setenv("COREFORM_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def _no_log_file_left_open() -> Iterator[None]:
    """A test that starts the app configures logging into its tmp folder; close it after."""
    yield
    stop_logging()


@pytest.fixture
def fixed_now() -> dt.datetime:
    return FIXED_NOW


@pytest.fixture
def clock() -> Callable[[], dt.datetime]:
    return lambda: FIXED_NOW


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coreform.db'}"


def open_mailing(url: str, folder: Path, clock: Callable[[], dt.datetime]) -> Services:
    """Services with real mail: messages are built and `.eml` drafts written into
    `folder`/drafts, none of them opened."""
    return Services.open(
        url,
        clock=clock,
        dispatcher=MailDispatcher(folder / "drafts", open_draft=lambda _path: None),
    )


@pytest.fixture
def mailing_services(
    database_url: str, moving_clock: MovingClock, tmp_path: Path
) -> Iterator[Services]:
    """`open_mailing` on a fresh SQLite file, with a clock the test moves on."""
    opened = open_mailing(database_url, tmp_path, moving_clock)
    yield opened
    opened.close()


@pytest.fixture
def services(database_url: str, clock: Callable[[], dt.datetime]) -> Iterator[Services]:
    """Services on a fresh SQLite file in tmp_path, with the clock fixed at FIXED_NOW."""
    opened = Services.open(database_url, clock=clock)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL server (Unix socket, and TLS on 127.0.0.1) for the whole run."""
    try:
        with running_server() as server:
            yield server
    except ServerUnavailableError as missing:
        pytest.skip(str(missing))


@pytest.fixture
def full_record() -> MonitoringRecord:
    """A record with every field filled in, two children, that passes validation on FIXED_NOW."""
    return MonitoringRecord(
        family_name="Okafor",
        children=[
            ChildObservation(
                child=Child(
                    name="Ada Okafor",
                    date_of_birth=dt.date(2016, 5, 17),
                    plan_type=PlanType.CP,
                    local_identifier="LCS-1001",
                ),
                seen=True,
                spoken_with=True,
                seen_alone=True,
                bedroom_seen=True,
                presentation="Clean uniform; chatted about her drawing of the family dog.",
                wishes_and_feelings="'I like it when Mum walks me to school.'",
            ),
            ChildObservation(
                child=Child(
                    name="Bo Okafor",
                    date_of_birth=dt.date(2025, 6, 2),
                    plan_type=PlanType.CIN,
                ),
                seen=True,
                spoken_with=False,
                not_spoken_with_reason="Too young to talk; babbled and reached for his bottle.",
                seen_alone=False,
                not_seen_alone_reason="A baby: seen with his mother.",
                seen_awake=True,
                bedroom_seen=True,
                presentation="Awake, smiling, reached for the bottle.",
                wishes_and_feelings="Too young to say; settled in his mother's arms.",
            ),
        ],
        key_worker=KeyWorker(
            name="Sam Lee", email="sam.lee@council.example", team="CP Team 2", phone="01234 5678"
        ),
        completed_by=Practitioner(
            name="Jo Patel",
            role="Health visitor",
            agency="NHS Trust",
            email="jo.patel@nhs.example",
            phone="07000 000000",
        ),
        visit_date=dt.date(2026, 3, 3),
        visit_time=dt.time(14, 15),
        setting=Setting.HOME,
        announced=False,
        purpose="Plan task 3: check sleeping arrangements.",
        others_present="Mother; a new adult introduced as 'Uncle Mike'.",
        observations="Home warm; food in the fridge.",
        home_conditions="Tidy; cot made up with clean bedding.",
        family_circumstances="Mother has started a college course.",
        new_incidents=False,
        immediate_concerns=True,
        concerns_told_who="Sam Lee (key worker), by phone",
        concerns_told_at=dt.datetime(2026, 3, 3, 16, 5, tzinfo=LONDON),
        cp_procedures_considered=True,
        parents_informed=True,
        copy_to_parents=False,
        no_copy_reason="A copy would put the child at risk of harm.",
        date_completed=dt.date(2026, 3, 4),
        send_method=SendMethod.EMAIL,
        lateness_reason="",
        next_contact=dt.date(2026, 3, 17),
        next_contact_note="Clinic weigh-in.",
    )
