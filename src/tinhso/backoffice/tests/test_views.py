import pytest

from tinhso.accounts.models import User
from tinhso.accounts.tests.factories import UserFactory
from tinhso.org.tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_only_the_officers_own_agencies_and_roles(client):
    agency = AgencyFactory(code="H92.02", name="Sở Tư pháp")
    department = DepartmentFactory(agency=agency, name="Phòng Hành chính tư pháp")
    membership = MembershipFactory(agency=agency, department=department, role="specialist")
    MembershipFactory(agency=AgencyFactory(code="H92.03", name="Sở Xây dựng"), role="leader")
    client.force_login(membership.user)

    html = client.get("/can-bo/").content.decode()
    assert "Sở Tư pháp" in html and "Phòng Hành chính tư pháp" in html and "Chuyên viên" in html
    assert "Sở Xây dựng" not in html
    assert "Chưa bật xác thực hai bước" in html


def test_dashboard_needs_login_and_is_closed_to_applicants(client):
    response = client.get("/can-bo/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    client.force_login(UserFactory(kind=User.Kind.CITIZEN))
    assert client.get("/can-bo/").status_code == 403
