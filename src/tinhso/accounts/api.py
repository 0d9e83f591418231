"""``GET /me``: who the caller is and where they may act (API-key holders check their scope here)."""

from __future__ import annotations

from ninja import Router, Schema

from tinhso.core.auth import require_user
from tinhso.org.selectors import memberships_active

router = Router(tags=["Tài khoản"])


class AgencyRef(Schema):
    code: str
    name: str


class MembershipOut(Schema):
    agency: AgencyRef
    department: str | None
    role: str
    role_label: str

    @staticmethod
    def resolve_department(obj) -> str | None:
        return obj.department.code if obj.department_id else None

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class ApiKeyOut(Schema):
    prefix: str
    name: str
    agency: str


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    memberships: list[MembershipOut]
    api_key: ApiKeyOut | None


@router.get("/me", response=MeOut, summary="Người gọi API và phạm vi được phép")
def me(request):
    user = require_user(request)
    key = getattr(user, "api_key", None)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "memberships": list(memberships_active(user=user)),
        "api_key": {"prefix": key.prefix, "name": key.name, "agency": key.agency.code} if key else None,
    }
