"""Password guessing is slowed per account and per client address."""

import pytest
from django.core.cache import cache

from tinhso.accounts.tests.factories import PASSWORD, UserFactory

LOGIN = "/tai-khoan/dang-nhap/"


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.TINHSO_LOGIN_MAX_FAILURES = 3
    settings.TINHSO_LOGIN_MAX_FAILURES_PER_IP = 10
    cache.clear()
    yield
    cache.clear()


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
def test_successful_logins_are_not_counted(client):
    user = UserFactory(username="c.le")
    for _ in range(5):
        assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
        client.logout()
