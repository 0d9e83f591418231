"""Outgoing documents: every action, and every refusal (wrong role, agency, state, stale version)."""

import pytest

from tinhso.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tinhso.core.testing import captured_events
from tinhso.documents.actions import outgoing_actions
from tinhso.documents.errors import DocumentError
from tinhso.documents.models import DraftComment, IncomingDocument, OutgoingDocument, OutgoingRecipient

pytestmark = pytest.mark.django_db
S = OutgoingDocument.Status


def names(actor, document):
    return [spec.name for spec in outgoing_actions.available(outgoing_actions.context(actor, document))]


def test_draft_to_issue_delivers_to_the_internal_recipient(world, flow, unsigned):
    doc = flow("issued")
    assert doc.status == S.ISSUED and doc.notation == "01/UBND-VP" and doc.issued_by == world.clerk
    incoming = IncomingDocument.objects.get(agency=world.department)
    assert (incoming.their_notation, incoming.sender_code, incoming.arrival_number) == ("01/UBND-VP", "H44.12", 1)
    assert incoming.source == IncomingDocument.Source.INTERNAL and incoming.file_id == doc.signed_file_id
    assert [e.action for e in doc.events.all()] == ["create", "submit", "pass_on", "sign", "issue"]


def test_offered_actions_follow_role_and_state(world, draft, act):
    doc = draft()
    assert names(world.drafter, doc) == ["edit", "comment", "submit"]
    assert names(world.chairman, doc) == ["comment"]
    assert names(world.clerk, doc) == []
    doc = act(world.drafter, doc, "submit", reviewer=world.unit_head.username)
    assert names(world.unit_head, doc) == ["comment", "return", "pass_on"]
    assert names(world.drafter, doc) == ["comment"]


def test_return_with_comments_and_versions_kept(world, draft, act):
    doc = act(world.drafter, draft(), "submit", reviewer=world.unit_head.username)
    doc = act(world.unit_head, doc, "return", reason="Bổ sung căn cứ pháp lý")
    assert doc.status == S.RETURNED
    doc = act(world.drafter, doc, "edit", subject="Đề nghị hướng dẫn chứng thực (bổ sung)", body="Căn cứ…")
    assert [v.number for v in doc.versions.all()] == [1, 2]
    assert DraftComment.objects.get(document=doc).text == "Bổ sung căn cứ pháp lý"
    doc = act(world.drafter, doc, "submit", reviewer=world.unit_head.username)
    assert doc.status == S.IN_REVIEW


@pytest.mark.parametrize("who,name,data,code", [
    ("unit_head", "submit", {"reviewer": "cvp-lamthao"}, DocumentError.NOT_DRAFTER),
    ("drafter", "pass_on", {}, DocumentError.INVALID_STATE),
    ("clerk", "sign", {}, DocumentError.INVALID_STATE),
    ("drafter", "issue", {}, DocumentError.NOT_CLERK),
    ("outsider", "edit", {"subject": "Sửa trái phép"}, DocumentError.NOT_DRAFTER),
    ("clerk", "recall", {"reason": "thử"}, DocumentError.INVALID_STATE),
])
def test_forbidden_on_a_draft(world, draft, act, who, name, data, code):
    doc = draft()
    with pytest.raises((PermissionDenied, Conflict)) as error:
        act(getattr(world, who), doc, name, **data)
    assert error.value.code == code
    doc.refresh_from_db()
    assert doc.status == S.DRAFT and doc.version == 1


def test_only_the_reviewer_passes_on_and_only_the_signer_signs(world, flow, act, unsigned):
    doc = flow("in_review")
    with pytest.raises(PermissionDenied) as error:
        act(world.chairman, doc, "pass_on")
    assert error.value.code == DocumentError.NOT_REVIEWER
    doc = act(world.unit_head, doc, "pass_on")
    with pytest.raises(PermissionDenied) as error:
        act(world.unit_head, doc, "sign")
    assert error.value.code == DocumentError.NOT_THE_SIGNER
    with pytest.raises(PermissionDenied):
        act(world.outsider, doc, "return", reason="không phải việc của tôi")


def test_clerk_of_another_agency_cannot_issue(world, flow, act, unsigned):
    doc = flow("signed")
    with pytest.raises(PermissionDenied) as error:
        act(world.outsider, doc, "issue")
    assert error.value.code == DocumentError.NOT_CLERK
    with pytest.raises(PermissionDenied):
        act(world.dept_clerk, doc, "issue")


def test_stale_version_is_a_conflict(world, draft, act):
    doc = draft()
    act(world.drafter, doc, "edit", subject="Phiên bản mới của trích yếu")
    with pytest.raises(Conflict) as error:
        act(world.drafter, doc, "submit", expected_version=1, reviewer=world.unit_head.username)
    assert error.value.status == 409 and error.value.code == DocumentError.STALE_VERSION
    assert OutgoingDocument.objects.get(pk=doc.pk).status == S.DRAFT


def test_signer_without_the_authority_chosen_is_refused(world, draft):
    with pytest.raises(ValidationFailed) as error:
        draft(signer=world.unit_head, authority="TM.", head_title="Ủy ban nhân dân")
    assert error.value.code == DocumentError.SIGNER_WITHOUT_AUTHORITY
    assert draft(signer=world.unit_head, authority="TL.", signer_title="Chánh Văn phòng").authority == "TL."


