"""Applicants' sign-up and the verification of their phone or e-mail by a one-time code."""

import re

import pytest

from tinhso.accounts.models import User
from tinhso.notifications.models import Notification

pytestmark = pytest.mark.django_db

CITIZEN = {"id_number": "025085001234", "full_name": "Nguyễn Văn An", "birth_date": "12/03/1985",
           "gender": "male", "phone": "0912345678", "email": "an@example.vn",
           "password": "Mat-khau-dai-2026", "password2": "Mat-khau-dai-2026"}


def test_citizen_registers_is_signed_in_and_sent_to_verification(client, site):
    response = client.post("/tai-khoan/dang-ky/", CITIZEN)
    assert response["Location"] == "/tai-khoan/xac-minh/"
    user = User.objects.get(username="025085001234")
    assert user.kind == "citizen" and user.id_number == "025085001234" and user.gender == "male"
    assert client.get("/ho-so-cua-toi/").status_code == 200  # signed in


def test_registration_errors_are_summarised_and_linked_to_their_fields(client, site):
    html = client.get("/tai-khoan/dang-ky/").content.decode()
    assert '<fieldset class="field radio-group' in html and "<legend>Giới tính" in html
    response = client.post("/tai-khoan/dang-ky/", {**CITIZEN, "birth_date": "12/03/1990", "password2": "khac"})
    html = response.content.decode()
    assert response.status_code == 422 and 'class="error-summary"' in html
    assert 'href="#id_password2"' in html and "Hai mật khẩu không giống nhau" in html
    response = client.post("/tai-khoan/dang-ky/", {**CITIZEN, "birth_date": "12/03/1990"})
    html = response.content.decode()
    # The 5th–6th digits (85) are the birth year: the service refuses, the page puts it on the number.
    assert response.status_code == 422 and 'href="#id_id_number"' in html
    assert 'aria-describedby="id_id_number-help id_id_number-error"' in html
    assert not User.objects.filter(username="025085001234").exists()


def test_business_registers_with_its_tax_code(client, site):
    response = client.post("/tai-khoan/dang-ky/?loai=doanh-nghiep", {
        "tax_code": "0100109106", "name": "Công ty TNHH Chè Đất Tổ", "address": "Việt Trì",
        "phone": "0983 846 001", "email": "", "password": "Mat-khau-dai-2026", "password2": "Mat-khau-dai-2026"})
    assert response.status_code == 302
    user = User.objects.get(username="0100109106")
    assert user.kind == "business" and user.full_name == "Công ty TNHH Chè Đất Tổ"


def test_phone_is_verified_with_the_code_sent_by_sms(client, site, settings):
    client.post("/tai-khoan/dang-ky/", CITIZEN)
    response = client.post("/tai-khoan/xac-minh/", {"step": "send", "channel": "sms"})
    assert response.status_code == 302
    message = Notification.objects.filter(recipient="0912345678").latest("created_at")
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    html = client.get(response["Location"]).content.decode()
    assert "0912345678" in html and 'autocomplete="one-time-code"' in html
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/tai-khoan/xac-minh/", {"step": "verify", "code": wrong})
    assert response.status_code == 422 and 'href="#id_code"' in response.content.decode()
    response = client.post("/tai-khoan/xac-minh/", {"step": "verify", "code": code}, follow=True)
    assert "Đã xác minh số điện thoại" in response.content.decode()
    assert User.objects.get(username="025085001234").phone_verified_at is not None
