"""The dossier app's world (province, centre, people, procedure) for the notification tests."""

from __future__ import annotations

import pytest

from tinhso.dossiers.tests.conftest import World, clock, events, received, submit, world  # noqa: F401
from tinhso.notifications.sms import LoggingSmsProvider


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.TINHSO_SMS_PROVIDER = "tinhso.notifications.sms.LoggingSmsProvider"
    settings.TINHSO_SMS_OPTIONS = {}
    settings.PUBLIC_URL = "https://dichvucong.phutho.gov.vn"
    LoggingSmsProvider.sent.clear()
    yield
    LoggingSmsProvider.sent.clear()


@pytest.fixture
def sms_outbox():
    return LoggingSmsProvider.sent
