"""Reads on units, agencies and memberships: the building blocks of every permission check.

Other apps never query ``Membership`` themselves; they ask ``actor_roles`` / ``actor_has_role`` /
``agencies_for``, so "staff act only inside the agencies and roles they hold" (DESIGN §5.10) is
decided in one place. Roles are not inherited along the agency tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from tinhso.core.errors import NotFound
from tinhso.core.text import fold
from tinhso.org.models import AdministrativeUnit, Agency, Membership


def _search_words(q: str | None) -> list[str]:
    return fold(q or "").split()


def _is_actor(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def memberships_active(*, user, on: dt.date | None = None) -> QuerySet[Membership]:
    """The memberships of ``user`` in force on ``on`` (today), in active agencies."""
    if not _is_actor(user):
        return Membership.objects.none()
    day = on or timezone.localdate()
    return (
        Membership.objects.filter(user=user, is_active=True, agency__is_active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("agency", "department")
        .order_by("agency__code", "role")
    )


def _agency_filter(agency: Agency | str) -> Q:
    return Q(agency__code=agency) if isinstance(agency, str) else Q(agency_id=agency.pk)


def actor_roles(*, user, agency: Agency | str) -> set[str]:
    """Role codes ``user`` holds today in ``agency`` (an ``Agency`` or its code); empty if none."""
    if not _is_actor(user):
        return set()
    return set(memberships_active(user=user).filter(_agency_filter(agency)).values_list("role", flat=True))


def actor_has_role(*, user, agency: Agency | str, roles: Iterable[str]) -> bool:
    """True when ``user`` holds at least one of ``roles`` today in ``agency``."""
    wanted = [roles] if isinstance(roles, str) else list(roles)
    if not wanted or not _is_actor(user):
        return False
    return memberships_active(user=user).filter(_agency_filter(agency), role__in=wanted).exists()


def agencies_for(*, user, role: str | Iterable[str] | None = None) -> QuerySet[Agency]:
    """The agencies in which ``user`` holds a role today (any role, or one of ``role``)."""
    memberships = memberships_active(user=user)
    if role is not None:
        memberships = memberships.filter(role__in=[role] if isinstance(role, str) else list(role))
    return Agency.objects.filter(pk__in=memberships.values("agency_id")).order_by("code")


def agency_get(*, code: str, include_inactive: bool = False) -> Agency:
    """One agency by its identifier code (public data), or ``NotFound`` with code ``agency_not_found``."""
    agencies = Agency.objects.select_related(
        "administrative_unit", "parent", "work_calendar", "parent__work_calendar", "parent__parent__work_calendar"
    )
    if not include_inactive:
        agencies = agencies.filter(is_active=True)
    agency = agencies.filter(code=(code or "").strip().upper()).first()
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan, đơn vị có mã “{code}”.", code="agency_not_found")
    return agency


def agency_list(
    *, level: str | None = None, parent: Agency | str | None = None, q: str | None = None
) -> QuerySet[Agency]:
    """Active agencies (public data), filtered by level, parent (agency or code) and free text.

    ``q`` matches the name, short name or code with or without diacritics ("so tu phap" finds
    "Sở Tư pháp"), every word having to match.
    """
    agencies = Agency.objects.filter(is_active=True).select_related("administrative_unit", "parent")
    if level:
        agencies = agencies.filter(level=level)
    if parent is not None:
        agencies = agencies.filter(parent__code=parent) if isinstance(parent, str) else agencies.filter(parent=parent)
    for word in _search_words(q):
        agencies = agencies.filter(search_text__icontains=word)
    return agencies.order_by("code")


def agency_calendar(*, agency: Agency):
    """The working calendar an agency counts deadlines with (DESIGN §5.3).

    The agency's own calendar, else the nearest ancestor's, else the calendar of the province
    (the agency whose code is ``TINHSO_PROVINCE_CODE``). ``NotFound`` (``calendar_not_configured``)
    if none is set anywhere: a deadline must never be counted on a guessed calendar.
    """
    seen: set[int] = set()
    current: Agency | None = agency
    while current is not None and current.pk not in seen:
        if current.work_calendar_id:
            return current.work_calendar
        seen.add(current.pk)
        current = current.parent
    province = (
        Agency.objects.filter(code=settings.TINHSO_PROVINCE_CODE, work_calendar__isnull=False)
        .select_related("work_calendar")
        .first()
    )
    if province is not None:
        return province.work_calendar
    raise NotFound(
        f"Chưa cấu hình lịch làm việc cho cơ quan “{agency.name}” hoặc cho tỉnh.", code="calendar_not_configured"
    )


def administrative_unit_list(
    *,
    parent: AdministrativeUnit | str | None = None,
    kind: str | None = None,
    on: dt.date | None = None,
    q: str | None = None,
) -> QuerySet[AdministrativeUnit]:
    """Units in force on ``on`` (default: the current units), filtered by parent (unit or code), kind, text."""
    units = AdministrativeUnit.objects.select_related("parent")
    if on is None:
        units = units.filter(valid_to__isnull=True)
    else:
        units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    if isinstance(parent, str):
        # The date filter above already picks the right generation of a reused code.
        units = units.filter(parent__code=parent)
    elif parent is not None:
        units = units.filter(parent=parent)
    if kind:
        units = units.filter(kind=kind)
    for word in _search_words(q):
        units = units.filter(search_text__icontains=word)
    return units.order_by("code")


def administrative_unit_get(*, code: str, on: dt.date | None = None) -> AdministrativeUnit:
    """The unit with ``code`` in force on ``on`` (default: the current one), or ``NotFound``."""
    unit = administrative_unit_list(on=on).filter(code=code).first()
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị hành chính có mã “{code}”.", code="administrative_unit_not_found")
    return unit


def administrative_unit_successors(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The current units that took over a unit that no longer exists (empty for a current unit)."""
    return AdministrativeUnit.objects.filter(predecessor_links__old_unit=unit).order_by("code")
