import pytest

from tinhso.accounts.models import User
from tinhso.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"


def test_login_page_has_labelled_fields(client):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">Tên đăng nhập</label>' in html
    assert '<label for="id_password">Mật khẩu</label>' in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_says_so_in_vietnamese(client):
    UserFactory(username="chuyenvien")
    response = client.post(LOGIN, {"username": "chuyenvien", "password": "sai"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html and 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    empty = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "Vui lòng nhập tên đăng nhập." in empty and "Vui lòng nhập mật khẩu." in empty


def test_staff_without_2fa_land_on_the_backoffice_applicants_on_the_portal(client):
    UserFactory(username="chuyenvien")
    response = client.post(LOGIN, {"username": "chuyenvien", "password": PASSWORD})
    assert response["Location"] == "/can-bo/"
    client.logout()
    UserFactory(username="025085001234", kind=User.Kind.CITIZEN)
    response = client.post(LOGIN, {"username": "025085001234", "password": PASSWORD})
    assert response["Location"] == "/"


def test_applicants_cannot_open_the_2fa_page(client):
    client.force_login(UserFactory(username="026301004567", kind=User.Kind.CITIZEN))
    assert client.get("/tai-khoan/bao-mat/xac-thuc-hai-buoc/").status_code == 403
