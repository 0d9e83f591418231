"""Which rule set applies at a moment, and the dossier code it prescribes (DESIGN §5.1, vn-standards §1)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tinhso.core.errors import Conflict, NotFound
from tinhso.core.sequences import sequence_next
from tinhso.dossiers.models import Regulation
from tinhso.dossiers.models.regulation import dossier_code_format_apply


def regulation_in_force(at: datetime | None = None) -> Regulation:
    """The ``Regulation`` whose period contains the (Vietnam-time) day of ``at`` (default now).

    ``NotFound`` (``regulation_not_configured``) when none covers the day: a dossier must never
    be numbered or given forms under a guessed rule set.
    """
    day = timezone.localdate(at) if at is not None else timezone.localdate()
    regulation = (
        Regulation.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
    if regulation is None:
        raise NotFound(f"Chưa có quy định áp dụng cho ngày {day:%d/%m/%Y}.", code="regulation_not_configured")
    return regulation


AGENCY_ID_KINDS = ("qd20", "qcvn102")


def dossier_code_agency(agency) -> str:
    """The agency part of a dossier code per ``TINHSO_DOSSIER_CODE_AGENCY_ID``: the QĐ 20/2020 code,
    or the 13-character QCVN 102 identifier that TT 01/2018 Điều 19 names (vn-standards §1.1).

    ``Conflict`` ``agency_identifier_missing`` when the identifier is asked for and the agency has
    none: a code with a guessed identifier could collide with another agency's."""
    if settings.TINHSO_DOSSIER_CODE_AGENCY_ID != "qcvn102":
        return agency.code
    if not agency.identifier:
        raise Conflict(
            f"Cơ quan {agency.name} chưa có mã định danh 13 ký tự theo QCVN 102 (dạng 000.00.00.H44) để cấp mã hồ sơ; "
            "quản trị viên cần khai báo mã này.", code="agency_identifier_missing",
        )
    return agency.identifier


def dossier_code_next(*, regulation: Regulation, agency, at: datetime) -> str:
    """The next dossier code of ``agency`` for the day of ``at`` (the day of **receipt**, TT 01/2018
    Điều 19) — inside the caller's transaction.

    The counter is ``sequence_next(scope="dossier:<agency code>", period="<yyyymmdd>")``: gapless and
    consecutive per agency and day of receipt, whichever format prints it (DESIGN §5.5). The scope is
    the QĐ 20 code whichever identifier is printed, so switching the setting keeps one series a day.
    """
    day = timezone.localdate(at)
    part = dossier_code_agency(agency)
    seq = sequence_next(scope=f"dossier:{agency.code}", period=day.strftime("%Y%m%d"))
    return dossier_code_format_apply(regulation.dossier_code_format, agency=part, day=day, seq=seq)


def dossier_reference_next(*, agency, at: datetime) -> str:
    """The provisional reference of an online dossier at submission: ``<agency code>-<yymmdd>-N<seq>``.

    Its own series (``dossier-ref:<agency>``): the "N" (nộp) keeps it apart from every real code, whose
    counter part is digits only, so a reference can never be mistaken for another dossier's code.
    """
    day = timezone.localdate(at)
    seq = sequence_next(scope=f"dossier-ref:{agency.code}", period=day.strftime("%Y%m%d"))
    return f"{agency.code}-{day:%y%m%d}-N{seq:04d}"
