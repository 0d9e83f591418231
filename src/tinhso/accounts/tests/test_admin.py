"""The user admin: a role granted or an account changed by hand leaves its trace in the audit chain."""

import pytest

from tinhso.accounts.tests.factories import UserFactory
from tinhso.core.models import AuditEntry
from tinhso.core.testing import admin_form_data
from tinhso.org.models import Membership
from tinhso.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_granting_a_role_in_the_user_page_is_audited(client):
    admin = UserFactory(username="quantri.he", is_staff=True, is_superuser=True)
    client.force_login(admin)
    officer = UserFactory(username="motcua.moi", full_name="Nguyễn Thị Mới")
    agency = AgencyFactory(code="H44.101.01", name="Trung tâm Phục vụ hành chính công phường Việt Trì")
    url = f"/admin/accounts/user/{officer.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update({"memberships-TOTAL_FORMS": "1", "memberships-0-agency": agency.pk,
                 "memberships-0-role": "reception", "memberships-0-is_active": "on", "is_active": ""})

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=officer)
    entries = {e.action: e for e in AuditEntry.objects.filter(actor=admin)}
    assert set(entries) == {"accounts.user_admin_update", "org.membership_admin_create"}
    assert entries["accounts.user_admin_update"].data == {"fields": ["is_active"]}
    assert entries["org.membership_admin_create"].target_id == str(membership.pk)
