"""Writes that are not actions on an existing document: drafting, registering an incoming document,
delivering an issued one inside the instance, the deadline sweep. Every function is one transaction
and stores nothing when a check fails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from tinhso.core.audit import audit_record
from tinhso.core.errors import NotFound, PermissionDenied, ValidationFailed
from tinhso.core.events import event_publish
from tinhso.core.files import files_owned
from tinhso.core.text import clean_text
from tinhso.core.validators import validate_agency_code
from tinhso.documents.access import actor_load
from tinhso.documents.errors import DocumentError
from tinhso.documents.kinds import AUTHORITY_ROLES, Confidentiality, DocumentType, SigningAuthority, Urgency
from tinhso.documents.models import (
    DocumentEvent,
    DocumentRegister,
    DraftVersion,
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
)
from tinhso.documents.numbering import (
    agency_notation,
    doc_type_clean,
    notation_for,
    number_take,
    register_get,
    unit_abbr_clean,
)
from tinhso.org.models import Agency, Membership

NUMBER_FIELDS = ("number", "notation", "so", "so_ky_hieu", "issued_on")


def event_add(*, outgoing=None, incoming=None, action: str, label: str, actor=None, note: str = "",
              data: dict | None = None, at: datetime | None = None) -> DocumentEvent:
    return DocumentEvent.objects.create(
        outgoing=outgoing, incoming=incoming, action=action, label=label, actor=actor,
        actor_label=(getattr(actor, "display_name", "") or getattr(actor, "username", "")) if actor else "Hệ thống",
        note=note, data=data or {}, at=at or timezone.now())


def _choice(value: str, choices, code: str, what: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(f"{what} “{value}” không hợp lệ.", code=code)
    return value


@dataclass(frozen=True)
class RecipientInput:
    code: str
    name: str = ""
    for_information: bool = False


def _recipients_clean(items: list) -> list[OutgoingRecipient]:
    rows = []
    for item in items:
        data = item if isinstance(item, dict) else item.__dict__
        raw = str(data.get("code") or "").strip()
        try:
            code = validate_agency_code(raw)
        except ValidationFailed:
            raise ValidationFailed(
                f"“{raw}” không phải mã định danh cơ quan theo QĐ 20/2020 (ví dụ H44.02 hoặc 000.00.00.H44).",
                code=DocumentError.RECIPIENT_CODE_INVALID) from None
        agency = Agency.objects.filter(code=code, is_active=True).first()
        name = clean_text(data.get("name") or "") or (agency.name if agency else "")
        if not name:
            raise ValidationFailed(f"Cơ quan mã {code} không có trên hệ thống: ghi tên cơ quan nhận.",
                                   code=DocumentError.RECIPIENT_AGENCY_UNKNOWN)
        rows.append(OutgoingRecipient(agency=agency, code=code, name=name,
                                      for_information=bool(data.get("for_information"))))
    return rows


def signer_check(*, signer, agency, authority: str) -> None:
    """The person chosen may sign with the authority chosen (Điều 13)."""
    roles = set(Membership.objects.filter(user=signer, agency=agency, is_active=True).values_list("role", flat=True))
    if not roles & AUTHORITY_ROLES[authority]:
        label = SigningAuthority(authority).label
        raise ValidationFailed(f"{signer.display_name} không có thẩm quyền ký văn bản với hình thức “{label}”.",
                               code=DocumentError.SIGNER_WITHOUT_AUTHORITY)


def _attachments(actor, ids) -> list:
    found = files_owned(actor=actor, ids=ids or [])
    if len(found) != len(set(map(str, ids or []))):
        raise NotFound("Không tìm thấy tệp đính kèm đã tải lên.", code=DocumentError.FILE_NOT_FOUND)
    return list(found.values())


@transaction.atomic
def outgoing_create(*, actor, agency: Agency, doc_type: str, subject: str, body: str = "", signer,
                    signer_title: str, authority: str = "", head_title: str = "", recipients: list,
                    unit_abbr: str = "", keep_unit: str = "", urgency: str = Urgency.NORMAL,
                    confidentiality: str = Confidentiality.NORMAL, reply_due: date | None = None,
                    attachment_ids: list | None = None, uploaded_file_id=None, reply_to: IncomingDocument | None = None,
                    replaces: OutgoingDocument | None = None, extra: dict | None = None) -> OutgoingDocument:
    """A specialist's new draft. ``extra`` is whatever else the caller received: a number typed by hand
    is refused (numbers are given by the system at issue)."""
    if extra and any(extra.get(k) not in (None, "") for k in NUMBER_FIELDS):
        raise ValidationFailed("Số văn bản do hệ thống cấp khi văn thư phát hành, không được nhập tay.",
                               code=DocumentError.NUMBER_TYPED)
    who = actor_load(actor)
    if not who.has(agency.pk, "specialist", "unit_head", "leader", "clerk"):
        raise PermissionDenied("Bạn không thuộc cơ quan này nên không thể soạn văn bản của cơ quan.",
                               code=DocumentError.WRONG_AGENCY)
    doc_type = doc_type_clean(doc_type)
    subject = clean_text(subject)
    if not subject:
        raise ValidationFailed("Cần nhập trích yếu nội dung.", code=DocumentError.SUBJECT_REQUIRED)
    authority = _choice(authority or "", SigningAuthority, DocumentError.SIGNER_WITHOUT_AUTHORITY, "Thẩm quyền ký")
    urgency = _choice(urgency, Urgency, "invalid_input", "Độ khẩn")
    confidentiality = _choice(confidentiality, Confidentiality, "invalid_input", "Độ mật")
    membership = Membership.objects.filter(user=actor, agency=agency, department__isnull=False).select_related(
        "department").first()
    department = membership.department if membership else None
    unit_abbr = unit_abbr_clean(unit_abbr or (department.code if department else ""))
    notation_for(doc_type=doc_type, agency_abbr=agency_notation(agency), unit_abbr=unit_abbr)  # refuses early
    rows = _recipients_clean(recipients)
    if not rows:
        raise ValidationFailed("Cần ít nhất một nơi nhận.", code=DocumentError.RECIPIENT_REQUIRED)
    signer_check(signer=signer, agency=agency, authority=authority)
    uploaded = None
    if uploaded_file_id:
        uploaded = _attachments(actor, [uploaded_file_id])[0]
        if uploaded.content_type != "application/pdf":
            raise ValidationFailed("Tệp văn bản tự soạn phải là PDF.", code=DocumentError.FILE_NOT_PDF)
    attachments = _attachments(actor, attachment_ids)
    document = OutgoingDocument.objects.create(
        agency=agency, department=department, unit_abbr=unit_abbr, doc_type=doc_type, subject=subject,
        body=(body or "").strip(), authority=authority, signer=signer,
        signer_title=clean_text(signer_title), head_title=clean_text(head_title), urgency=urgency,
        confidentiality=confidentiality, reply_due=reply_due, keep_unit=clean_text(keep_unit) or unit_abbr,
        uploaded_file=uploaded, reply_to=reply_to, replaces=replaces, drafted_by=actor)
    for row in rows:
        row.document = document
    OutgoingRecipient.objects.bulk_create(rows)
    document.attachments.set(attachments)
    document.participants.add(actor, signer)
    DraftVersion.objects.create(document=document, number=1, subject=subject, body=document.body, created_by=actor)
    event_add(outgoing=document, action="create", label="Soạn dự thảo", actor=actor)
    audit_record(actor=actor, action="documents.outgoing_created", target=document, data={"type": doc_type})
    return document


def _duplicate_of(*, agency, sender_code: str, sender_name: str, their_notation: str, their_date) -> IncomingDocument | None:
    same = IncomingDocument.objects.filter(agency=agency, their_notation__iexact=their_notation, their_date=their_date)
    same = same.filter(sender_code=sender_code) if sender_code else same.filter(sender_name__iexact=sender_name)
    return same.order_by("id").first()


def _incoming_create(*, agency, actor, source: str, sender_code: str, sender_name: str, their_notation: str,
                     their_date, doc_type: str, subject: str, urgency: str, confidentiality: str, signer_name: str,
                     page_count, file, metadata_only: bool, signature_summary: dict, from_outgoing=None,
                     participants=()) -> IncomingDocument:
    now = timezone.now()
    register = register_get(agency=agency, year=timezone.localtime(now).year, kind=DocumentRegister.Kind.INCOMING,
                            series=DocumentRegister.Series.INCOMING)
    duplicate = _duplicate_of(agency=agency, sender_code=sender_code, sender_name=sender_name,
                              their_notation=their_notation, their_date=their_date)
    document = IncomingDocument(
        agency=agency, register=register, arrival_number=number_take(register), arrived_at=now, source=source,
        sender_code=sender_code, sender_name=sender_name, their_notation=their_notation, their_date=their_date,
        doc_type=doc_type, subject=subject, urgency=urgency, confidentiality=confidentiality,
        signer_name=signer_name, page_count=page_count, file=file, metadata_only=metadata_only,
        signature_summary=signature_summary, duplicate_of=duplicate, from_outgoing=from_outgoing,
        registered_by=actor)
    document.save()
    document.participants.add(*[p for p in participants if p is not None])
    event_add(incoming=document, action="register", label="Vào sổ văn bản đến", actor=actor,
              data={"arrival_number": document.arrival_number, "duplicate_of": duplicate.pk if duplicate else None})
    event_publish(name="documents.incoming_registered", aggregate_type="documents.incoming",
                  aggregate_id=str(document.pk), payload={"id": document.pk, "agency": agency.code,
                                                         "urgency": urgency})
    return document


def signature_summary_of(pdf: bytes) -> dict:
    from tinhso.signing.services import pdf_verify

    report = pdf_verify(pdf=pdf)
    return {"verdict": report.verdict, "signatures": [
        {"signer": s.signer_common_name, "organization": s.signer_organization, "verdict": s.verdict}
        for s in report.signatures]}


@transaction.atomic
def incoming_register(*, actor, agency: Agency, sender_name: str, their_notation: str, their_date: date,
                      doc_type: str, subject: str, sender_code: str = "", urgency: str = Urgency.NORMAL,
                      confidentiality: str = Confidentiality.NORMAL, signer_name: str = "",
                      page_count: int | None = None, file_id=None, metadata_only: bool = False,
                      extra: dict | None = None) -> IncomingDocument:
    """The clerk registers a received document (upload or scan). The số đến is the system's."""
    if extra and any(extra.get(k) not in (None, "") for k in ("arrival_number", "so_den")):
        raise ValidationFailed("Số đến do hệ thống cấp, không được nhập tay.", code=DocumentError.NUMBER_TYPED)
    who = actor_load(actor)
    if not who.has(agency.pk, "clerk"):
        raise PermissionDenied("Chỉ văn thư của cơ quan được vào sổ văn bản đến.", code=DocumentError.NOT_CLERK)
    doc_type = doc_type_clean(doc_type)
    subject, sender_name, their_notation = clean_text(subject), clean_text(sender_name), clean_text(their_notation)
    if not subject:
        raise ValidationFailed("Cần nhập trích yếu nội dung.", code=DocumentError.SUBJECT_REQUIRED)
    if sender_code:
        try:
            sender_code = validate_agency_code(sender_code)
        except ValidationFailed:
            raise ValidationFailed(f"“{sender_code}” không phải mã định danh cơ quan theo QĐ 20/2020.",
                                   code=DocumentError.RECIPIENT_CODE_INVALID) from None
    _choice(urgency, Urgency, "invalid_input", "Độ khẩn")
    _choice(confidentiality, Confidentiality, "invalid_input", "Độ mật")
    file, summary = None, {}
    if metadata_only and file_id:
        raise ValidationFailed("Văn bản chỉ đăng ký thông tin thì không kèm tệp trên hệ thống.",
                               code=DocumentError.METADATA_ONLY_HAS_FILE)
    if file_id:
        file = _attachments(actor, [file_id])[0]
        if file.content_type != "application/pdf":
            raise ValidationFailed("Văn bản đến phải là tệp PDF (bản điện tử hoặc bản quét).",
                                   code=DocumentError.FILE_NOT_PDF)
        from tinhso.core.files import file_read

        summary = signature_summary_of(file_read(stored_file=file))
        page_count = page_count or file.page_count
    document = _incoming_create(
        agency=agency, actor=actor, source=IncomingDocument.Source.PAPER if metadata_only else IncomingDocument.Source.UPLOAD,
        sender_code=sender_code, sender_name=sender_name, their_notation=their_notation, their_date=their_date,
        doc_type=doc_type, subject=subject, urgency=urgency, confidentiality=confidentiality,
        signer_name=clean_text(signer_name), page_count=page_count, file=file, metadata_only=metadata_only,
        signature_summary=summary, participants=[actor])
    audit_record(actor=actor, action="documents.incoming_registered", target=document,
                 data={"arrival_number": document.arrival_number})
    return document


