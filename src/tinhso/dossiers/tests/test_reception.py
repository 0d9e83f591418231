"""Reception decisions: receive (with the appointment on the working calendar), request a supplement
once, refuse; the applicant's supplement; every forbidden and stale variant."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.dossiers.models import Dossier, DossierEvent, FormIssue, SupplementRequest
from tinhso.dossiers.services import (
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_supplement,
)
from tinhso.dossiers.tests import factories as f

pytestmark = pytest.mark.django_db


def local(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


def test_receive_sets_clock_appointment_receipt_and_first_step(world, submit, events, clock):
    clock.set(2026, 3, 9, 9, 10)  # Monday
    dossier = submit()
    clock.set(2026, 3, 9, 10, 0)
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    assert dossier.status == "received" and dossier.national_status_code == 2
    assert dossier.received_at == local(2026, 3, 9, 10, 0)
    assert dossier.due_at == local(2026, 3, 16, 10, 0)  # 5 working days, same clock time
    assert dossier.original_due_at == dossier.due_at
    assert dossier.current_step.code == "phan-cong" and dossier.acting_role == "unit_head"
    receipt = FormIssue.objects.get(dossier=dossier)
    assert receipt.kind == "receipt" and receipt.number == 1 and receipt.year == 2026
    assert receipt.data["dossier_code"] == dossier.code and receipt.data["due_at"] == "2026-03-16T10:00:00+07:00"
    assert {d["name"] for d in receipt.data["documents"]} == {"Tờ khai cấp bản sao trích lục", "Căn cước công dân"}
    payload = events.one("dossier.received").payload
    assert payload["due_at"] == "2026-03-16T10:00:00+07:00" and payload["national_status_code"] == 2
    reception_row, first = dossier.handovers.order_by("seq")
    assert reception_row.finished_at == dossier.received_at and reception_row.taken_by == world.reception
    assert first.step_code == "phan-cong" and first.given_by == world.reception
    assert first.planned_due_at == local(2026, 3, 9, 15, 45)  # half a working day: 1 h 30 + 2 h 15
    assert dossier.version == 3  # submit, receive


def test_received_before_tet_is_due_after_tet(world, submit, clock):
    clock.set(2026, 2, 12, 9, 0)
    dossier = submit()
    clock.set(2026, 2, 12, 10, 0)  # Thursday before Tết Bính Ngọ (14–22/02/2026 off)
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    # Thu 12 → Fri 13 (1), Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5): same clock time
    assert dossier.due_at == local(2026, 2, 26, 10, 0)


def test_regulation_of_an_old_dossier_is_nd61(world, submit, clock):
    clock.set(2025, 6, 30, 9, 0)
    dossier = submit()
    assert dossier.regulation.code == "nd61-2018" and dossier.regulation.form_set == "tt01_2018"
    assert dossier.code.startswith("H44.12-250630-")


def test_only_reception_of_the_receiving_agency_may_decide(world, submit):
    dossier = submit()
    for actor in (world.other_reception, world.specialist, world.leader, world.citizen):
        for decide in (
            lambda a: dossier_receive(actor=a, dossier=dossier),
            lambda a: dossier_refuse(actor=a, dossier=dossier, reason="Không thuộc thẩm quyền"),
            lambda a: dossier_request_supplement(actor=a, dossier=dossier, items=[{"name": "x"}], reason="y"),
        ):
            with pytest.raises(PermissionDenied) as caught:
                decide(actor)
            assert caught.value.code == "forbidden"
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.version == 2


def test_receive_twice_is_a_state_conflict(world, submit):
    dossier = submit()
    dossier_receive(actor=world.reception, dossier=dossier)
    with pytest.raises(Conflict) as caught:
        dossier_receive(actor=world.reception, dossier=dossier)
    assert caught.value.code == "invalid_state"


def test_stale_version_is_refused(world, submit):
    dossier = submit()
    seen = dossier.version
    dossier_request_supplement(actor=world.reception, dossier=dossier, items=[{"required_document": "cccd",
                                                                               "reason": "Ảnh mờ"}],
                               reason="Giấy tờ chưa rõ")
    with pytest.raises(Conflict) as caught:
        dossier_refuse(actor=world.reception, dossier=dossier, reason="x", expected_version=seen)
    assert caught.value.code == "dossier_state_changed"


def test_supplement_at_reception_once_then_back_to_reception(world, submit, events):
    dossier = submit()
    request = dossier_request_supplement(
        actor=world.reception, dossier=dossier, reason="Hồ sơ chưa đầy đủ",
        items=[{"required_document": "cccd", "reason": "Ảnh chụp bị mờ"}, {"name": "Giấy ủy quyền có công chứng"}],
    )
    dossier.refresh_from_db()
    assert dossier.status == "supplement_requested" and dossier.national_status_code == 5
    assert dossier.supplement_count == 1 and dossier.acting_role == ""
    assert request.items[0]["name"] == "Căn cước công dân" and request.items[0]["reason"] == "Ảnh chụp bị mờ"
    assert request.form.kind == "supplement_request" and request.form.data["reason"] == "Hồ sơ chưa đầy đủ"
    assert events.names()[-1] == "dossier.supplement_requested"

    dossier_submit_supplement(actor=world.citizen, dossier=dossier, documents=[
        {"required_document": "cccd", "file_ids": [str(f.upload(world.citizen, "cccd.jpg", f.jpeg_bytes()).pk)]}])
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.acting_role == "reception"
    assert dossier.documents.filter(role="supplement").count() == 1
    assert SupplementRequest.objects.get().fulfilled_at is not None
    assert events.names()[-1] == "dossier.supplement_submitted"

    with pytest.raises(Conflict) as caught:
        dossier_request_supplement(actor=world.reception, dossier=dossier, items=[{"name": "x"}], reason="y")
    assert caught.value.code == "supplement_already_requested"
    assert dossier_receive(actor=world.reception, dossier=dossier).status == "received"


def test_supplement_needs_items_and_reason(world, submit):
    dossier = submit()
    with pytest.raises(ValidationFailed) as caught:
        dossier_request_supplement(actor=world.reception, dossier=dossier, items=[], reason="Thiếu")
    assert caught.value.code == "supplement_items_required"
    with pytest.raises(ValidationFailed) as caught:
        dossier_request_supplement(actor=world.reception, dossier=dossier, items=[{"name": "x"}], reason=" ")
    assert caught.value.code == "reason_required"
    assert not SupplementRequest.objects.exists()


def test_only_the_applicant_submits_the_supplement(world, submit):
    dossier = submit()
    dossier_request_supplement(actor=world.reception, dossier=dossier, items=[{"name": "x"}], reason="y")
    for actor in (world.other_citizen, world.reception, world.specialist):
        with pytest.raises(PermissionDenied):
            dossier_submit_supplement(actor=actor, dossier=dossier, documents=world.documents(actor)[:1])
    with pytest.raises(Conflict):  # not waiting for a supplement
        dossier_submit_supplement(actor=world.citizen, dossier=submit(), documents=world.documents()[:1])


def test_refuse_with_reason(world, submit, events):
    dossier = submit()
    with pytest.raises(ValidationFailed):
        dossier_refuse(actor=world.reception, dossier=dossier, reason="")
    dossier = dossier_refuse(actor=world.reception, dossier=dossier, reason="Thủ tục không thuộc thẩm quyền của xã")
    assert dossier.status == "refused" and dossier.national_status_code == 3 and dossier.closed_at
    assert dossier.acting_role == ""
    refusal = dossier.forms.get()
    assert refusal.kind == "refusal" and "thẩm quyền" in refusal.data["reason"]
    assert events.one("dossier.refused").payload["reason"].startswith("Thủ tục")
    with pytest.raises(Conflict):
        dossier_receive(actor=world.reception, dossier=dossier)


def test_every_decision_is_audited_and_on_the_timeline(world, submit):
    from tinhso.core.models import AuditEntry

    dossier = dossier_receive(actor=world.reception, dossier=submit())
    actions = list(AuditEntry.objects.filter(target_id=str(dossier.pk)).order_by("seq").values_list("action",
                                                                                                     flat=True))
    assert actions == ["dossier.submit", "dossier.receive"]
    timeline = list(DossierEvent.objects.filter(dossier=dossier).values_list("label", "status_to"))
    assert timeline == [("Mới đăng ký", "submitted"), ("Được tiếp nhận", "received")]


def test_form_numbers_are_gapless_per_agency_and_year(world, submit):
    numbers = [dossier_receive(actor=world.reception, dossier=submit()).forms.get().number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert Dossier.objects.count() == 3


def test_receipt_snapshot_holds_place_documents_and_fees(world, submit):
    """Mẫu 01 prints from its snapshot alone: place name, form number notation, documents with bản
    chính/bản sao and quantity, fees — so a later change of the agency or catalogue cannot alter it."""
    from tinhso.catalog.models import RequiredDocument
    from tinhso.dossiers.printing import render_form
    from tinhso.dossiers.printing.tests.conftest import pdf_text
    from tinhso.org.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.create(code="07900", name="Phường Việt Trì", short_name="Việt Trì", kind="ward")
    world.centre.administrative_unit, world.centre.short_name = unit, "TTPVHCC"
    world.centre.save()
    proc = f.procedure(code="1.000003", receiving=[world.centre],
                       fees=[{"name": "Lệ phí", "amount": "1250000"},
                             {"name": "Phí nộp tại quầy", "amount": "5000", "channel": "counter"}])
    RequiredDocument.objects.filter(version=proc.version, code="cccd").update(original_or_copy="copy", copy_qty=2)
    dossier = dossier_receive(actor=world.reception, dossier=submit(procedure_code=proc.code))

    data = FormIssue.objects.get(dossier=dossier, kind="receipt").data
    assert (data["agency"]["place"], data["agency"]["short_name"]) == ("Việt Trì", "TTPVHCC")
    copy_label = RequiredDocument.objects.get(version=proc.version, code="cccd").get_original_or_copy_display()
    assert [(d["name"], d["copy"], d["quantity"], d["files"]) for d in data["documents"]] == [
        ("Tờ khai cấp bản sao trích lục", "Bản chính", 1, 1), ("Căn cước công dân", copy_label, 2, 1)]
    assert data["fees"] == [{"name": "Lệ phí", "kind": "charge", "amount": 1250000, "amount_text": "1.250.000 đ",
                             "rule": ""}]  # the counter-only fee is not an online applicant's

    unit.short_name = "Phú Thọ"
    unit.save()
    world.centre.short_name = "TT"
    world.centre.save()
    text = pdf_text(render_form(dossier=dossier, kind="receipt"))
    assert "Việt Trì, ngày" in text and "Số: 01/TTPVHCC" in text and "Lệ phí: 1.250.000 đ" in text
