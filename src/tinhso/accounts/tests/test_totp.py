import pyotp
import pytest

from tinhso.accounts.crypto import secret_decrypt
from tinhso.accounts.models import User
from tinhso.accounts.services import totp as totp_module
from tinhso.accounts.services import totp_enrol_begin, totp_enrol_confirm, totp_verify
from tinhso.accounts.tests.factories import PASSWORD, UserFactory
from tinhso.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/dang-nhap/ma-xac-thuc/"
SETUP = "/tai-khoan/bao-mat/xac-thuc-hai-buoc/"
DASHBOARD = "/can-bo/"


# The middle of a 30-second step: the server clock is frozen there, so no test can straddle a step
# boundary and flake.
NOW = 1_800_000_015


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr(totp_module, "_now", lambda: float(NOW))


def _code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code of the step ``steps_ahead`` from now (±1 is within the accepted drift)."""
    return pyotp.TOTP(secret).at(NOW + 30 * steps_ahead)


@pytest.fixture
def officer():
    """A staff member with 2FA switched on; returns (user, secret)."""
    user = UserFactory(username="chuyenvien", kind=User.Kind.STAFF)
    secret = totp_enrol_begin(user=user).secret
    totp_enrol_confirm(user=user, code=_code(secret, steps_ahead=-1))
    user.refresh_from_db()
    return user, secret


def _password_step(client, username, password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_password_alone_does_not_reach_the_backoffice(client, officer):
    user, _ = officer
    response = _password_step(client, user.username)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert "_auth_user_id" not in client.session
    dashboard = client.get(DASHBOARD)
    assert dashboard.status_code == 302 and dashboard["Location"].startswith(LOGIN)
    assert client.get("/api/v1/me").status_code == 401


def test_a_valid_code_completes_the_login(client, officer):
    user, secret = officer
    _password_step(client, user.username, next_url="/co-quan/")
    response = client.post(VERIFY, {"code": _code(secret, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/co-quan/"
    assert client.get(DASHBOARD).status_code == 200
    assert client.get("/api/v1/me").json()["username"] == user.username


def test_a_code_is_accepted_only_once(client, officer):
    user, secret = officer
    code = _code(secret, steps_ahead=1)
    assert totp_verify(user=user, code=code)
    assert not totp_verify(user=user, code=code)


def test_wrong_codes_are_limited_then_the_password_step_restarts(client, officer):
    user, _ = officer
    _password_step(client, user.username)
    for _attempt in range(4):
        response = client.post(VERIFY, {"code": "000000"})
        assert response.status_code == 200
        assert "Mã xác thực không đúng" in response.content.decode()
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get(VERIFY)["Location"] == LOGIN  # the pending login is gone


def test_a_recovery_code_works_once(client):
    user = UserFactory(username="lanhdao")
    secret = totp_enrol_begin(user=user).secret
    recovery = totp_enrol_confirm(user=user, code=_code(secret))
    assert len(recovery) == 10 and len(set(recovery)) == 10
    user.refresh_from_db()
    assert totp_verify(user=user, code=recovery[0].lower())
    assert not totp_verify(user=user, code=recovery[0])
    assert len(User.objects.get(pk=user.pk).totp_recovery_hashes) == 9


def test_a_session_opened_by_another_path_is_logged_out(client, officer):
    user, _ = officer
    client.force_login(user)  # e.g. a login path that skips the code step
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_admin_login_goes_through_the_two_step_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(f"{LOGIN}?next=/admin/")


def test_enrolment_page_then_confirm_then_login_needs_the_code(client):
    user = UserFactory(username="vanthu")
    client.force_login(user)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "Khóa bí mật" in page
    user.refresh_from_db()
    secret = secret_decrypt(user.totp_secret)
    assert secret and secret not in user.totp_secret  # stored encrypted
    assert secret[:4] in page

    wrong = client.post(SETUP, {"code": "123456"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    confirmed = client.post(SETUP, {"code": _code(secret)})
    assert "Mã khôi phục" in confirmed.content.decode()
    assert client.get(DASHBOARD).status_code == 200  # this session proved the code
    status_page = client.get(SETUP).content.decode()
    assert secret[:4] not in status_page and "Đang bật" in status_page  # never shown again

    client.logout()
    _password_step(client, user.username)
    assert client.get(DASHBOARD).status_code == 302
    client.post(VERIFY, {"code": _code(secret, steps_ahead=1)})
    assert client.get(DASHBOARD).status_code == 200


def test_confirm_with_a_wrong_code_leaves_2fa_off():
    user = UserFactory()
    totp_enrol_begin(user=user)
    with pytest.raises(ValidationFailed) as info:
        totp_enrol_confirm(user=user, code="000000")
    assert info.value.code == "invalid_totp_code"
    user.refresh_from_db()
    assert not user.totp_enabled


def test_disable_needs_a_current_code(client, officer):
    user, secret = officer  # enrolled with the previous step's code
    _password_step(client, user.username)
    client.post(VERIFY, {"code": _code(secret)})
    client.post(f"{SETUP}tat/", {"code": "000000"})
    assert User.objects.get(pk=user.pk).totp_enabled
    client.post(f"{SETUP}tat/", {"code": _code(secret, steps_ahead=1)})
    user.refresh_from_db()
    assert not user.totp_enabled and user.totp_secret == ""


def test_a_code_older_than_the_drift_window_is_refused(officer):
    user, secret = officer
    assert not totp_verify(user=user, code=_code(secret, steps_ahead=-2))
    assert not totp_verify(user=user, code=_code(secret, steps_ahead=2))
    assert totp_verify(user=user, code=_code(secret, steps_ahead=1))


def test_required_2fa_sends_staff_to_enrolment(client, settings):
    settings.TINHSO_STAFF_2FA_REQUIRED = True
    staff = UserFactory(username="motcua")
    client.force_login(staff)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "totp_required"

    citizen = UserFactory(username="025085001234", kind=User.Kind.CITIZEN)
    client.force_login(citizen)
    assert client.get("/").status_code == 200


def test_staff_sent_to_enrolment_are_told_why_in_the_page_language(client, settings):
    settings.TINHSO_STAFF_2FA_REQUIRED = True
    client.force_login(UserFactory(username="motcua"))
    html = client.get(DASHBOARD, follow=True).content.decode()
    assert "Tài khoản cán bộ phải bật xác thực hai bước trước khi sử dụng hệ thống." in html

    client.post("/i18n/setlang/", {"language": "en", "next": SETUP})
    html = client.get(DASHBOARD, follow=True).content.decode()
    assert "Staff accounts must turn on two-step verification before using the system." in html
    assert html.count("two-step verification before using") == 1
    # the API's problem details stay Vietnamese whatever the page language (docs/i18n.md)
    assert client.get("/api/v1/me").json()["detail"] == (
        "Tài khoản cán bộ phải bật xác thực hai bước trước khi sử dụng hệ thống."
    )
    # a refused image request leaves no notice behind for the next page
    client.get(DASHBOARD, HTTP_ACCEPT="image/avif,image/webp,*/*")
    assert "two-step verification before using" not in client.get(SETUP).content.decode()


def test_wrong_codes_count_against_the_account_across_password_restarts(client, officer, settings):
    """Each password step gives five code tries, but wrong codes are failures of the account: logging
    in again does not buy new guesses once the account's limit is reached."""
    settings.TINHSO_LOGIN_MAX_FAILURES = 6
    user, secret = officer
    for _round in range(2):
        _password_step(client, user.username)
        for _attempt in range(3):
            client.post(VERIFY, {"code": "000000"})
    # six wrong codes: the next code, even the right one, is refused and the login starts over
    response = client.post(VERIFY, {"code": _code(secret, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    response = _password_step(client, user.username)
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
