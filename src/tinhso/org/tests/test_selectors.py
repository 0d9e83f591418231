import datetime as dt

import pytest
from django.utils import timezone

from tinhso.core.errors import NotFound
from tinhso.org.selectors import (
    actor_has_role,
    actor_roles,
    agencies_for,
    agency_calendar,
    agency_get,
    agency_list,
)
from tinhso.org.tests.factories import AgencyFactory, MembershipFactory
from tinhso.workdays.services import work_calendar_create

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_role_in_agency_a_gives_nothing_in_agency_b():
    membership = MembershipFactory(role="reception")
    user, agency_a = membership.user, membership.agency
    agency_b = AgencyFactory()

    assert actor_roles(user=user, agency=agency_a) == {"reception"}
    assert actor_roles(user=user, agency=agency_a.code) == {"reception"}
    assert actor_roles(user=user, agency=agency_b) == set()
    assert actor_has_role(user=user, agency=agency_a, roles=["reception", "leader"])
    assert not actor_has_role(user=user, agency=agency_b, roles=["reception"])
    assert not actor_has_role(user=user, agency=agency_a, roles=["leader"])
    assert list(agencies_for(user=user)) == [agency_a]


def test_roles_are_not_inherited_by_child_agencies():
    parent = AgencyFactory(code="H97")
    child = AgencyFactory(code="H97.01", parent=parent)
    membership = MembershipFactory(agency=parent, role="leader")
    assert actor_roles(user=membership.user, agency=child) == set()


def test_several_roles_and_role_filter_of_agencies_for():
    membership = MembershipFactory(role="specialist")
    MembershipFactory(user=membership.user, agency=membership.agency, role="unit_head")
    other = MembershipFactory(user=membership.user, role="clerk")
    user = membership.user
    assert actor_roles(user=user, agency=membership.agency) == {"specialist", "unit_head"}
    assert list(agencies_for(user=user, role="clerk")) == [other.agency]
    assert set(agencies_for(user=user, role=["specialist", "clerk"])) == {membership.agency, other.agency}


@pytest.mark.parametrize(
    "changes",
    [
        {"is_active": False},
        {"valid_to": TODAY - dt.timedelta(days=1)},
        {"valid_from": TODAY + dt.timedelta(days=1)},
    ],
    ids=["revoked", "ended", "not-yet-started"],
)
def test_inactive_or_out_of_date_memberships_give_no_role(changes):
    membership = MembershipFactory(role="leader", **changes)
    assert actor_roles(user=membership.user, agency=membership.agency) == set()
    assert not agencies_for(user=membership.user).exists()


def test_disabled_user_or_agency_or_anonymous_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    membership = MembershipFactory(role="leader")
    assert actor_roles(user=AnonymousUser(), agency=membership.agency) == set()
    assert actor_roles(user=None, agency=membership.agency) == set()
    membership.agency.is_active = False
    membership.agency.save()
    assert actor_roles(user=membership.user, agency=membership.agency) == set()
    membership.agency.is_active = True
    membership.agency.save()
    membership.user.is_active = False
    membership.user.save()
    assert actor_roles(user=membership.user, agency=membership.agency) == set()


def test_agency_calendar_walks_up_to_the_nearest_calendar(province_calendar):
    sub = AgencyFactory(code="H44.50", parent=province_calendar)
    desk = AgencyFactory(code="H44.50.01", parent=sub)
    assert agency_calendar(agency=desk).code == "PT"

    own = work_calendar_create(code="H44.50", name="Lịch riêng của sở", parent=province_calendar.work_calendar)
    sub.work_calendar = own
    sub.save()
    desk.refresh_from_db()
    assert agency_calendar(agency=desk) == own


def test_agency_without_any_calendar_falls_back_to_the_province(province_calendar):
    stray = AgencyFactory(code="H44.60")  # no parent chain to the province
    assert agency_calendar(agency=stray).code == "PT"


def test_no_calendar_anywhere_is_an_error_not_a_guess():
    with pytest.raises(NotFound) as info:
        agency_calendar(agency=AgencyFactory())
    assert info.value.code == "calendar_not_configured"


def test_agency_list_filters_and_folds_diacritics():
    root = AgencyFactory(code="H96", name="Ủy ban nhân dân tỉnh", level="province")
    AgencyFactory(code="H96.02", name="Sở Tư pháp", level="province", parent=root)
    AgencyFactory(code="H96.101", name="Ủy ban nhân dân phường Việt Trì", level="commune", parent=root)
    AgencyFactory(code="H96.09", name="Sở Tư pháp cũ", level="province", parent=root, is_active=False)

    assert [a.code for a in agency_list(q="so tu phap")] == ["H96.02"]
    assert [a.code for a in agency_list(q="SỞ TƯ PHÁP")] == ["H96.02"]
    assert [a.code for a in agency_list(q="viet tri")] == ["H96.101"]
    assert [a.code for a in agency_list(q="h96.101")] == ["H96.101"]
    assert [a.code for a in agency_list(level="commune")] == ["H96.101"]
    assert [a.code for a in agency_list(parent="H96")] == ["H96.02", "H96.101"]
    assert agency_list(q="dak lak").count() == 0


def test_agency_get_is_case_insensitive_and_hides_inactive():
    AgencyFactory(code="H95.01", is_active=False)
    AgencyFactory(code="H95.02")
    assert agency_get(code="h95.02").code == "H95.02"
    with pytest.raises(NotFound) as info:
        agency_get(code="H95.01")
    assert info.value.code == "agency_not_found"
    assert agency_get(code="H95.01", include_inactive=True).code == "H95.01"
