"""Incoming documents: registration, assignment, delegation, progress, finishing (also by reply)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.core.files import bytes_upload, file_store
from tinhso.documents.actions import incoming_actions
from tinhso.documents.errors import DocumentError
from tinhso.documents.models import Assignment, IncomingDocument
from tinhso.documents.services import incoming_deadlines_sweep, incoming_register

pytestmark = pytest.mark.django_db
S = IncomingDocument.Status


@pytest.fixture
def register(world):
    def run(**overrides):
        values = dict(actor=world.dept_clerk, agency=world.department, sender_name="Bộ Tư pháp", sender_code="G09",
                      their_notation="1234/BTP-VP", their_date=date(2026, 3, 2), doc_type="CV",
                      subject="Hướng dẫn triển khai chứng thực điện tử", urgency="normal")
        values.update(overrides)
        return incoming_register(**values)
    return run


def names(actor, document):
    return [s.name for s in incoming_actions.available(incoming_actions.context(actor, document))]


def test_register_numbers_and_flags_duplicates(world, register):
    first = register()
    again = register(subject="Bản gửi lại")
    other = register(their_notation="55/BTP-VP")
    assert [first.arrival_number, again.arrival_number, other.arrival_number] == [1, 2, 3]
    assert first.duplicate_of is None and again.duplicate_of == first and other.duplicate_of is None


def test_only_the_clerk_registers_and_numbers_are_not_typed(world, register):
    with pytest.raises(PermissionDenied) as error:
        register(actor=world.director)
    assert error.value.code == DocumentError.NOT_CLERK
    with pytest.raises(PermissionDenied):
        register(actor=world.clerk)  # the commune's clerk, not the department's
    with pytest.raises(ValidationFailed) as error:
        register(extra={"arrival_number": 7})
    assert error.value.code == DocumentError.NUMBER_TYPED
    with pytest.raises(ValidationFailed) as error:
        register(sender_code="BO TU PHAP")
    assert error.value.code == DocumentError.RECIPIENT_CODE_INVALID
    assert not IncomingDocument.objects.exists()


def test_non_pdf_upload_is_refused(world, register):
    from tinhso.signing.stamps import seal_image_generate

    png = file_store(uploaded_by=world.dept_clerk, upload=bytes_upload(seal_image_generate(agency_name="X"), "scan.png"))
    with pytest.raises(ValidationFailed) as error:
        register(file_id=str(png.pk))
    assert error.value.code == DocumentError.FILE_NOT_PDF
    with pytest.raises(ValidationFailed) as error:
        register(file_id=str(png.pk), metadata_only=True)
    assert error.value.code == DocumentError.METADATA_ONLY_HAS_FILE
    assert not IncomingDocument.objects.exists()


def test_uploaded_pdf_signature_is_verified(world, register):
    from tinhso.core.pdf import render_pdf

    pdf = render_pdf(template_name="documents/pdf/base.html", context={"doc": {"agency_name": "Bộ Tư pháp"}})
    upload = file_store(uploaded_by=world.dept_clerk, upload=bytes_upload(pdf, "vb.pdf"))
    doc = register(file_id=str(upload.pk))
    assert doc.signature_summary["verdict"] == "unsigned" and doc.page_count == 1


def test_assign_delegate_progress_finish(world, register, act):
    doc = register(urgency="hoa_toc")
    assert names(world.director, doc) == ["assign"]
    assert names(world.dept_head, doc) == []
    doc = act(world.director, doc, "assign", lead="XDKT", coordinate=["VP"], inform=["vt-stp"], deadline_days=5,
              instruction="Phòng XDKT chủ trì tham mưu trả lời")
    assert doc.status == S.ASSIGNED and doc.due_at > timezone.now() + timedelta(days=4)
    assert sorted(doc.assignments.values_list("role", flat=True)) == ["coordinate", "inform", "lead"]
    assert names(world.dept_head, doc) == ["delegate"]
    with pytest.raises(PermissionDenied):
        act(world.dept_specialist, doc, "delegate", specialist="cv-stp")
    doc = act(world.dept_head, doc, "delegate", specialist="cv-stp", deadline_days=3)
    assert doc.status == S.IN_PROGRESS
    assert names(world.dept_specialist, doc) == ["progress", "finish"]
    doc = act(world.dept_specialist, doc, "progress", text="Đã dự thảo công văn trả lời")
    with pytest.raises(PermissionDenied) as error:
        act(world.dept_head, doc, "finish", result="xong")
    assert error.value.code == DocumentError.NOT_ASSIGNEE
    doc = act(world.dept_specialist, doc, "finish", result="Đã hướng dẫn qua điện thoại")
    assert doc.status == S.DONE and doc.deadline_state == IncomingDocument.DeadlineState.ON_TRACK
    with pytest.raises(Conflict) as error:
        act(world.dept_specialist, doc, "progress", text="sau khi xong")
    assert error.value.code == DocumentError.INVALID_STATE


def test_assign_refusals(world, register, act):
    doc = register()
    with pytest.raises(PermissionDenied) as error:
        act(world.dept_head, doc, "assign", lead="XDKT", deadline_days=5)
    assert error.value.code == DocumentError.NOT_LEADER
    with pytest.raises(PermissionDenied):
        act(world.chairman, doc, "assign", lead="XDKT", deadline_days=5)  # leader of another agency
    with pytest.raises(ValidationFailed) as error:
        act(world.director, doc, "assign", lead="khong-co", deadline_days=5)
    assert error.value.code == DocumentError.ASSIGNEE_INVALID
    with pytest.raises(ValidationFailed):
        act(world.director, doc, "assign", lead="XDKT", deadline_days=0)
    assert not Assignment.objects.exists()
    doc = act(world.director, doc, "assign", lead="XDKT", deadline_days=2)
    with pytest.raises(Conflict) as error:
        act(world.director, doc, "assign", expected_version=1, lead="XDKT", deadline_days=2)
    assert error.value.code == DocumentError.STALE_VERSION
    with pytest.raises(ValidationFailed) as error:
        act(world.dept_head, doc, "delegate", specialist="cv-stp", deadline_days=30)
    assert error.value.code == DocumentError.DEADLINE_INVALID


def test_reply_closes_the_incoming_document(world, act, unsigned):
    from tinhso.documents.services import outgoing_create
    from tinhso.documents.tests.conftest import person

    incoming = incoming_register(actor=world.dept_clerk, agency=world.department, sender_name="UBND xã Lâm Thao",
                                 sender_code="H44.12", their_notation="7/UBND-VP", their_date=date(2026, 3, 2),
                                 doc_type="CV", subject="Đề nghị hướng dẫn")
    incoming = act(world.director, incoming, "assign", lead="tp-stp", deadline_days=5)
    incoming = act(world.dept_head, incoming, "delegate", specialist="cv-stp")
    reply = outgoing_create(actor=world.dept_specialist, agency=world.department, doc_type="CV",
                            subject="Hướng dẫn chứng thực", body="Sở Tư pháp hướng dẫn như sau…",
                            signer=world.director, signer_title="Giám đốc", recipients=[{"code": "H44.12"}],
                            reply_to=incoming)
    for actor, name, data in [(world.dept_specialist, "submit", {"reviewer": "tp-stp"}), (world.dept_head, "pass_on", {}),
                              (world.director, "sign", {}), (world.dept_clerk, "issue", {})]:
        reply = act(actor, reply, name, **data)
    incoming.refresh_from_db()
    assert incoming.status == S.DONE and incoming.reply == reply and reply.notation == "01/STP-XDKT"
    assert person  # the helper stays importable for other tests


def test_finish_with_an_unissued_reply_is_refused(world, register, act, draft):
    doc = act(world.director, register(), "assign", lead="cv-stp", deadline_days=5)
    other = draft()
    with pytest.raises(ValidationFailed) as error:
        act(world.dept_specialist, doc, "finish", result="trả lời", reply=other.pk)
    assert error.value.code == DocumentError.REPLY_INVALID


def test_sweep_flags_overdue_and_at_risk(world, register, act):
    late = act(world.director, register(), "assign", lead="cv-stp", deadline_days=1)
    soon = act(world.director, register(their_notation="9/BTP"), "assign", lead="cv-stp", deadline_days=10)
    IncomingDocument.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    IncomingDocument.objects.filter(pk=soon.pk).update(due_at=timezone.now() + timedelta(hours=3))
    assert incoming_deadlines_sweep() == {"overdue": 1, "at_risk": 1}
    assert incoming_deadlines_sweep() == {"overdue": 0, "at_risk": 0}
    late.refresh_from_db()
    assert late.deadline_state == "overdue"
