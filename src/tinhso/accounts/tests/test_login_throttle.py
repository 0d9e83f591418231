"""Password guessing is slowed per account and per client address."""

import pytest

from tinhso.accounts.tests.factories import PASSWORD, UserFactory

LOGIN = "/tai-khoan/dang-nhap/"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    # The counters start empty in every test (the root conftest clears the cache).
    settings.TINHSO_LOGIN_MAX_FAILURES = 3
    settings.TINHSO_LOGIN_MAX_FAILURES_PER_IP = 10


@pytest.mark.django_db
def test_after_too_many_failures_even_the_right_password_is_refused(client):
    user = UserFactory(username="motcua.thu")
    for _ in range(3):
        response = client.post(LOGIN, {"username": user.username, "password": "sai-mat-khau"})
        assert "không đúng" in response.content.decode()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_another_account_from_another_address_is_not_affected(client):
    victim, other = UserFactory(username="a.nguyen"), UserFactory(username="b.tran")
    for _ in range(3):
        client.post(LOGIN, {"username": victim.username, "password": "sai"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(LOGIN, {"username": other.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_stopped(client, settings):
    settings.TINHSO_LOGIN_MAX_FAILURES_PER_IP = 4
    users = [UserFactory(username=f"u{i}") for i in range(5)]
    for user in users[:4]:
        client.post(LOGIN, {"username": user.username, "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(LOGIN, {"username": users[4].username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


@pytest.mark.django_db
def test_full_width_and_upper_case_spellings_share_the_accounts_count(client):
    """Django's login normalises the name (NFKC): every spelling it accepts is the same account."""
    user = UserFactory(username="motcua.thu")
    for spelling in ("ｍotcua.thu", "MOTCUA.THU", "ｍｏｔｃｕａ.ｔｈｕ"):
        client.post(LOGIN, {"username": spelling, "password": "sai"})
    response = client.post(LOGIN, {"username": "ｍｏtcua.thu", "password": PASSWORD})
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session and user.username == "motcua.thu"


@pytest.mark.django_db
def test_attempts_are_counted_before_the_password_is_checked(client, monkeypatch):
    """Parallel requests start before any of them has failed: each must already be counted, or a
    burst gets unlimited guesses while the slow hash runs. Simulated by five more requests arriving
    while the first one's password is being checked: only three passwords get checked in all."""
    from django.test import Client

    from tinhso.accounts import forms as login_forms

    user = UserFactory(username="d.pham")
    checked = []

    def slow_and_wrong(self):
        checked.append(self.data["username"])
        if len(checked) == 1:  # the burst arrives during the first check
            for _ in range(5):
                Client().post(LOGIN, {"username": user.username, "password": "sai"})
        raise login_forms.ValidationError("sai", code="invalid_login")

    monkeypatch.setattr(login_forms.AuthenticationForm, "clean", slow_and_wrong)
    client.post(LOGIN, {"username": user.username, "password": "sai"})
    assert len(checked) == 3


@pytest.mark.django_db
def test_the_message_says_how_long_is_left_in_the_window(client, monkeypatch):
    from tinhso.accounts import throttle

    monkeypatch.setattr(throttle, "rate_limit_retry_after", lambda *, window: 125)
    user = UserFactory(username="e.vo")
    for _ in range(4):
        response = client.post(LOGIN, {"username": user.username, "password": "sai"})
    assert "thử lại sau 3 phút" in response.content.decode()


@pytest.mark.django_db
def test_successful_logins_are_not_counted(client):
    user = UserFactory(username="c.le")
    for _ in range(5):
        assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
        client.logout()