@transaction.atomic
def incoming_receive_external(*, actor, agency: Agency, sender_code: str, sender_name: str, their_notation: str,
                              their_date: date, doc_type: str, subject: str, urgency: str = Urgency.NORMAL,
                              signer_name: str = "", page_count: int | None = None, pdf: bytes | None = None,
                              pdf_name: str = "van-ban.pdf") -> IncomingDocument:
    """The clerk registers a document that arrived by edXML (vn-standards §7.7): the metadata come from
    the package, the số đến from this agency's register, the signature check from the PDF itself."""
    who = actor_load(actor)
    if not who.has(agency.pk, "clerk"):
        raise PermissionDenied("Chỉ văn thư của cơ quan được vào sổ văn bản đến.", code=DocumentError.NOT_CLERK)
    if doc_type not in DocumentType.values:
        doc_type = DocumentType.CONG_VAN
    if urgency not in Urgency.values:
        urgency = Urgency.NORMAL
    file, summary = None, {}
    if pdf is not None:
        from tinhso.core.files import bytes_upload, file_store

        # It came from outside: the same checks as an upload (real type, size, virus scan).
        file = file_store(uploaded_by=actor, upload=bytes_upload(pdf, pdf_name))
        summary = signature_summary_of(pdf)
        page_count = page_count or file.page_count
    document = _incoming_create(
        agency=agency, actor=actor, source=IncomingDocument.Source.EDXML, sender_code=sender_code,
        sender_name=clean_text(sender_name) or sender_code, their_notation=clean_text(their_notation)[:40],
        their_date=their_date, doc_type=doc_type, subject=clean_text(subject)[:500] or "(không có trích yếu)",
        urgency=urgency, confidentiality=Confidentiality.NORMAL, signer_name=clean_text(signer_name)[:100],
        page_count=page_count, file=file, metadata_only=False, signature_summary=summary, participants=[actor])
    audit_record(actor=actor, action="documents.incoming_registered", target=document,
                 data={"arrival_number": document.arrival_number, "source": "edxml"})
    return document


