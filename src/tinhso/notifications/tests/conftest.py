"""Fixtures of the notification tests: people, the logging SMS provider emptied, commits that deliver."""

from __future__ import annotations

import pytest

from tinhso.notifications.sms import LoggingSmsProvider


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.TINHSO_SMS_PROVIDER = "tinhso.notifications.sms.LoggingSmsProvider"
    settings.TINHSO_SMS_OPTIONS = {}
    LoggingSmsProvider.sent.clear()
    yield
    LoggingSmsProvider.sent.clear()


@pytest.fixture
def sms_outbox():
    return LoggingSmsProvider.sent


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create(username="001099012345", kind="citizen", full_name="Nguyễn Thị Ánh Tuyết")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): …`` — run the block's commit callbacks (the sending task) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
