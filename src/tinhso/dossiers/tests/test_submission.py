"""Submission: online by the citizen, intake at the counter, drafts, and invalid input storing nothing."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tinhso.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from tinhso.core.models import Sequence
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.models import Dossier, DossierDocument, DossierEvent, FormIssue, Handover
from tinhso.dossiers.services import (
    dossier_create,
    dossier_draft_delete,
    dossier_draft_save,
    dossier_intake,
    dossier_submit,
)
from tinhso.dossiers.tests import factories as f

pytestmark = pytest.mark.django_db


def _counts():
    return (Dossier.objects.count(), DossierDocument.objects.count(), DossierEvent.objects.count(),
            Handover.objects.count(), FormIssue.objects.count(), Sequence.objects.filter(scope__startswith="dossier:")
            .values_list("value", flat=True).first() or 0)


def test_online_submission_gets_reference_and_status_new(world, submit, events):
    dossier = submit()
    today = timezone.localdate().strftime("%y%m%d")
    # TT 01/2018 Điều 19: the code comes at receipt; until then the dossier goes by its reference.
    assert dossier.reference == dossier.code == f"H44.12-{today}-N0001" and dossier.code_is_provisional
    assert dossier.status == "submitted" and dossier.national_status_code == 1
    assert dossier.owner == world.citizen and dossier.regulation.code == "nd118-2025"
    assert dossier.acting_role == "reception" and dossier.current_agency == world.centre
    assert dossier.documents.count() == 2
    assert events.names() == ["dossier.submitted"]
    payload = events.one("dossier.submitted").payload
    assert payload["dossier_code"] == dossier.code and payload["national_status_code"] == 1
    assert "applicant_phone" not in payload and f.CITIZEN_PHONE not in str(payload)
    assert submit().code == f"H44.12-{today}-N0002"


def test_code_follows_the_regulation_format(world, received):
    from tinhso.dossiers.models import Regulation

    Regulation.objects.filter(code="nd118-2025").update(dossier_code_format="{agency}-{yyyymmdd}-{seq:07d}")
    dossier = received()
    assert re.fullmatch(r"H44\.12-20\d{6}-0000001", dossier.code)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"applicant": f.applicant(id_number="123")}, "invalid_id_number"),
        ({"applicant": f.applicant(phone="012345")}, "invalid_phone"),
        ({"applicant": f.applicant(kind="business", tax_code="0100109107", id_number="")}, "invalid_tax_code"),
        ({"procedure_code": "9.999999"}, "procedure_not_found"),
        ({"channel": "fax"}, "invalid_channel"),
        ({"agency_code": "H44.13"}, "agency_not_receiving"),
    ],
)
def test_invalid_input_stores_nothing(world, overrides, code):
    before = _counts()
    documents = world.documents()
    if isinstance(overrides.get("applicant"), dict):
        overrides["applicant"] = ApplicantInput.from_mapping(overrides["applicant"])
    kwargs = {"procedure_code": world.proc.code, "channel": "online",
              "applicant": ApplicantInput.from_mapping(f.applicant()), "documents": documents, **overrides}
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, **kwargs)
    assert caught.value.code == code
    assert _counts() == before


def test_missing_required_document_names_it_and_stores_nothing(world):
    before = _counts()
    only_form = world.documents()[:1]
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, procedure_code=world.proc.code, channel="online",
                       applicant=ApplicantInput.from_mapping(f.applicant()), documents=only_form)
    assert caught.value.code == "missing_required_document"
    assert "Căn cước công dân" in caught.value.detail
    assert _counts() == before


def test_wrong_file_type_for_a_component_is_refused(world):
    image = f.upload(world.citizen, "to-khai.png", f.png_bytes())
    documents = world.documents()
    documents[0]["file_ids"] = [str(image.pk)]  # the form accepts PDF only
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, procedure_code=world.proc.code, channel="online",
                       applicant=ApplicantInput.from_mapping(f.applicant()), documents=documents)
    assert caught.value.code == "file_type_not_allowed"
    assert not Dossier.objects.exists()


def test_someone_elses_file_cannot_be_attached(world):
    documents = world.documents(world.other_citizen)
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, procedure_code=world.proc.code, channel="online",
                       applicant=ApplicantInput.from_mapping(f.applicant()), documents=documents)
    assert caught.value.code == "file_not_found"


def test_citizen_submits_only_for_themselves(world):
    with pytest.raises(PermissionDenied) as caught:
        dossier_create(actor=world.citizen, procedure_code=world.proc.code, channel="online",
                       applicant=ApplicantInput.from_mapping(f.applicant(id_number=f.OTHER_CITIZEN_ID)),
                       documents=world.documents())
    assert caught.value.code == "applicant_mismatch"
    assert not Dossier.objects.exists()


def test_anonymous_cannot_submit(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        dossier_create(actor=AnonymousUser(), procedure_code=world.proc.code, channel="online",
                       applicant=ApplicantInput.from_mapping(f.applicant()), documents=[])


def test_eform_is_validated(world):
    schema = {"type": "object", "properties": {
        "so_ban": {"type": "integer", "title": "Số bản sao", "minimum": 1, "maximum": 10}}, "required": ["so_ban"]}
    proc = f.procedure(code="1.000002", receiving=[world.centre], eform=schema)
    kwargs = {"procedure_code": proc.code, "channel": "online",
              "applicant": ApplicantInput.from_mapping(f.applicant())}
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, documents=world.documents(), form_data={"so_ban": 0}, **kwargs)
    assert caught.value.code == "eform_invalid" and caught.value.errors[0]["field"] == "so_ban"
    dossier = dossier_create(actor=world.citizen, documents=world.documents(), form_data={"so_ban": "2"}, **kwargs)
    assert dossier.form_data == {"so_ban": 2}


def test_several_receiving_agencies_need_a_choice(world):
    proc = f.procedure(code="1.000003", receiving=[world.centre, world.other])
    kwargs = {"procedure_code": proc.code, "channel": "online", "applicant": ApplicantInput.from_mapping(f.applicant())}
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, documents=world.documents(), **kwargs)
    assert caught.value.code == "agency_required"
    dossier = dossier_create(actor=world.citizen, documents=world.documents(), agency_code="h44.13", **kwargs)
    assert dossier.receiving_agency == world.other and dossier.code.startswith("H44.13-")


def test_channel_not_offered_and_incomplete_procedure(world):
    f.procedure(code="1.000004", receiving=[world.centre], channels=("direct",))
    f.procedure(code="1.000005", receiving=[world.centre], complete=False)
    for code, error in (("1.000004", "channel_not_offered"), ("1.000005", "procedure_not_accepting")):
        with pytest.raises(ValidationFailed) as caught:
            dossier_create(actor=world.citizen, procedure_code=code, channel="online",
                           applicant=ApplicantInput.from_mapping(f.applicant()), documents=world.documents())
        assert caught.value.code == error


def test_alternative_cases_need_one_complete_case(world):
    proc = f.procedure(code="1.000006", receiving=[world.centre], documents=[
        {"code": "don", "name": "Đơn đề nghị"},
        {"code": "ks", "name": "Giấy khai sinh", "case": "Trường hợp khai sinh"},
        {"code": "kh", "name": "Giấy chứng nhận kết hôn", "case": "Trường hợp kết hôn"},
    ])
    pdf = lambda: str(f.upload(world.citizen).pk)  # noqa: E731
    kwargs = {"procedure_code": proc.code, "channel": "online", "applicant": ApplicantInput.from_mapping(f.applicant())}
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, documents=[{"required_document": "don", "file_ids": [pdf()]}], **kwargs)
    assert caught.value.code == "missing_required_document"
    dossier = dossier_create(actor=world.citizen, documents=[
        {"required_document": "don", "file_ids": [pdf()]}, {"required_document": "kh", "file_ids": [pdf()]}],
        **kwargs)
    assert dossier.document_case == "Trường hợp kết hôn"


def test_papers_to_submit_and_to_present_are_both_needed_not_alternatives(world):
    """The national records group papers under "Giấy tờ phải nộp" and "Giấy tờ phải xuất trình":
    headings, not cases. Filing only the ID card must not pass for a complete dossier."""
    proc = f.procedure(code="1.000007", receiving=[world.centre], documents=[
        {"code": "to-khai", "name": "Tờ khai theo mẫu", "case": "* Giấy tờ phải nộp:"},
        {"code": "uy-quyen", "name": "Văn bản ủy quyền (nếu có)", "case": "* Giấy tờ phải nộp:", "required": False},
        {"code": "cccd", "name": "Thẻ căn cước", "case": "* Giấy tờ phải xuất trình:"},
    ])
    pdf = lambda: str(f.upload(world.citizen).pk)  # noqa: E731
    kwargs = {"procedure_code": proc.code, "channel": "online", "applicant": ApplicantInput.from_mapping(f.applicant())}
    with pytest.raises(ValidationFailed) as caught:
        dossier_create(actor=world.citizen, documents=[{"required_document": "cccd", "file_ids": [pdf()]}], **kwargs)
    assert caught.value.code == "missing_required_document" and "Tờ khai theo mẫu" in caught.value.detail
    assert not Dossier.objects.exists()
    dossier = dossier_create(actor=world.citizen, documents=[
        {"required_document": "to-khai", "file_ids": [pdf()]}, {"required_document": "cccd", "file_ids": [pdf()]}],
        **kwargs)
    assert dossier.status == "submitted" and dossier.document_case == ""


def test_counter_intake_creates_and_receives_at_once(world, events):
    dossier = dossier_intake(actor=world.reception, procedure_code=world.proc.code, channel="counter",
                             applicant=ApplicantInput.from_mapping(f.applicant(id_number=f.OTHER_CITIZEN_ID)),
                             documents=world.documents(world.reception))
    assert dossier.status == "received" and dossier.national_status_code == 2
    assert dossier.owner is None and dossier.received_by == world.reception
    assert dossier.received_at == dossier.submitted_at and dossier.due_at > dossier.received_at
    assert events.names() == ["dossier.submitted", "dossier.received"]
    assert dossier.forms.get().kind == "receipt"
    assert set(dossier.documents.values_list("role", flat=True)) == {"scan"}
    assert all(dossier.documents.values_list("is_digitised", flat=True))
    assert [h.step_code for h in dossier.handovers.order_by("seq")] == ["reception", "phan-cong"]


def test_counter_intake_needs_reception_role_in_the_receiving_agency(world):
    for actor in (world.other_reception, world.specialist, world.citizen):
        with pytest.raises(PermissionDenied):
            dossier_intake(actor=actor, procedure_code=world.proc.code, channel="post",
                           applicant=ApplicantInput.from_mapping(f.applicant()), documents=world.documents(actor))
    assert not Dossier.objects.exists()


def test_post_intake_through_create(world):
    dossier = dossier_create(actor=world.reception, procedure_code=world.proc.code, channel="post",
                             applicant=ApplicantInput.from_mapping(f.applicant()),
                             documents=world.documents(world.reception))
    assert dossier.channel == "post" and dossier.status == "received"
    assert dossier.forms.get().data["return_at"] == "post"


def test_integrator_submits_online_on_behalf_of_a_portal(world):
    from tinhso.org.models import Membership

    integrator = f.user("api-portal", kind="service")
    Membership.objects.create(user=integrator, agency=world.centre, role="reception")
    dossier = dossier_create(actor=integrator, procedure_code=world.proc.code, channel="online",
                             applicant=ApplicantInput.from_mapping(f.applicant(id_number=f.OTHER_CITIZEN_ID)),
                             documents=world.documents(integrator))
    assert dossier.status == "submitted" and dossier.owner is None


def test_draft_then_submit(world, events):
    draft = dossier_draft_save(actor=world.citizen, procedure_code=world.proc.code)
    assert draft.status == "draft" and draft.code is None
    assert draft.applicant_id_number == f.CITIZEN_ID  # taken from the account
    draft = dossier_draft_save(actor=world.citizen, dossier=draft, documents=world.documents()[:1],
                               form_data={"ghi_chu": "x"})
    assert draft.documents.count() == 1
    with pytest.raises(ValidationFailed) as caught:
        dossier_submit(actor=world.citizen, dossier=draft)
    assert caught.value.code == "missing_required_document"
    draft = dossier_draft_save(actor=world.citizen, dossier=draft, documents=world.documents())
    assert events.names() == []  # drafts are private
    dossier = dossier_submit(actor=world.citizen, dossier=draft)
    assert dossier.status == "submitted" and dossier.code.startswith("H44.12-")
    assert events.names() == ["dossier.submitted"]
    with pytest.raises(Conflict):
        dossier_submit(actor=world.citizen, dossier=dossier)


def test_drafts_are_private(world):
    draft = dossier_draft_save(actor=world.citizen, procedure_code=world.proc.code)
    from tinhso.core.errors import NotFound

    with pytest.raises(NotFound):
        dossier_draft_save(actor=world.other_citizen, dossier=draft, form_data={})
    with pytest.raises(NotFound):
        dossier_submit(actor=world.other_citizen, dossier=draft)
    with pytest.raises(PermissionDenied):
        dossier_draft_save(actor=world.reception, procedure_code=world.proc.code)
    dossier_draft_delete(actor=world.citizen, dossier=draft)
    assert not Dossier.objects.exists()


# Identity fields the author marked, next to the same names unmarked (a land parcel's address too).
IDENTITY_EFORM = {"type": "object", "title": "Tờ khai", "properties": {
    "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên", "x-applicant": "name"},
    "so_dinh_danh": {"type": "string", "format": "id_number", "title": "Số định danh cá nhân",
                     "x-applicant": "id_number"},
    "ma_so_thue": {"type": "string", "format": "tax_code", "title": "Mã số thuế", "x-applicant": "tax_code"},
    "ho_ten_nguoi_mat": {"type": "string", "title": "Họ tên người đã mất"},
    "ho_va_ten": {"type": "string", "title": "Họ và tên người được xác nhận"},
    "dia_chi": {"type": "string", "title": "Địa chỉ thửa đất"},
    "dien_thoai": {"type": "string", "format": "phone", "title": "Số điện thoại"},
    "thu_dien_tu": {"type": "string", "format": "email", "title": "Thư điện tử", "x-applicant": "email"},
}, "required": ["ho_ten", "so_dinh_danh", "dien_thoai"]}


def test_the_marked_eform_identity_is_the_applicants_when_submitting_for_themself(world):
    """A citizen submitting online for themself: the fields the author marked ``x-applicant`` of the
    identity take the account's values whatever was sent. Fields matched only by name (``ho_va_ten``)
    and contact fields are kept as sent, and nothing blank is filled on the server."""
    proc = f.procedure(code="1.000895", receiving=[world.centre], eform=IDENTITY_EFORM)
    dossier = dossier_create(actor=world.citizen, procedure_code=proc.code, channel="online",
                             applicant=ApplicantInput.from_mapping(f.applicant()), documents=world.documents(),
                             form_data={"ho_ten": "Người Khác", "so_dinh_danh": f.OTHER_CITIZEN_ID,
                                        "ho_va_ten": "Nguyễn Văn Con", "dien_thoai": "0987 654 321"})
    assert dossier.form_data == {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": f.CITIZEN_ID,
                                 "ho_va_ten": "Nguyễn Văn Con", "dien_thoai": "0987654321"}

    # The draft's submission applies the marked identity again; a name-matched field stays as saved.
    draft = dossier_draft_save(actor=world.citizen, procedure_code=proc.code, documents=world.documents(),
                               form_data={"ho_ten": "Người Khác", "so_dinh_danh": f.CITIZEN_ID,
                                          "ho_va_ten": "Trần Văn Mất", "dien_thoai": "0987654321"})
    submitted = dossier_submit(actor=world.citizen, dossier=draft)
    assert submitted.form_data == {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": f.CITIZEN_ID,
                                   "ho_va_ten": "Trần Văn Mất", "dien_thoai": "0987654321"}


def test_an_integrator_or_the_counter_keeps_the_eform_as_sent(world):
    """An integrator (or an officer) sending for an authorised representative: the e-form's identity is
    the representative's as sent, not the applicant record's, and a blank land address stays blank."""
    from tinhso.org.models import Membership

    proc = f.procedure(code="1.000896", receiving=[world.centre], eform=IDENTITY_EFORM)
    integrator = f.user("api-portal", kind="service")
    Membership.objects.create(user=integrator, agency=world.centre, role="reception")
    sent = {"ho_ten": "Trần Thị Người Ủy Quyền", "so_dinh_danh": f.OTHER_CITIZEN_ID, "dia_chi": "",
            "dien_thoai": "0987654321"}
    for actor, channel in ((integrator, "online"), (world.reception, "online"), (world.reception, "counter")):
        dossier = dossier_create(actor=actor, procedure_code=proc.code, channel=channel,
                                 applicant=ApplicantInput.from_mapping(f.applicant()),
                                 documents=world.documents(actor), form_data=sent)
        assert dossier.applicant_name == "Nguyễn Văn An"
        assert dossier.form_data == {"ho_ten": "Trần Thị Người Ủy Quyền", "so_dinh_danh": f.OTHER_CITIZEN_ID,
                                     "dien_thoai": "0987654321"}, (actor, channel)


def test_a_business_keeps_the_persons_identity_as_sent(world):
    """A business has no personal name, identification number or birth date of its own: the marked
    person's fields keep what the employee typed (never the company's name next to someone's number),
    the marked tax code is the company's."""
    from tinhso.accounts.models import User

    business = f.user(f.BUSINESS_TAX, kind=User.Kind.BUSINESS, full_name="Công ty TNHH Sông Thao",
                      tax_code=f.BUSINESS_TAX)
    proc = f.procedure(code="1.000897", receiving=[world.centre], eform=IDENTITY_EFORM)
    applicant = f.applicant(kind="business", full_name="Công ty TNHH Sông Thao", tax_code=f.BUSINESS_TAX,
                            id_number=f.CITIZEN_ID)  # the director's
    dossier = dossier_create(actor=business, procedure_code=proc.code, channel="online",
                             applicant=ApplicantInput.from_mapping(applicant), documents=world.documents(business),
                             form_data={"ho_ten": "Lê Văn Nhân Viên", "so_dinh_danh": f.OTHER_CITIZEN_ID,
                                        "ma_so_thue": "", "dien_thoai": "0987654321"})
    assert dossier.form_data == {"ho_ten": "Lê Văn Nhân Viên", "so_dinh_danh": f.OTHER_CITIZEN_ID,
                                 "ma_so_thue": f.BUSINESS_TAX, "dien_thoai": "0987654321"}


