"""Links in messages go to the address the site is served at (issue #18, item 11)."""

from __future__ import annotations

import os
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tinhso import devserver
from tinhso.core.checks import public_url_check, refuse_misconfigured_start


def test_production_refuses_to_start_without_its_public_url(settings):
    settings.PUBLIC_URL_SET = False
    settings.ALLOWED_HOSTS = ["dichvucong.phutho.gov.vn"]
    assert [m.id for m in public_url_check()] == ["tinhso.E001"]
    with pytest.raises(ImproperlyConfigured, match="TINHSO_PUBLIC_URL"):
        refuse_misconfigured_start()


def test_a_laptop_without_the_setting_still_starts(settings):
    settings.PUBLIC_URL_SET = False
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    assert public_url_check() == []
    refuse_misconfigured_start()


def test_a_public_url_without_scheme_is_refused(settings):
    settings.PUBLIC_URL_SET = True
    settings.PUBLIC_URL = "dichvucong.phutho.gov.vn"
    assert [m.id for m in public_url_check()] == ["tinhso.E002"]


class FakeProcess:
    def __init__(self, seen, argv):
        seen.append((argv, os.environ.get("TINHSO_PUBLIC_URL")))

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return 0


@pytest.fixture
def fake_children(monkeypatch):
    seen: list = []
    monkeypatch.setattr(devserver.subprocess, "Popen", lambda argv, **kw: FakeProcess(seen, argv))
    monkeypatch.setattr(devserver.subprocess, "run", lambda argv, **kw: FakeProcess(seen, argv))
    monkeypatch.setattr(devserver.signal, "signal", lambda *a: None)
    monkeypatch.delenv("TINHSO_PUBLIC_URL", raising=False)
    yield seen
    os.environ.pop("TINHSO_PUBLIC_URL", None)


def test_make_run_links_to_the_port_it_serves(monkeypatch, fake_children):
    monkeypatch.setattr(sys, "argv", ["devserver", "--host", "127.0.0.1", "--port", "8123"])
    devserver.main()
    assert {url for _, url in fake_children} == {"http://127.0.0.1:8123"}  # worker, jobs, logins, server
    logins = next(argv for argv, _ in fake_children if "logins" in argv)
    assert logins[-1] == "http://127.0.0.1:8123"


def test_an_address_the_operator_set_wins(monkeypatch, fake_children):
    monkeypatch.setenv("TINHSO_PUBLIC_URL", "https://demo.example.vn/")
    monkeypatch.setattr(sys, "argv", ["devserver", "--port", "9000"])
    devserver.main()
    assert {url for _, url in fake_children} == {"https://demo.example.vn"}


def test_a_wildcard_bind_is_reached_by_the_machine_name(monkeypatch):
    monkeypatch.setattr(devserver.socket, "gethostname", lambda: "may-demo")
    assert devserver.served_url("0.0.0.0", "8080") == "http://may-demo:8080"  # noqa: S104
