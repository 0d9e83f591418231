"""Who may do what to a dossier — the rules every service and ``dossier_available_actions`` share.

Roles come from ``org`` (``memberships_active``, the same rows ``actor_has_role`` reads), loaded
once per call into an ``ActorContext`` so that listing the actions of a dossier costs one query,
not one per action. Roles are held in one agency and are not inherited (org/roles.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from tinhso.core.errors import NotAuthenticated, PermissionDenied
from tinhso.org.roles import Role
from tinhso.org.selectors import memberships_active

HEAD_ROLES = frozenset({Role.UNIT_HEAD, Role.LEADER})
# Roles that may read every dossier of the province (statistics, supervision) when held in the
# province's own agency (TINHSO_PROVINCE_CODE).
PROVINCE_READ_ROLES = frozenset({Role.ADMIN, Role.MONITOR})


@dataclass
class ActorContext:
    user: Any  # a User, an API key's service user or AnonymousUser
    # agency id → role → department codes ("" = the whole agency)
    roles: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    agency_codes: dict[int, str] = field(default_factory=dict)
    # Agencies where a membership of the actor is designated to sign the apology letter (Mẫu 04).
    apology_signer_in: set[int] = field(default_factory=set)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_applicant(self) -> bool:
        return getattr(self.user, "kind", "") in ("citizen", "business")

    @property
    def agency_ids(self) -> set[int]:
        return set(self.roles)

    @property
    def province_wide(self) -> bool:
        return any(
            code == settings.TINHSO_PROVINCE_CODE and PROVINCE_READ_ROLES & set(self.roles.get(agency_id, {}))
            for agency_id, code in self.agency_codes.items()
        )

    def has_role(self, agency_id: int | None, roles, *, department_code: str = "") -> bool:
        """True when the actor holds one of ``roles`` in the agency; with ``department_code``, the
        membership must be agency-wide or in that department."""
        if agency_id is None:
            return False
        held = self.roles.get(agency_id, {})
        for role in ([roles] if isinstance(roles, str) else roles):
            departments = held.get(role)
            if departments is None:
                continue
            if not department_code or "" in departments or department_code in departments:
                return True
        return False

    def roles_in(self, agency_id: int | None) -> set[str]:
        return set(self.roles.get(agency_id, {})) if agency_id is not None else set()


def actor_context(user) -> ActorContext:
    """The actor's memberships in force today, in one query."""
    context = ActorContext(user=user)
    if not getattr(user, "is_authenticated", False) or getattr(user, "kind", "") in ("citizen", "business"):
        return context
    roles: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for agency_id, code, role, department, signs_apology in memberships_active(user=user).values_list(
        "agency_id", "agency__code", "role", "department__code", "signs_apology"
    ):
        roles[agency_id][role].add(department or "")
        context.agency_codes[agency_id] = code
        if signs_apology:
            context.apology_signer_in.add(agency_id)
    context.roles = {agency: dict(by_role) for agency, by_role in roles.items()}
    return context


def require_authenticated(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()


def is_owner(context: ActorContext, dossier) -> bool:
    return context.is_applicant and dossier.owner_id is not None and dossier.owner_id == context.user.pk


def is_reception(context: ActorContext, dossier) -> bool:
    return context.has_role(dossier.receiving_agency_id, Role.RECEPTION)


def acts_for_applicant(dossier) -> bool:
    """Reception may act for the applicant (supplement, withdrawal) unless the dossier belongs to an
    online account, whose owner acts for themselves."""
    return dossier.owner_id is None or dossier.channel != "online"


def reception_require(context: ActorContext, dossier, *, what: str) -> None:
    if not is_reception(context, dossier):
        raise PermissionDenied(
            f"Chỉ cán bộ Bộ phận Một cửa của cơ quan tiếp nhận hồ sơ mới được {what}.", code="forbidden"
        )


def signs_apology(context: ActorContext, agency_id) -> bool:
    """The head of the agency (its leader role) or whoever the agency designated
    (``Membership.signs_apology``, NĐ 61/2018 Art. 11 as kept by NĐ 118/2025)."""
    return context.has_role(agency_id, Role.LEADER) or agency_id in context.apology_signer_in


def is_head(context: ActorContext, agency_id) -> bool:
    return context.has_role(agency_id, HEAD_ROLES)


def may_act_on_step(context: ActorContext, dossier) -> bool:
    """The actor holds the current step's role in the agency that holds the dossier (in the step's
    department if it names one) and the dossier is assigned to nobody or to them — or the actor is
    a unit head or leader there and the step is a specialist's, which they may always take over."""
    step = dossier.current_step
    if step is None or not dossier.acting_role:
        return False
    agency_id = dossier.current_agency_id
    if dossier.acting_role == Role.SPECIALIST and is_head(context, agency_id):
        return True
    if not context.has_role(agency_id, dossier.acting_role, department_code=step.department_code):
        return False
    return dossier.assignee_id is None or dossier.assignee_id == context.user.pk or is_head(context, agency_id)


def step_require(context: ActorContext, dossier) -> None:
    if may_act_on_step(context, dossier):
        return
    step = dossier.current_step
    if step is None or not dossier.acting_role:
        raise PermissionDenied("Hồ sơ không ở bước xử lý nào mà bạn được thực hiện.", code="forbidden")
    if context.has_role(dossier.current_agency_id, dossier.acting_role, department_code=step.department_code):
        raise PermissionDenied(f"Hồ sơ đã được phân công cho người khác ở bước “{step.name}”.", code="forbidden")
    who = Role(dossier.acting_role).label if dossier.acting_role in Role.values else "cán bộ được giao"
    raise PermissionDenied(
        f"Bước “{step.name}” do {who[:1].lower()}{who[1:]} của cơ quan đang giữ hồ sơ thực hiện.", code="forbidden"
    )
