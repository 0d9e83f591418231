"""``tinhso pki demo-init``: the demo province's PKI — root CA, TSA, agency, leader and unit head certificates."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tinhso.org.models import Agency, Membership
from tinhso.signing.models import Certificate
from tinhso.signing.services.authorities import authority_demo_ca_ensure, authority_tsa_ensure, crl_refresh
from tinhso.signing.services.certificates import certificate_generate_demo
from tinhso.signing.stamps import seal_image_generate, signature_image_generate

# People who sign results in the demo processes (a leader's "ký duyệt", a unit head's "duyệt, ký").
SIGNER_ROLES = ("leader", "unit_head")


@dataclass(frozen=True)
class PkiDemoSummary:
    ca_created: bool
    tsa_created: bool
    agency_certificates: int
    personal_certificates: int


def _has_usable(**owner) -> bool:
    return Certificate.objects.filter(**owner, revoked_at__isnull=True, not_after__gt=timezone.now()).exists()


def pki_demo_init(*, actor=None) -> PkiDemoSummary:
    """Create what is missing, change nothing that exists (safe to run again).

    Every active agency gets an agency certificate (CN = the agency's name, with a generated red seal)
    and every user holding the ``leader`` or ``unit_head`` role gets a personal one (CN = their full
    name, O = the agency, with a generated blue signature): they sign one-stop-shop results
    (docs/dossiers.md "Signing in the one-stop shop").
    """
    province = Agency.objects.filter(code=settings.TINHSO_PROVINCE_CODE).first()
    organization = province.name if province else settings.TINHSO_SITE_NAME
    _ca, ca_created = authority_demo_ca_ensure(actor=actor, organization=organization)
    _tsa, tsa_created = authority_tsa_ensure(actor=actor, organization=organization)
    crl_refresh()

    agencies = 0
    for agency in Agency.objects.filter(is_active=True).order_by("code"):
        if _has_usable(owner_agency=agency):
            continue
        certificate_generate_demo(
            actor=actor, owner_agency=agency, image_png=seal_image_generate(agency_name=agency.name)
        )
        agencies += 1

    today = timezone.localdate()
    leaders = (
        Membership.objects.filter(role__in=SIGNER_ROLES, is_active=True, agency__is_active=True, user__is_active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("agency", "user")
        .order_by("user_id", "agency__code")
    )
    people = 0
    seen: set[int] = set()
    for membership in leaders:
        user = membership.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        if _has_usable(owner_user=user):
            continue
        name = user.full_name or user.get_username()
        certificate_generate_demo(
            actor=actor, owner_user=user, common_name=name, organization=membership.agency.name,
            image_png=signature_image_generate(name=name),
        )
        people += 1
    return PkiDemoSummary(
        ca_created=ca_created, tsa_created=tsa_created, agency_certificates=agencies, personal_certificates=people
    )


__all__ = ["PkiDemoSummary", "pki_demo_init"]
