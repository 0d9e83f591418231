"""Who may change the catalogue: province administrators (DESIGN §1, "province administrator")."""

from __future__ import annotations

from django.conf import settings

from tinhso.core.errors import NotAuthenticated, PermissionDenied
from tinhso.org.roles import Role
from tinhso.org.selectors import actor_has_role


def catalog_admin_require(actor) -> None:
    """Allow a superuser, a holder of ``catalog.publish_procedureversion``, or the role ``admin``
    in the province's own agency (``TINHSO_PROVINCE_CODE``); refuse everybody else."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not actor.is_active:
        raise PermissionDenied(code="catalog_forbidden")
    if actor.is_superuser or actor.has_perm("catalog.publish_procedureversion"):
        return
    if actor_has_role(user=actor, agency=settings.TINHSO_PROVINCE_CODE, roles=[Role.ADMIN]):
        return
    raise PermissionDenied(
        "Chỉ quản trị viên danh mục thủ tục hành chính của tỉnh mới được soạn và công bố thủ tục.",
        code="catalog_forbidden",
    )
