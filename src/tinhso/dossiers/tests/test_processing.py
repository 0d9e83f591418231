"""The process engine (issue #5): every step action, every forbidden one, the clock, results."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from tinhso.catalog.choices import StepAction
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.dossiers.models import Consultation, DossierPayment
from tinhso.dossiers.selectors import dossier_agency_results, dossier_handovers
from tinhso.dossiers.services import (
    dossier_approve,
    dossier_assign,
    dossier_available_actions,
    dossier_consult,
    dossier_consultation_answer,
    dossier_deny,
    dossier_forward,
    dossier_issue_apology,
    dossier_issue_result,
    dossier_payment_confirm,
    dossier_payment_waive,
    dossier_receive,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_result_attach,
    dossier_return_result,
    dossier_send_back,
    dossier_stop,
    dossier_submit_supplement,
    dossier_withdraw,
)
from tinhso.dossiers.tests import factories as f

pytestmark = pytest.mark.django_db


def local(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


def names(actor, dossier):
    return [a.name for a in dossier_available_actions(actor=actor, dossier=dossier)]


@pytest.fixture
def at_appraisal(world, received):
    """A received dossier assigned to ``world.specialist`` at the appraisal step."""

    def run():
        dossier = received()
        return dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)

    return run


def result_file(world, actor=None):
    return str(f.upload(actor or world.clerk, "ket-qua.pdf", f.pdf_bytes()).pk)


def test_whole_path_from_receipt_to_returned_result(world, received, events, pki):
    dossier = received()
    # The apology letter is the agency head's (the leader role) unless the agency designates others.
    assert names(world.unit_head, dossier) == ["assign", "stop"]
    dossier = dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist.username)
    assert dossier.status == "processing" and dossier.national_status_code == 4
    assert dossier.current_step.code == "tham-dinh" and dossier.assignee == world.specialist
    assert "forward" in names(world.specialist, dossier) and names(world.specialist2, dossier) == []
    dossier = dossier_forward(actor=world.specialist, dossier=dossier, note="Hồ sơ hợp lệ")
    assert dossier.current_step.code == "phe-duyet" and dossier.assignee is None
    dossier = dossier_approve(actor=world.leader, dossier=dossier)  # signs the result generated from the template
    assert dossier.outcome == "approved" and dossier.acting_role == "clerk"
    assert dossier.documents.get(role="result").name == "Kết quả giải quyết: Bản sao trích lục"
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier)
    assert dossier.status == "resolved" and dossier.national_status_code == 9
    assert dossier.resolved_at and dossier.verdict in ("early", "on_time")
    assert dossier.acting_role == "reception" and dossier.current_agency == world.centre
    assert names(world.reception, dossier)[0] == "return_result"
    dossier = dossier_return_result(actor=world.reception, dossier=dossier, method="electronic")
    assert dossier.status == "returned" and dossier.national_status_code == 10
    assert dossier.return_method == "electronic" and dossier.returned_at and dossier.acting_role == ""
    assert events.names() == [
        "dossier.submitted", "dossier.received", "dossier.step_changed", "dossier.step_changed",
        "dossier.step_changed", "dossier.resolved", "dossier.result_issued", "dossier.returned",
    ]
    handovers = dossier_handovers(actor=world.reception, dossier=dossier)
    assert [h.step_code for h in handovers] == ["reception", "phan-cong", "tham-dinh", "phe-duyet", "ban-hanh"]
    assert all(h.finished_at for h in handovers)
    assert handovers[2].taken_by == world.specialist and handovers[2].verdict == "early"


def test_step_actions_need_the_steps_role_in_the_holding_agency(world, received):
    dossier = received()
    for actor in (world.specialist, world.leader, world.reception, world.other_reception, world.citizen):
        with pytest.raises(PermissionDenied):
            dossier_assign(actor=actor, dossier=dossier, assignee=world.specialist)
    assert names(world.specialist, dossier) == []


def test_assigned_dossier_belongs_to_the_assignee(world, at_appraisal):
    dossier = at_appraisal()
    with pytest.raises(PermissionDenied) as caught:
        dossier_forward(actor=world.specialist2, dossier=dossier)
    assert "phân công cho người khác" in caught.value.detail
    # the unit head may always take over
    assert dossier_forward(actor=world.unit_head, dossier=dossier).current_step.code == "phe-duyet"


def test_assignee_must_hold_the_target_role(world, received):
    dossier = received()
    with pytest.raises(ValidationFailed) as caught:
        dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.leader)
    assert caught.value.code == "invalid_assignee"
    with pytest.raises(ValidationFailed):
        dossier_assign(actor=world.unit_head, dossier=dossier, assignee="khong-ton-tai")


def test_action_not_offered_by_the_step_and_wrong_state(world, at_appraisal, submit):
    dossier = at_appraisal()
    with pytest.raises(Conflict) as caught:
        dossier_approve(actor=world.specialist, dossier=dossier)
    assert caught.value.code == "action_not_available"
    with pytest.raises(Conflict) as caught:
        dossier_forward(actor=world.unit_head, dossier=submit())
    assert caught.value.code == "invalid_state"


def test_stale_action_is_a_conflict_and_changes_nothing(world, at_appraisal):
    dossier = at_appraisal()
    seen = dossier.version
    dossier_forward(actor=world.specialist, dossier=dossier, expected_version=seen)
    with pytest.raises(Conflict) as caught:
        dossier_forward(actor=world.unit_head, dossier=dossier, expected_version=seen)
    assert caught.value.code == "dossier_state_changed"
    dossier.refresh_from_db()
    assert dossier.current_step.code == "phe-duyet" and dossier.version == seen + 1


def test_send_back_needs_a_reason(world, at_appraisal):
    dossier = dossier_forward(actor=world.specialist, dossier=at_appraisal())
    with pytest.raises(ValidationFailed):
        dossier_send_back(actor=world.leader, dossier=dossier, reason="")
    dossier = dossier_send_back(actor=world.leader, dossier=dossier, reason="Thiếu ý kiến thẩm định")
    assert dossier.current_step.code == "tham-dinh"
    assert dossier.events.order_by("-at", "-id").first().note == "Thiếu ý kiến thẩm định"


def test_deny_ends_with_a_reason_and_reception_returns_it(world, at_appraisal, events):
    dossier = dossier_forward(actor=world.specialist, dossier=at_appraisal())
    dossier = dossier_deny(actor=world.leader, dossier=dossier, reason="Không đủ điều kiện theo quy định")
    assert dossier.status == "resolved" and dossier.outcome == "denied" and dossier.acting_role == "reception"
    assert events.named("dossier.resolved")[0].payload["outcome"] == "denied"
    dossier = dossier_return_result(actor=world.reception, dossier=dossier, method="counter")
    assert dossier.status == "returned"


def test_result_attached_before_issuing(world, at_appraisal, pki):
    dossier = dossier_forward(actor=world.specialist, dossier=at_appraisal())
    assert "attach_result" in names(world.leader, dossier)
    dossier = dossier_result_attach(actor=world.leader, dossier=dossier, file_ids=[result_file(world, world.leader)])
    dossier = dossier_approve(actor=world.leader, dossier=dossier)  # signs the attached file, generates nothing
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier)
    assert dossier.status == "resolved" and dossier.documents.filter(role="result").count() == 1


def test_return_result_only_by_reception_and_once(world, at_appraisal, pki):
    dossier = dossier_approve(actor=world.leader, dossier=dossier_forward(actor=world.specialist,
                                                                          dossier=at_appraisal()))
    with pytest.raises(Conflict):  # not resolved yet
        dossier_return_result(actor=world.reception, dossier=dossier, method="counter")
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier)
    for actor in (world.clerk, world.other_reception, world.citizen):
        with pytest.raises(PermissionDenied):
            dossier_return_result(actor=actor, dossier=dossier, method="counter")
    with pytest.raises(ValidationFailed):
        dossier_return_result(actor=world.reception, dossier=dossier, method="pigeon")
    dossier_return_result(actor=world.reception, dossier=dossier, method="post")
    with pytest.raises(Conflict):
        dossier_return_result(actor=world.reception, dossier=dossier, method="post")


# --- the clock --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("signing_not_required")
def test_before_tet_received_after_tet_resolved_on_time(world, submit, clock):
    clock.set(2026, 2, 12, 9, 30)
    dossier = submit()
    clock.set(2026, 2, 12, 10, 0)
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    assert dossier.due_at == local(2026, 2, 26, 10, 0)
    clock.set(2026, 2, 12, 11, 0)
    dossier = dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)
    clock.set(2026, 2, 24, 9, 0)
    dossier = dossier_forward(actor=world.specialist, dossier=dossier)
    clock.set(2026, 2, 25, 16, 0)
    dossier = dossier_approve(actor=world.leader, dossier=dossier)
    clock.set(2026, 2, 26, 9, 45)
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier, file_ids=[result_file(world)])
    assert dossier.resolved_at == local(2026, 2, 26, 9, 45) and dossier.verdict == "on_time"
    clock.set(2026, 2, 26, 10, 30)
    late = dossier_receive(actor=world.reception, dossier=submit())  # same rules, one day later → late
    assert late.due_at == local(2026, 3, 5, 10, 30)


@pytest.mark.usefixtures("signing_not_required")
def test_waiting_for_a_supplement_is_not_counted(world, at_appraisal, clock, events):
    clock.set(2026, 3, 9, 9, 0)  # Monday
    dossier = at_appraisal()
    assert dossier.due_at == local(2026, 3, 16, 9, 0)
    step_due = dossier.step_due_at
    clock.set(2026, 3, 10, 9, 0)
    request = dossier_request_supplement(actor=world.specialist, dossier=dossier, reason="Cần bản sao công chứng",
                                         items=[{"required_document": "cccd"}])
    dossier.refresh_from_db()
    assert request.stage == "processing" and dossier.status == "supplement_requested"
    assert dossier.paused_since == local(2026, 3, 10, 9, 0) and dossier.national_status_code == 5
    assert names(world.specialist, dossier) == []  # nothing to do while the applicant owes papers
    clock.set(2026, 3, 13, 9, 0)  # three working days later (Tue → Fri)
    dossier_submit_supplement(actor=world.citizen, dossier=dossier, documents=[
        {"required_document": "cccd", "file_ids": [str(f.upload(world.citizen, "cccd.pdf").pk)]}])
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.paused_since is None
    assert dossier.paused_minutes == 3 * 450
    assert dossier.due_at == local(2026, 3, 19, 9, 0)  # 16/03 + 3 working days
    assert dossier.step_due_at > step_due and dossier.current_step.code == "tham-dinh"
    assert events.named("dossier.supplement_submitted")[0].payload["due_at"] == "2026-03-19T09:00:00+07:00"
    clock.set(2026, 3, 18, 9, 0)
    dossier = dossier_forward(actor=world.specialist, dossier=dossier)
    dossier = dossier_approve(actor=world.leader, dossier=dossier)
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier, file_ids=[result_file(world)])
    assert dossier.resolved_at > local(2026, 3, 16, 9, 0)  # after the first appointment…
    assert dossier.verdict == "early"  # …but before the appointment moved by the pause


@pytest.mark.usefixtures("signing_not_required")
def test_supplement_once_over_the_whole_life_then_a_second_is_refused(world, submit, clock):
    """Reception and processing share the one request NĐ 61/2018 / NĐ 118/2025 allow."""
    clock.set(2026, 3, 9, 8, 0)
    dossier = submit()
    dossier_request_supplement(actor=world.reception, dossier=dossier, items=[{"name": "Tờ khai"}], reason="Thiếu")
    dossier_submit_supplement(actor=world.citizen, dossier=dossier, documents=[
        {"required_document": "to-khai", "file_ids": [str(f.upload(world.citizen).pk)]}])
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    dossier = dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)
    assert "request_supplement" not in names(world.specialist, dossier)
    with pytest.raises(Conflict) as caught:
        dossier_request_supplement(actor=world.specialist, dossier=dossier, items=[{"name": "Ảnh"}], reason="Mờ")
    assert caught.value.code == "supplement_already_requested"
    dossier.refresh_from_db()
    assert dossier.supplement_count == 1 and dossier.status == "processing"
    assert dossier.supplement_requests.count() == 1 and dossier.forms.filter(kind="supplement_request").count() == 1


@pytest.mark.usefixtures("signing_not_required")
def test_a_procedure_allowing_more_gets_a_second_request_which_still_makes_it_late(world, submit, clock):
    from tinhso.catalog.models import ProcessDefinition

    # As a province sets it in the admin for a procedure whose own text allows it (or an old
    # dossier's over-limit history): the 766 rule still counts it late.
    ProcessDefinition.objects.filter(version=world.proc.version).update(
        supplement_limit=2, supplement_limit_basis="Điều 10 Thông tư (ví dụ)")
    clock.set(2026, 3, 9, 8, 0)
    dossier = submit()
    dossier_request_supplement(actor=world.reception, dossier=dossier, items=[{"name": "Tờ khai"}], reason="Thiếu")
    dossier_submit_supplement(actor=world.citizen, dossier=dossier, documents=[
        {"required_document": "to-khai", "file_ids": [str(f.upload(world.citizen).pk)]}])
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    dossier = dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)
    assert "request_supplement" in names(world.specialist, dossier)
    dossier_request_supplement(actor=world.specialist, dossier=dossier, items=[{"name": "Ảnh"}], reason="Mờ")
    dossier_submit_supplement(actor=world.citizen, dossier=dossier, documents=[
        {"required_document": "cccd", "file_ids": [str(f.upload(world.citizen).pk)]}])
    dossier.refresh_from_db()
    dossier = dossier_approve(actor=world.leader, dossier=dossier_forward(actor=world.specialist, dossier=dossier))
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier, file_ids=[result_file(world)])
    assert dossier.supplement_count == 2 and dossier.verdict == "late"


def test_payment_stops_the_clock_until_confirmed(world, clock, submit):
    f.procedure(code="1.000010", receiving=[world.centre], fees=[{"name": "Lệ phí", "amount": "8000"},
                                                                  {"name": "Phí trực tuyến", "amount": "5000",
                                                                   "channel": "counter"}])
    clock.set(2026, 3, 9, 9, 0)
    dossier = dossier_receive(actor=world.reception, dossier=submit(procedure_code="1.000010"))
    dossier = dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)
    clock.set(2026, 3, 9, 14, 0)
    payment = dossier_request_payment(actor=world.specialist, dossier=dossier)
    assert payment.amount == 8000 and [i["name"] for i in payment.items] == ["Lệ phí"]
    dossier.refresh_from_db()
    assert dossier.status == "payment_requested" and dossier.national_status_code == 6
    assert "payment_confirm" in names(world.reception, dossier)
    with pytest.raises(PermissionDenied):
        dossier_payment_confirm(actor=world.citizen, dossier=dossier)
    clock.set(2026, 3, 10, 14, 0)  # one working day later
    dossier_payment_confirm(actor=world.reception, dossier=dossier, reference="BL-000123")
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.paused_minutes == 450
    assert dossier.due_at == local(2026, 3, 17, 9, 0)
    assert DossierPayment.objects.get().state == "paid"
    with pytest.raises(Conflict):
        dossier_payment_waive(actor=world.reception, dossier=dossier, reason="x")


def test_payment_amount_and_waiver(world, at_appraisal):
    dossier = at_appraisal()
    with pytest.raises(ValidationFailed) as caught:  # the procedure has no fixed fee
        dossier_request_payment(actor=world.specialist, dossier=dossier)
    assert caught.value.code == "payment_amount_required"
    payment = dossier_request_payment(actor=world.specialist, dossier=dossier, amount="1250000")
    assert payment.amount == 1250000
    payment = dossier_payment_waive(actor=world.specialist, dossier=dossier, reason="Hộ nghèo được miễn")
    assert payment.state == "waived"


def test_consulting_another_agency(world, at_appraisal):
    dossier = at_appraisal()
    with pytest.raises(ValidationFailed):
        dossier_consult(actor=world.specialist, dossier=dossier, agency="H44.12", question="?")
    consultation = dossier_consult(actor=world.specialist, dossier=dossier, agency="H44.02",
                                   question="Đề nghị cho ý kiến về tính hợp lệ của giấy tờ")
    from tinhso.dossiers.selectors import dossier_get_for

    assert dossier_get_for(actor=world.dept_specialist, code=dossier.code) == dossier  # now in their scope
    assert names(world.dept_specialist, dossier) == ["answer_consultation"]
    with pytest.raises(PermissionDenied):
        dossier_consultation_answer(actor=world.specialist2, dossier=dossier, answer="Đồng ý")
    dossier_consultation_answer(actor=world.dept_specialist, dossier=dossier, answer="Giấy tờ hợp lệ")
    consultation.refresh_from_db()
    assert consultation.answer == "Giấy tờ hợp lệ" and consultation.answered_by == world.dept_specialist
    assert Consultation.objects.filter(answered_at__isnull=True).count() == 0


@pytest.mark.usefixtures("signing_not_required")
def test_inter_agency_step_runs_in_the_other_agencys_queue(world, submit, clock):
    steps = [
        {"code": "tiep-nhan-xa", "name": "Xã thẩm tra", "role": "specialist", "days": "1"},
        {"code": "so-tham-dinh", "name": "Sở thẩm định", "role": "specialist", "days": "2", "scope": "fixed",
         "agency": world.department},
        {"code": "xa-tra", "name": "Xã ban hành", "role": "leader", "days": "1"},
    ]
    transitions = [("tiep-nhan-xa", StepAction.FORWARD, "so-tham-dinh"),
                   ("so-tham-dinh", StepAction.FORWARD, "xa-tra"),
                   ("xa-tra", StepAction.ISSUE_RESULT, None)]
    f.procedure(code="1.000020", receiving=[world.centre], steps=steps, transitions=transitions)
    clock.set(2026, 3, 9, 9, 0)
    dossier = dossier_receive(actor=world.reception, dossier=submit(procedure_code="1.000020"))
    clock.set(2026, 3, 9, 15, 0)
    dossier = dossier_forward(actor=world.specialist, dossier=dossier)
    assert dossier.current_agency == world.department and dossier.step_due_at == local(2026, 3, 11, 15, 0)
    from tinhso.dossiers.selectors import work_queue

    assert [i.dossier for i in work_queue(actor=world.dept_specialist).items] == [dossier]
    assert work_queue(actor=world.specialist).items == []
    with pytest.raises(PermissionDenied):
        dossier_forward(actor=world.specialist, dossier=dossier)
    clock.set(2026, 3, 12, 9, 0)  # the department is late on its step
    dossier = dossier_forward(actor=world.dept_specialist, dossier=dossier)
    assert dossier.current_agency == world.centre
    clock.set(2026, 3, 12, 10, 0)
    with pytest.raises(ValidationFailed) as caught:
        dossier_issue_result(actor=world.leader, dossier=dossier)
    assert caught.value.code == "result_required"
    dossier = dossier_issue_result(actor=world.leader, dossier=dossier, file_ids=[result_file(world, world.leader)])
    results = {r.agency.code: r.verdict for r in dossier_agency_results(
        handovers=dossier_handovers(actor=world.reception, dossier=dossier))}
    assert results == {"H44.12": "early", "H44.02": "late"}
    assert dossier.verdict == "early"  # the whole dossier is still within its appointment
    # Each timeline row names the agency of the officer who acted, not the desk the dossier went to
    forwards = [e.agency.code for e in dossier.events.filter(action="forward").order_by("at", "id")]
    assert forwards == ["H44.12", "H44.02"]


# --- outside the graph: apology, stop, withdraw ---------------------------------------------------------


def test_apology_once_before_the_due_date_by_the_head(world, at_appraisal, clock, events):
    clock.set(2026, 3, 9, 9, 0)
    dossier = at_appraisal()
    new_due = local(2026, 3, 20, 9, 0)
    with pytest.raises(PermissionDenied):
        dossier_issue_apology(actor=world.specialist, dossier=dossier, reason="Chờ xác minh", new_due_at=new_due)
    with pytest.raises(ValidationFailed):
        dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chờ xác minh",
                              new_due_at=local(2026, 3, 12, 9, 0))
    form = dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chờ kết quả xác minh", new_due_at=new_due)
    assert form.kind == "apology" and form.data["old_due_at"] == "2026-03-16T09:00:00+07:00"
    dossier.refresh_from_db()
    assert dossier.due_at == new_due and dossier.original_due_at == local(2026, 3, 16, 9, 0)
    assert events.named("dossier.apology_issued")[0].payload["new_due_at"] == "2026-03-20T09:00:00+07:00"
    with pytest.raises(Conflict) as caught:
        dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Lần hai", new_due_at=local(2026, 3, 27, 9))
    assert caught.value.code == "apology_already_issued"


def test_apology_only_up_to_one_working_day_before_the_appointment(world, at_appraisal, clock):
    clock.set(2026, 3, 9, 9, 0)  # Monday; 5 working days → due Monday 16/03 09:00
    dossier = at_appraisal()
    clock.set(2026, 3, 13, 10, 0)  # Friday 10:00: less than one working day is left
    assert "issue_apology" not in names(world.leader, dossier)
    with pytest.raises(Conflict) as caught:
        dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chậm", new_due_at=local(2026, 3, 20, 9))
    assert caught.value.code == "apology_too_late"
    clock.set(2026, 3, 13, 9, 0)  # Friday 09:00: exactly one working day before
    assert "issue_apology" in names(world.leader, dossier)
    assert dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chậm",
                                 new_due_at=local(2026, 3, 20, 9)).kind == "apology"


def test_apology_by_the_head_or_whoever_the_agency_designates(world, at_appraisal, clock):
    from tinhso.org.models import Membership

    clock.set(2026, 3, 9, 9, 0)
    dossier = at_appraisal()
    with pytest.raises(PermissionDenied):
        dossier_issue_apology(actor=world.unit_head, dossier=dossier, reason="Chậm", new_due_at=local(2026, 3, 20, 9))
    Membership.objects.filter(user=world.unit_head, agency=world.centre).update(signs_apology=True)
    assert "issue_apology" in names(world.unit_head, dossier)
    form = dossier_issue_apology(actor=world.unit_head, dossier=dossier, reason="Chậm", new_due_at=local(2026, 3, 20, 9))
    assert form.kind == "apology"


def test_apology_new_date_is_bounded(world, at_appraisal, clock, settings):
    clock.set(2026, 3, 9, 9, 0)
    dossier = at_appraisal()
    # Default: at most the procedure's own time (5 working days) once more: 16/03 → 23/03 09:00.
    with pytest.raises(ValidationFailed) as caught:
        dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chậm", new_due_at=local(2026, 3, 23, 9, 30))
    assert caught.value.code == "apology_extension_too_long"
    settings.TINHSO_APOLOGY_MAX_EXTENSION_WORKING_DAYS = 2
    with pytest.raises(ValidationFailed) as caught:
        dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chậm", new_due_at=local(2026, 3, 19, 9))
    assert caught.value.code == "apology_extension_too_long"
    settings.TINHSO_APOLOGY_MAX_EXTENSION_WORKING_DAYS = 0
    form = dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chậm", new_due_at=local(2026, 3, 23, 9))
    assert form.data["new_due_at"] == "2026-03-23T09:00:00+07:00"


def test_apology_after_the_due_date_is_too_late(world, at_appraisal, clock):
    clock.set(2026, 3, 9, 9, 0)
    dossier = at_appraisal()
    clock.set(2026, 3, 17, 9, 0)
    assert "issue_apology" not in names(world.leader, dossier)
    with pytest.raises(Conflict) as caught:
        dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chậm", new_due_at=local(2026, 3, 20, 9))
    assert caught.value.code == "apology_too_late"


def test_stop_with_notice(world, at_appraisal, events):
    dossier = at_appraisal()
    with pytest.raises(PermissionDenied):
        dossier_stop(actor=world.specialist, dossier=dossier, reason="x")
    dossier = dossier_stop(actor=world.leader, dossier=dossier, reason="Người nộp đề nghị dừng giải quyết")
    assert dossier.status == "stopped" and dossier.national_status_code == 8 and dossier.closed_at
    assert dossier.forms.filter(kind="stop").count() == 1 and events.names()[-1] == "dossier.stopped"
    with pytest.raises(Conflict):
        dossier_forward(actor=world.specialist, dossier=dossier)


def test_withdraw_by_the_applicant(world, at_appraisal, events):
    dossier = at_appraisal()
    with pytest.raises(PermissionDenied):
        dossier_withdraw(actor=world.other_citizen, dossier=dossier, reason="x")
    with pytest.raises(PermissionDenied):  # an online account withdraws for itself
        dossier_withdraw(actor=world.reception, dossier=dossier, reason="x")
    dossier = dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Không còn nhu cầu")
    assert dossier.status == "withdrawn" and dossier.national_status_code == 7
    assert events.names()[-1] == "dossier.withdrawn"
    with pytest.raises(Conflict):
        dossier_withdraw(actor=world.citizen, dossier=dossier, reason="lại")


def test_sign_step_and_branching_targets(world, submit, pki):
    from tinhso.dossiers.services import dossier_sign

    steps = [
        {"code": "tham-dinh", "name": "Thẩm định", "role": "specialist", "days": "1"},
        {"code": "ky", "name": "Lãnh đạo ký", "role": "leader", "days": "1"},
        {"code": "ban-hanh", "name": "Văn thư ban hành", "role": "clerk", "days": "1"},
        {"code": "xac-minh", "name": "Xác minh thực địa", "role": "specialist", "days": "1"},
    ]
    transitions = [("tham-dinh", StepAction.FORWARD, "ky"), ("tham-dinh", StepAction.FORWARD, "xac-minh"),
                   ("xac-minh", StepAction.FORWARD, "ky"), ("ky", StepAction.SIGN, "ban-hanh"),
                   ("ban-hanh", StepAction.ISSUE_RESULT, None)]
    f.procedure(code="1.000030", receiving=[world.centre], steps=steps, transitions=transitions)
    dossier = dossier_receive(actor=world.reception, dossier=submit(procedure_code="1.000030"))
    forward = next(a for a in dossier_available_actions(actor=world.specialist, dossier=dossier)
                   if a.name == "forward")
    assert forward.fields[0].name == "to_step" and [c["value"] for c in forward.fields[0].choices] == ["ky",
                                                                                                     "xac-minh"]
    with pytest.raises(ValidationFailed) as caught:
        dossier_forward(actor=world.specialist, dossier=dossier)
    assert caught.value.code == "to_step_required"
    with pytest.raises(ValidationFailed) as caught:
        dossier_forward(actor=world.specialist, dossier=dossier, to_step="ban-hanh")
    assert caught.value.code == "invalid_to_step"
    dossier = dossier_forward(actor=world.specialist, dossier=dossier, to_step="ky")
    with pytest.raises(PermissionDenied):
        dossier_sign(actor=world.specialist, dossier=dossier)
    dossier = dossier_sign(actor=world.leader, dossier=dossier, note="Đã ký số")
    assert dossier.current_step.code == "ban-hanh" and dossier.acting_role == "clerk"
