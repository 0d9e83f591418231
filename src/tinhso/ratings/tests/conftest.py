"""Ratings tests reuse the one-stop-shop world (a commune centre, its staff, two citizens) and make
returned dossiers by hand: a submitted dossier set to "returned" with the officers in its handover log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tinhso.dossiers.models import Dossier, DossierEvent, Handover
from tinhso.dossiers.tests.conftest import submit, world  # noqa: F401 - fixtures re-exported


@pytest.fixture
def returned(world, submit):  # noqa: F811
    """``returned(owner=…, at=…, verdict=…, status=…)`` → a dossier handled by reception and specialist."""

    def run(owner=None, at=None, verdict="on_time", status="returned", agency=None):
        dossier = submit(actor=owner or world.citizen)
        at = at or timezone.now()
        agency = agency or world.centre
        Dossier.objects.filter(pk=dossier.pk).update(
            status=status, returned_at=at if status == "returned" else None, verdict=verdict,
            receiving_agency=agency, current_agency=agency, received_by=world.reception)
        Handover.objects.create(dossier=dossier, seq=90, step_code="tham-dinh", step_name="Thẩm định",
                                to_agency=agency, given_by=world.unit_head, taken_by=world.specialist,
                                given_at=at - dt.timedelta(days=1), finished_at=at)
        if status == "returned":
            DossierEvent.objects.create(dossier=dossier, at=at, action="return_result", label="Đã trả kết quả",
                                        actor=world.reception)
        return Dossier.objects.get(pk=dossier.pk)

    return run


def all_levels(level: str) -> dict[str, str]:
    from tinhso.ratings.models import Criterion

    return {c.code: level for c in Criterion.objects.filter(questionnaire__active=True)}
