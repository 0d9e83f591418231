"""The fixed staff roles. Codes are a contract: processes, permissions and API keys store them.

A role is always held *in one agency* (``Membership``); nothing is inherited by parent or child
agencies, so an officer of one commune never acts in another (DESIGN §5.10).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from tinhso.core.errors import ValidationFailed


class Role(models.TextChoices):
    RECEPTION = "reception", "Cán bộ Một cửa (tiếp nhận và trả kết quả)"
    SPECIALIST = "specialist", "Chuyên viên"
    UNIT_HEAD = "unit_head", "Trưởng phòng"
    LEADER = "leader", "Lãnh đạo"
    CLERK = "clerk", "Văn thư"
    ADMIN = "admin", "Quản trị"
    MONITOR = "monitor", "Giám sát"


def roles_clean(roles: Iterable[str] | str) -> set[str]:
    """Validate role codes (``"a,b"`` or an iterable) and return them as a set."""
    if isinstance(roles, str):
        roles = roles.split(",")
    cleaned = {role.strip() for role in roles if role and role.strip()}
    unknown = sorted(cleaned - set(Role.values))
    if unknown:
        raise ValidationFailed(
            f"Vai trò không hợp lệ: {', '.join(unknown)}. Các vai trò hợp lệ: {', '.join(Role.values)}.",
            code="invalid_role",
        )
    if not cleaned:
        raise ValidationFailed("Cần ít nhất một vai trò.", code="invalid_role")
    return cleaned
