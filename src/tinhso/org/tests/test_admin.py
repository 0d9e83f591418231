import pytest
from django.core.exceptions import ValidationError

from tinhso.accounts.services import apikey_create
from tinhso.accounts.tests.factories import UserFactory
from tinhso.core.models import AuditEntry
from tinhso.org.models import Membership
from tinhso.org.tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/org/agency/?q=tu+phap&level__exact=province",
        "/admin/org/administrativeunit/?q=viet+tri",
        "/admin/org/department/",
        "/admin/org/membership/?role__exact=reception",
        "/admin/org/legacyunitmapping/",
        "/admin/accounts/user/?q=nguyen",
        "/admin/accounts/apikey/",
    ],
)
def test_admin_lists_open_with_search_and_filters(admin_client, url):
    MembershipFactory(agency=AgencyFactory(name="Sở Tư pháp"), role="reception")
    assert admin_client.get(url).status_code == 200


def test_admin_forms_open(admin_client):
    membership = MembershipFactory()
    key, _ = apikey_create(actor=None, agency=membership.agency, roles=["monitor"], name="Tích hợp")
    for url in (
        f"/admin/org/agency/{membership.agency.pk}/change/",
        f"/admin/accounts/user/{membership.user.pk}/change/",
        f"/admin/accounts/apikey/{key.pk}/change/",
        "/admin/org/agency/add/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_admin_edits_are_audited(admin_client):
    agency = AgencyFactory(code="H91", name="Ủy ban nhân dân tỉnh", level="province", kind="people_committee")
    before = AuditEntry.objects.count()
    response = admin_client.post(
        f"/admin/org/agency/{agency.pk}/change/",
        {
            "code": "H91", "name": "UBND tỉnh (đổi tên)", "short_name": "", "level": "province",
            "kind": "people_committee", "is_active": "on", "parent": "", "administrative_unit": "",
            "address": "", "phone": "", "email": "", "work_calendar": "",
            "departments-TOTAL_FORMS": "0", "departments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "org.agency_admin_update" and entry.actor.username == "admin"


def test_model_validation_catches_cycles_and_foreign_departments():
    root = AgencyFactory(code="H90")
    child = AgencyFactory(code="H90.01", parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as info:
        root.full_clean()
    assert "parent" in info.value.message_dict
    membership = Membership(user=UserFactory(), agency=root, department=DepartmentFactory(), role="clerk")
    with pytest.raises(ValidationError) as info:
        membership.full_clean()
    assert "department" in info.value.message_dict
