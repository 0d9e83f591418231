"""A small province for the statistics tests: the people's committee, one department, two communes,
procedures with and without full online service, leaders of each, and a helper that writes a dossier
in a given state and refreshes its roll-up fact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.utils import timezone

from tinhso.catalog.choices import OnlineLevel
from tinhso.catalog.models import ProcedureVersion
from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.status import Channel, Status
from tinhso.dossiers.tests import factories as f
from tinhso.org.models import Agency
from tinhso.reports.services import fact_refresh

TZ = timezone.get_fixed_timezone(7 * 60)


def at(*parts) -> datetime:
    """A Vietnam wall-clock time."""
    return datetime(*parts, tzinfo=TZ)


@dataclass
class Province:
    committee: Agency
    department: Agency
    commune: Agency
    other_commune: Agency
    full: ProcedureVersion  # full online service
    partial: ProcedureVersion
    governor: object  # leader of the province's people's committee: sees everything
    commune_leader: object
    department_monitor: object
    clerk: object  # a reception officer: no statistics
    citizen: object


@pytest.fixture
def province(db) -> Province:
    committee = Agency.objects.create(code="H44", name="Ủy ban nhân dân tỉnh Phú Thọ", level="province",
                                      kind="people_committee")
    department = Agency.objects.create(code="H44.10", name="Sở Tư pháp", level="province", kind="department",
                                       parent=committee)
    commune = Agency.objects.create(code="H44.20", name="Ủy ban nhân dân xã Hy Cương", level="commune",
                                    kind="people_committee", parent=committee)
    other = Agency.objects.create(code="H44.21", name="Ủy ban nhân dân xã Chu Hóa", level="commune",
                                  kind="people_committee", parent=committee)
    full = f.procedure(code="1.000001", receiving=[commune, other, department], name="Đăng ký khai sinh").version
    ProcedureVersion.objects.filter(pk=full.pk).update(online_level=OnlineLevel.FULL)
    full.refresh_from_db()
    partial = f.procedure(code="1.000002", receiving=[commune, other, department],
                          name="Cấp bản sao trích lục hộ tịch").version
    ProcedureVersion.objects.filter(pk=partial.pk).update(online_level=OnlineLevel.PARTIAL)
    partial.refresh_from_db()
    governor = f.grant(f.user("chu-tich"), committee, "leader")
    commune_leader = f.grant(f.user("chu-tich-xa"), commune, "leader")
    monitor = f.grant(f.user("giam-sat-so"), department, "monitor")
    clerk = f.grant(f.user("mot-cua"), commune, "reception")
    citizen = f.user("nguoi-dan", kind="citizen")
    return Province(committee, department, commune, other, full, partial, governor, commune_leader, monitor, clerk,
                    citizen)


class DossierMaker:
    def __init__(self, province: Province):
        self.p = province
        self.n = 0

    def __call__(self, *, agency=None, version=None, channel=Channel.COUNTER, received=None, due=None, resolved=None,
                 verdict="", status=None, closed=None, returned=None, supplements=0, paused_since=None, owner=None,
                 form_data=None, files=()) -> Dossier:
        self.n += 1
        version = version or self.p.partial
        agency = agency or self.p.commune
        received = received or at(2026, 2, 2, 9)
        if status is None:
            status = Status.RETURNED if returned else Status.RESOLVED if resolved else Status.PROCESSING
        d = Dossier.objects.create(
            code=f"{agency.code}-260202-{self.n:04d}", procedure=version.procedure, procedure_version=version,
            receiving_agency=agency, current_agency=agency, channel=channel, status=status, received_at=received,
            due_at=due if due is not None else at(2026, 2, 9, 17), resolved_at=resolved, verdict=verdict,
            closed_at=closed or returned, returned_at=returned, supplement_count=supplements,
            paused_since=paused_since, owner=owner, form_data=form_data or {},
        )
        for role in files:
            DossierDocument.objects.create(dossier=d, name=f"Tệp {role}", file=f.upload(self.p.clerk), role=role,
                                           uploaded_at=received)
        fact_refresh(dossier_id=d.pk)
        return d


@pytest.fixture
def dossier(province) -> DossierMaker:
    return DossierMaker(province)
