"""Which agency receives a petition: the ordered, admin-edited ``RoutingRule`` table (Signalen)."""

from __future__ import annotations

from django.conf import settings

from tinhso.core.errors import ValidationFailed
from tinhso.org.models import Agency
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.models import RoutingRule


def route_for(*, kind: str, sector=None, commune=None) -> Agency:
    """The agency of the first active rule (by ``position``) whose filled fields all match; without
    a matching rule, the province's own agency (``TINHSO_PROVINCE_CODE``) so nothing is lost."""
    for rule in RoutingRule.objects.filter(is_active=True, agency__is_active=True).select_related("agency"):
        if rule.kind and rule.kind != kind:
            continue
        if rule.sector_id and (sector is None or rule.sector_id != sector.pk):
            continue
        if rule.commune_id and (commune is None or rule.commune_id != commune.pk):
            continue
        return rule.agency
    fallback = Agency.objects.filter(code=settings.TINHSO_PROVINCE_CODE, is_active=True).first()
    if fallback is None:
        raise ValidationFailed("Chưa có quy tắc phân luồng nào tiếp nhận phản ánh này.", code=PetitionError.NO_ROUTE)
    return fallback