def incoming_recall_external(*, document: IncomingDocument, reason: str) -> IncomingDocument:
    """The sender recalled a document that came by edXML (§7.6): it leaves the open work, with its
    history kept. Runs in the caller's transaction."""
    document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != IncomingDocument.Status.RECALLED:
        document.status = IncomingDocument.Status.RECALLED
        document.version += 1
        document.save(update_fields=["status", "version"])
        event_add(incoming=document, action="recalled", label="Cơ quan ban hành thu hồi văn bản (liên thông)",
                  note=reason)
    return document


def deliver_internal(*, document: OutgoingDocument, actor, signed_file) -> list[IncomingDocument]:
    """An issued document reaches the recipients of this instance at once, registered as incoming
    (their văn thư need not type it again). Runs inside the issue transaction."""
    delivered = []
    summary: dict | None = None  # verified once, only when someone in this instance receives it
    for recipient in document.recipients.select_related("agency"):
        if recipient.agency is None or recipient.agency_id == document.agency_id:
            continue
        if summary is None:
            # The receiver's page shows the result of checking the signatures, as for an uploaded PDF:
            # "delivered on the system" must not read as "unsigned" to the clerk who registers it.
            from tinhso.core.files import file_read

            summary = signature_summary_of(file_read(stored_file=signed_file))
        clerks = [m.user for m in Membership.objects.filter(agency=recipient.agency, role="clerk", is_active=True)
                  .select_related("user")]
        incoming = _incoming_create(
            agency=recipient.agency, actor=None, source=IncomingDocument.Source.INTERNAL,
            sender_code=document.agency.code, sender_name=document.agency.name, their_notation=document.notation,
            their_date=document.issued_on, doc_type=document.doc_type, subject=document.subject,
            urgency=document.urgency, confidentiality=document.confidentiality,
            signer_name=document.signer.display_name, page_count=signed_file.page_count, file=signed_file,
            metadata_only=False, signature_summary=summary, from_outgoing=document,
            participants=clerks if document.is_secret else [])
        recipient.delivered_incoming = incoming
        recipient.save(update_fields=["delivered_incoming"])
        delivered.append(incoming)
    return delivered


@transaction.atomic
def incoming_deadlines_sweep(*, now: datetime | None = None, at_risk_hours: int = 24) -> dict[str, int]:
    """Flag open incoming documents whose handling is overdue or due within ``at_risk_hours`` (one
    working day by default), and publish an event for each change so reminders can go out."""
    from datetime import timedelta

    now = now or timezone.now()
    open_docs = IncomingDocument.objects.filter(due_at__isnull=False).exclude(
        status__in=[IncomingDocument.Status.DONE, IncomingDocument.Status.RECALLED])
    counts = {}
    S = IncomingDocument.DeadlineState
    for state, filt in ((S.OVERDUE, {"due_at__lt": now}),
                        (S.AT_RISK, {"due_at__gte": now, "due_at__lt": now + timedelta(hours=at_risk_hours)})):
        changed = list(open_docs.filter(**filt).exclude(deadline_state=state).values_list("pk", flat=True))
        IncomingDocument.objects.filter(pk__in=changed).update(deadline_state=state)
        for pk in changed:
            event_publish(name=f"documents.incoming_{state}", aggregate_type="documents.incoming",
                          aggregate_id=str(pk), payload={"id": pk, "state": state})
        counts[state] = len(changed)
    return counts