def test_papers_are_asked_by_channel_and_the_eform_replaces_the_declaration_online(world):
    """#18 item 7: the ID card shown "khi làm thủ tục trực tiếp" and the declaration the e-form
    replaces are not uploads online; at the counter they are needed."""
    proc = f.procedure(code="1.000008", receiving=[world.centre], eform={
        "type": "object", "properties": {"ho_ten_tre": {"type": "string", "title": "Họ tên"}}}, documents=[
        {"code": "to-khai", "name": "Tờ khai (nếu nộp trực tiếp)", "channels": ["direct", "post"],
         "replaced_by_eform": True},
        {"code": "mau-dien-tu", "name": "Mẫu điện tử tương tác", "channels": ["online"], "replaced_by_eform": True},
        {"code": "chung-sinh", "name": "Giấy chứng sinh"},
        {"code": "cccd", "name": "Giấy tờ tùy thân khi làm thủ tục trực tiếp", "channels": ["direct"]},
    ])
    kwargs = {"procedure_code": proc.code, "applicant": ApplicantInput.from_mapping(f.applicant())}
    online = dossier_create(actor=world.citizen, channel="online", form_data={"ho_ten_tre": "Nguyễn Văn Bé"},
                            documents=[{"required_document": "chung-sinh", "file_ids": world.files()}], **kwargs)
    assert online.status == "submitted"
    with pytest.raises(ValidationFailed) as caught:
        dossier_intake(actor=world.reception, channel="counter", form_data={"ho_ten_tre": "Nguyễn Văn Bé"},
                       documents=[{"required_document": "chung-sinh", "file_ids": world.files(world.reception)}],
                       **kwargs)
    missing = {e["required_document"] for e in caught.value.errors}
    assert caught.value.code == "missing_required_document" and missing == {"to-khai", "cccd"}
