"""Factories and helpers for the database tests of the signing app."""

from __future__ import annotations

from tinhso.accounts.tests.factories import UserFactory
from tinhso.org.roles import Role
from tinhso.org.tests.factories import AgencyFactory, MembershipFactory


def staff(*, agency, role: str, full_name: str, username: str):
    user = UserFactory(username=username, full_name=full_name)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def agency_with_staff(code: str = "H44", name: str = "Ủy ban nhân dân tỉnh Phú Thọ"):
    """An agency with a leader, a văn thư (clerk) and a specialist."""
    agency = AgencyFactory(code=code, name=name, kind="people_committee")
    leader = staff(agency=agency, role=Role.LEADER, full_name="Đặng Minh Khoa", username=f"lanhdao-{code}")
    clerk = staff(agency=agency, role=Role.CLERK, full_name="Hà Thị Phương", username=f"vanthu-{code}")
    specialist = staff(agency=agency, role=Role.SPECIALIST, full_name="Trần Văn Minh", username=f"chuyenvien-{code}")
    return agency, leader, clerk, specialist
