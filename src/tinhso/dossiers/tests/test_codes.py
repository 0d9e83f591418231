"""Dossier codes (TT 01/2018 Điều 19, vn-standards §1.1 and its corrections): the date part is the day
of receipt and the counter counts dossiers received that day; an online dossier goes by a provisional
reference until then, and a dossier refused at reception takes no number."""

from __future__ import annotations

import pytest

from tinhso.core.errors import Conflict
from tinhso.core.validators import agency_identifier_from_code
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.selectors import dossier_get_for
from tinhso.dossiers.services import dossier_intake, dossier_receive, dossier_refuse
from tinhso.dossiers.tests import factories as f
from tinhso.dossiers.tracking import tracking_lookup

pytestmark = pytest.mark.django_db


def test_code_carries_the_day_of_receipt_and_counts_receipts(world, submit, clock):
    clock.set(2026, 1, 5, 16, 0)  # Monday: submitted online
    first, second = submit(), submit()
    assert (first.code, second.code) == ("H44.12-260105-N0001", "H44.12-260105-N0002")
    clock.set(2026, 1, 6, 8, 0)  # Tuesday: the second is received first
    second = dossier_receive(actor=world.reception, dossier=second)
    first = dossier_receive(actor=world.reception, dossier=first)
    assert (second.code, first.code) == ("H44.12-260106-0001", "H44.12-260106-0002")
    assert first.reference == "H44.12-260105-N0001" and not first.code_is_provisional
    receipt = first.forms.get(kind="receipt")
    assert receipt.data["dossier_code"] == first.code


def test_refused_dossier_takes_no_number_and_keeps_its_reference(world, submit, clock):
    clock.set(2026, 1, 6, 8, 0)
    refused, accepted = submit(), submit()
    refused = dossier_refuse(actor=world.reception, dossier=refused, reason="Không thuộc thẩm quyền")
    assert refused.code == refused.reference == "H44.12-260106-N0001"
    assert dossier_receive(actor=world.reception, dossier=accepted).code == "H44.12-260106-0001"


def test_reference_still_finds_the_dossier_after_receipt(world, submit, clock):
    clock.set(2026, 1, 6, 8, 0)
    dossier = submit()
    reference = dossier.reference
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    assert dossier.code != reference
    assert dossier_get_for(actor=world.citizen, code=reference).pk == dossier.pk
    assert dossier_get_for(actor=world.reception, code=dossier.code).pk == dossier.pk
    for code in (reference, dossier.code):
        found = tracking_lookup(code=code, phone=f.CITIZEN_PHONE)
        assert (found.code, found.reference) == (dossier.code, reference)


def test_counter_intake_gets_its_code_at_once(world, clock):
    clock.set(2026, 1, 6, 9, 0)
    dossier = dossier_intake(actor=world.reception, procedure_code=world.proc.code, channel="counter",
                             applicant=ApplicantInput.from_mapping(f.applicant()),
                             documents=world.documents(world.reception))
    assert dossier.code == "H44.12-260106-0001" and dossier.reference is None and not dossier.code_is_provisional


def test_agency_part_can_be_the_qcvn102_identifier(world, submit, clock, settings):
    settings.TINHSO_DOSSIER_CODE_AGENCY_ID = "qcvn102"
    clock.set(2026, 1, 6, 8, 0)
    dossier = submit()
    with pytest.raises(Conflict) as caught:
        dossier_receive(actor=world.reception, dossier=dossier)
    assert caught.value.code == "agency_identifier_missing"
    world.centre.identifier = "000.00.12.H44"
    world.centre.save()
    dossier.refresh_from_db()
    dossier.receiving_agency.refresh_from_db()
    assert dossier_receive(actor=world.reception, dossier=dossier).code == "000.00.12.H44-260106-0001"


@pytest.mark.parametrize(("code", "identifier"), [
    ("H44", "000.00.00.H44"), ("H44.01", "000.00.01.H44"), ("H44.01.01", "000.01.01.H44"),
    ("H44.12.03.7", "007.03.12.H44"), ("000.00.00.H49", "000.00.00.H49"), ("H44.101", None),
])
def test_identifier_derived_from_the_qd20_code_only_when_it_fits(code, identifier):
    assert agency_identifier_from_code(code) == identifier
