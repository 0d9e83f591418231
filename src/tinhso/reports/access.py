"""Who sees which agencies' statistics: the leaders, monitors, heads and administrators of an agency see
it and the agencies under it; those of the province's people's committee (``TINHSO_PROVINCE_CODE``) and
superusers see the whole province. Every reports selector starts here."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from tinhso.core.errors import NotFound, PermissionDenied
from tinhso.org.models import Agency
from tinhso.org.selectors import agencies_for
from tinhso.reports.errors import ReportError

READER_ROLES = ("leader", "monitor", "unit_head", "admin")


@dataclass(frozen=True)
class ReportScope:
    """``agency_ids`` None: the whole province."""

    agency_ids: frozenset[int] | None

    @property
    def whole_province(self) -> bool:
        return self.agency_ids is None

    def allows(self, agency_id: int) -> bool:
        return self.agency_ids is None or agency_id in self.agency_ids


def agency_tree() -> dict[int, list[int]]:
    """parent id → child ids, in one query."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    return children


def subtree(roots, children: dict[int, list[int]] | None = None) -> frozenset[int]:
    """The agencies ``roots`` and every agency under them."""
    children = agency_tree() if children is None else children
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk not in seen:
            seen.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(seen)


def report_scope(actor) -> ReportScope:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Vui lòng đăng nhập bằng tài khoản cán bộ.", code=ReportError.FORBIDDEN)
    if actor.is_superuser:
        return ReportScope(None)
    held = agencies_for(user=actor, role=READER_ROLES)
    codes = dict(held.values_list("pk", "code"))
    if settings.TINHSO_PROVINCE_CODE in codes.values():
        return ReportScope(None)
    if not codes:
        raise PermissionDenied("Số liệu thống kê dành cho lãnh đạo, cán bộ giám sát và quản trị của cơ quan.",
                               code=ReportError.FORBIDDEN)
    return ReportScope(subtree(codes))


def scoped_agency(scope: ReportScope, code: str | None) -> Agency | None:
    """The agency a report is asked for (its code), checked against the scope; None: all in scope."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code.strip().upper()).first()
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan, đơn vị có mã “{code}”.", code=ReportError.UNKNOWN_AGENCY)
    if not scope.allows(agency.pk):
        raise PermissionDenied("Bạn không xem được số liệu của cơ quan này.", code=ReportError.AGENCY_OUTSIDE_SCOPE)
    return agency


def agencies_in_scope(scope: ReportScope):
    qs = Agency.objects.filter(is_active=True)
    if scope.agency_ids is not None:
        qs = qs.filter(pk__in=scope.agency_ids)
    return qs.order_by("code")
