"""Who may see and act on a document (issue #11 §6): loaded once per call.

Staff see the documents of their agency that they drafted, review, sign, register or handle, and
those sent to them; a clerk or leader of the agency sees its documents. Secret documents (MẬT and
above) are seen only by the people named on them (``participants``), whatever their role.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tinhso.core.errors import NotAuthenticated
from tinhso.org.selectors import memberships_active


@dataclass
class Actor:
    user: object
    roles: dict[int, set[str]] = field(default_factory=dict)  # agency id → roles
    departments: dict[int, set[int]] = field(default_factory=dict)  # agency id → department ids

    def has(self, agency_id: int, *roles: str) -> bool:
        return bool(self.roles.get(agency_id, set()) & set(roles))

    @property
    def agency_ids(self) -> set[int]:
        return set(self.roles)


def actor_load(user) -> Actor:
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()
    actor = Actor(user=user)
    for membership in memberships_active(user=user):
        actor.roles.setdefault(membership.agency_id, set()).add(membership.role)
        if membership.department_id:
            actor.departments.setdefault(membership.agency_id, set()).add(membership.department_id)
    return actor
