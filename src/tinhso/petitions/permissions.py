"""Who may do what with a petition: the handling agency's staff act; an officer named in a complaint
about conduct neither acts nor sees the sender; the sender answers, rates and objects.

``PetitionContext`` is loaded once per call (one query for the roles); the action checks and the
selectors both use it, so the offered buttons and what the server accepts cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tinhso.org.roles import Role
from tinhso.org.selectors import actor_roles
from tinhso.petitions.models import Petition
from tinhso.petitions.status import Kind


@dataclass(frozen=True)
class SenderProof:
    """An anonymous sender who proved the petition is theirs (code + phone, rate-limited lookup)."""

    petition_id: int
    is_authenticated: bool = False


@dataclass
class PetitionContext:
    actor: object
    petition: Petition
    roles: set[str] = field(default_factory=set)

    @property
    def is_user(self) -> bool:
        return bool(getattr(self.actor, "is_authenticated", False))

    @property
    def officer_concerned(self) -> bool:
        return (self.is_user and self.petition.kind == Kind.CONDUCT
                and self.petition.named_officer_id == getattr(self.actor, "pk", None))

    @property
    def staff_here(self) -> bool:
        """Staff of the handling agency (any role but monitoring), not the officer complained about."""
        return bool(self.roles - {Role.MONITOR}) and not self.officer_concerned

    @property
    def leader_here(self) -> bool:
        return bool(self.roles & {Role.LEADER, Role.UNIT_HEAD}) and not self.officer_concerned

    @property
    def is_sender(self) -> bool:
        if isinstance(self.actor, SenderProof):
            return self.actor.petition_id == self.petition.pk
        return self.is_user and self.petition.sender_user_id == self.actor.pk

    @property
    def sees_sender(self) -> bool:
        return self.is_sender or self.staff_here


def petition_context(actor, petition: Petition) -> PetitionContext:
    roles: set[str] = set()
    if getattr(actor, "is_authenticated", False):
        roles = actor_roles(user=actor, agency=petition.agency)
    return PetitionContext(actor=actor, petition=petition, roles=roles)