def test_signer_who_lost_the_authority_cannot_sign(world, flow, act, unsigned):
    doc = flow("awaiting_signature")
    world.chairman.memberships.update(is_active=False)
    with pytest.raises(ValidationFailed) as error:
        act(world.chairman, doc, "sign")
    assert error.value.code == DocumentError.SIGNER_WITHOUT_AUTHORITY


@pytest.mark.parametrize("recipients,code", [
    ([{"code": "SO-TU-PHAP"}], DocumentError.RECIPIENT_CODE_INVALID),
    ([{"code": "h44.99"}], DocumentError.RECIPIENT_AGENCY_UNKNOWN),
    ([], DocumentError.RECIPIENT_REQUIRED),
])
def test_bad_recipients_store_nothing(world, draft, recipients, code):
    with pytest.raises(ValidationFailed) as error:
        draft(recipients=recipients)
    assert error.value.code == code
    assert not OutgoingDocument.objects.exists() and not OutgoingRecipient.objects.exists()


def test_outside_recipient_by_code_with_a_name(world, draft):
    doc = draft(recipients=[{"code": "G09.01", "name": "Bộ Tư pháp"}, {"code": "H44.02", "for_information": True}])
    rows = list(doc.recipients.values_list("code", "name", "agency__code", "for_information"))
    assert rows == [("G09.01", "Bộ Tư pháp", None, False), ("H44.02", "Sở Tư pháp tỉnh Phú Thọ", "H44.02", True)]


def test_unknown_type_and_unit_abbreviation(world, draft):
    with pytest.raises(ValidationFailed) as error:
        draft(doc_type="Thư điện tử")
    assert error.value.code == DocumentError.UNKNOWN_TYPE
    with pytest.raises(ValidationFailed) as error:
        draft(unit_abbr="văn phòng")
    assert error.value.code == DocumentError.UNIT_ABBREVIATION_REQUIRED
    assert draft(doc_type="Quyết định", subject="Về việc giao chỉ tiêu").doc_type == "QĐ"


def test_cong_van_drafter_without_unit_has_no_abbreviation(world, draft):
    world.drafter.memberships.update(department=None)
    with pytest.raises(ValidationFailed) as error:
        draft()
    assert error.value.code == DocumentError.UNIT_ABBREVIATION_REQUIRED
    assert draft(doc_type="TB", subject="Thông báo lịch tiếp công dân").unit_abbr == ""


def test_outsider_cannot_draft_for_the_agency(world, draft):
    with pytest.raises(PermissionDenied) as error:
        draft(actor=world.outsider)
    assert error.value.code == DocumentError.WRONG_AGENCY


def test_uploaded_draft_must_be_a_pdf(world, draft):
    from tinhso.core.files import bytes_upload, file_store
    from tinhso.signing.stamps import seal_image_generate

    png = file_store(uploaded_by=world.drafter, upload=bytes_upload(seal_image_generate(agency_name="X"), "anh.png"))
    with pytest.raises(ValidationFailed) as error:
        draft(uploaded_file_id=str(png.pk))
    assert error.value.code == DocumentError.FILE_NOT_PDF
    with pytest.raises(NotFound):
        draft(attachment_ids=["00000000-0000-0000-0000-000000000000"])
    assert not OutgoingDocument.objects.exists()


def test_recall_marks_the_delivered_copies(world, flow, act, unsigned):
    doc = flow("issued")
    with captured_events() as events:
        doc = act(world.clerk, doc, "recall", reason="Sai đối tượng áp dụng")
    assert doc.status == S.RECALLED and doc.recall_reason == "Sai đối tượng áp dụng"
    assert IncomingDocument.objects.get(from_outgoing=doc).status == IncomingDocument.Status.RECALLED
    assert "documents.outgoing_recalled" in [e.name for e in events]
    with pytest.raises(Conflict):
        act(world.clerk, doc, "recall", reason="lần nữa")


def test_replacement_becomes_the_issued_one(world, flow, act, unsigned):
    doc = flow("issued")
    new = act(world.chairman, doc, "replace", reason="Sai nội dung Điều 2")
    assert new.replaces_id == doc.pk and new.status == S.DRAFT
    for actor, name, data in [(world.drafter, "submit", {"reviewer": world.unit_head.username}),
                              (world.unit_head, "pass_on", {}), (world.chairman, "sign", {}), (world.clerk, "issue", {})]:
        new = act(actor, new, name, **data)
    doc.refresh_from_db()
    assert doc.status == S.REPLACED and new.notation == "02/UBND-VP"
    assert doc.events.filter(action="replaced").exists()
    with pytest.raises(PermissionDenied):
        act(world.drafter, new, "replace", reason="không có quyền")


def test_signing_needs_a_certificate_when_required(world, flow, act):
    doc = flow("awaiting_signature")
    with pytest.raises(ValidationFailed) as error:
        act(world.chairman, doc, "sign")
    assert error.value.code == DocumentError.CERTIFICATE_REQUIRED
    doc.refresh_from_db()
    assert doc.number is None and doc.status == S.AWAITING_SIGNATURE
