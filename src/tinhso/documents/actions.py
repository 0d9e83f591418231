"""What a person may do to an outgoing or incoming document now, and doing it (core.actions).

Outgoing (Điều 14–19): submit → (unit head) return | pass_on → (leader) return | sign → (văn thư)
issue → recall | replace. Incoming (Điều 20–24): (leader) assign → (unit head) delegate →
(specialist) progress → finish. The registry locks the row, compares ``expected_version``
(409 ``document_stale_version``), then runs ``check`` on the locked row and ``execute``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from pydantic import Field

from tinhso.core.actions import Action, ActionInput, ActionRegistry
from tinhso.core.audit import audit_record
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.core.events import event_publish
from tinhso.core.files import file_store_generated
from tinhso.documents.access import Actor, actor_load
from tinhso.documents.errors import DocumentError
from tinhso.documents.models import (
    Assignment,
    DocumentRegister,
    DraftComment,
    DraftVersion,
    IncomingDocument,
    OutgoingDocument,
    ProgressNote,
)
from tinhso.documents.numbering import (
    agency_notation,
    notation_for,
    number_take,
    outgoing_series,
    register_get,
)
from tinhso.documents.services import deliver_internal, event_add, signer_check
from tinhso.org.models import Department, Membership

Out = OutgoingDocument.Status
Inc = IncomingDocument.Status


def _wrong_state(document) -> Conflict:
    return Conflict(f"Văn bản đang ở trạng thái “{document.get_status_display()}”, không thực hiện được thao tác này.",
                    code=DocumentError.INVALID_STATE)


def _stale(document) -> Conflict:
    return Conflict("Văn bản vừa được người khác thay đổi; tải lại trang rồi thử lại.", code=DocumentError.STALE_VERSION)


def _bump(document, *fields: str) -> None:
    document.version += 1
    document.save(update_fields=[*fields, "version", *(["updated_at"] if hasattr(document, "updated_at") else [])])


@dataclass
class OutCtx:
    actor: Actor
    document: OutgoingDocument

    @property
    def user(self):
        return self.actor.user

    def at_home(self, *roles: str) -> bool:
        return self.actor.has(self.document.agency_id, *roles)


def _out_lock(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().select_related("agency", "signer").get(pk=document.pk)


outgoing_actions: ActionRegistry[OutgoingDocument, OutCtx] = ActionRegistry(
    domain="documents.outgoing", context=lambda user, doc: OutCtx(actor_load(user), doc), lock=_out_lock,
    version_of=lambda d: d.version, stale=_stale)


def _need_state(document, *states) -> None:
    if document.status not in states:
        raise _wrong_state(document)


class NoteInput(ActionInput):
    note: str = Field("", max_length=4000, title="Ý kiến", json_schema_extra={"widget": "textarea"})


class ReasonInput(ActionInput):
    reason: str = Field(min_length=3, max_length=4000, title="Lý do", json_schema_extra={"widget": "textarea"})


class CommentInput(ActionInput):
    text: str = Field(min_length=1, max_length=4000, title="Ý kiến góp ý", json_schema_extra={"widget": "textarea"})


class EditInput(ActionInput):
    subject: str = Field(min_length=3, max_length=500, title="Trích yếu")
    body: str = Field("", max_length=100_000, title="Nội dung", json_schema_extra={"widget": "textarea"})


def _comment(ctx: OutCtx, text: str) -> None:
    if text:
        DraftComment.objects.create(document=ctx.document, version_number=ctx.document.versions.count(),
                                    author=ctx.user, text=text)


@outgoing_actions.register
class Edit(Action[OutCtx]):
    name, label, Input = "edit", "Sửa dự thảo", EditInput

    def check(self, ctx):
        if ctx.user.pk != ctx.document.drafted_by_id:
            raise PermissionDenied("Chỉ người soạn thảo được sửa dự thảo.", code=DocumentError.NOT_DRAFTER)
        _need_state(ctx.document, Out.DRAFT, Out.RETURNED)

    def execute(self, ctx, data: EditInput):
        doc = ctx.document
        doc.subject, doc.body = data.subject, data.body
        number = doc.versions.count() + 1
        DraftVersion.objects.create(document=doc, number=number, subject=doc.subject, body=doc.body, created_by=ctx.user)
        _bump(doc, "subject", "body", "search_text")
        event_add(outgoing=doc, action=self.name, label=f"Sửa dự thảo (phiên bản {number})", actor=ctx.user)
        return doc


@outgoing_actions.register
class Comment(Action[OutCtx]):
    name, label, Input = "comment", "Góp ý dự thảo", CommentInput

    def check(self, ctx):
        if not (ctx.user.pk in {ctx.document.drafted_by_id, ctx.document.reviewer_id, ctx.document.signer_id}
                or ctx.at_home("unit_head", "leader")):
            raise PermissionDenied(code=DocumentError.NOT_ALLOWED)
        _need_state(ctx.document, Out.DRAFT, Out.IN_REVIEW, Out.RETURNED, Out.AWAITING_SIGNATURE)

    def execute(self, ctx, data: CommentInput):
        _comment(ctx, data.text)
        _bump(ctx.document)
        event_add(outgoing=ctx.document, action=self.name, label="Góp ý dự thảo", actor=ctx.user, note=data.text)
        return ctx.document


class SubmitInput(NoteInput):
    reviewer: str = Field(title="Lãnh đạo phòng duyệt", json_schema_extra={"widget": "user"})


def _member(agency_id: int, username: str, *roles: str):
    m = (Membership.objects.filter(agency_id=agency_id, role__in=roles, is_active=True, user__username=username)
         .select_related("user").first())
    if m is None:
        raise ValidationFailed(f"“{username}” không giữ vai trò phù hợp trong cơ quan.", code=DocumentError.ASSIGNEE_INVALID)
    return m.user


@outgoing_actions.register
class Submit(Action[OutCtx]):
    name, label, Input = "submit", "Trình duyệt", SubmitInput

    def check(self, ctx):
        if ctx.user.pk != ctx.document.drafted_by_id:
            raise PermissionDenied("Chỉ người soạn thảo được trình dự thảo.", code=DocumentError.NOT_DRAFTER)
        _need_state(ctx.document, Out.DRAFT, Out.RETURNED)

    def execute(self, ctx, data: SubmitInput):
        doc = ctx.document
        doc.reviewer = _member(doc.agency_id, data.reviewer, "unit_head", "leader")
        doc.status = Out.IN_REVIEW
        doc.participants.add(doc.reviewer)
        _comment(ctx, data.note)
        _bump(doc, "reviewer", "status")
        event_add(outgoing=doc, action=self.name, label=f"Trình {doc.reviewer.display_name} duyệt", actor=ctx.user,
                  note=data.note)
        return doc


@outgoing_actions.register
class Return(Action[OutCtx]):
    name, label, Input = "return", "Trả lại kèm ý kiến", ReasonInput

    def check(self, ctx):
        doc = ctx.document
        _need_state(doc, Out.IN_REVIEW, Out.AWAITING_SIGNATURE)
        expected = doc.reviewer_id if doc.status == Out.IN_REVIEW else doc.signer_id
        if ctx.user.pk != expected:
            raise PermissionDenied("Chỉ người đang duyệt hoặc người ký được trả lại dự thảo.",
                                   code=DocumentError.NOT_REVIEWER)

    def execute(self, ctx, data: ReasonInput):
        doc = ctx.document
        doc.status = Out.RETURNED
        _comment(ctx, data.reason)
        _bump(doc, "status")
        event_add(outgoing=doc, action=self.name, label="Trả lại để sửa", actor=ctx.user, note=data.reason)
        return doc


@outgoing_actions.register
class PassOn(Action[OutCtx]):
    name, label, Input = "pass_on", "Đồng ý, trình ký", NoteInput

    def check(self, ctx):
        _need_state(ctx.document, Out.IN_REVIEW)
        if ctx.user.pk != ctx.document.reviewer_id:
            raise PermissionDenied("Chỉ lãnh đạo phòng được giao duyệt mới chuyển trình ký.",
                                   code=DocumentError.NOT_REVIEWER)

    def execute(self, ctx, data: NoteInput):
        doc = ctx.document
        doc.status = Out.AWAITING_SIGNATURE
        _comment(ctx, data.note)
        _bump(doc, "status")
        event_add(outgoing=doc, action=self.name, label=f"Trình {doc.signer.display_name} ký", actor=ctx.user,
                  note=data.note)
        return doc


def today() -> date:
    """The issuing day (Vietnam time); a function so the yearly restart can be tested on 31/12 → 01/01."""
    return timezone.localdate()


def _signing_required() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "TINHSO_DOCUMENT_SIGNING_REQUIRED", True))


@outgoing_actions.register
class Sign(Action[OutCtx]):
    """The leader approves and signs with their personal certificate. The system numbers the document
    in the same transaction (the number must be inside the signed bytes; rendering.py)."""

    name, label, Input = "sign", "Duyệt và ký số", NoteInput

    def check(self, ctx):
        doc = ctx.document
        _need_state(doc, Out.AWAITING_SIGNATURE)
        if ctx.user.pk != doc.signer_id:
            raise PermissionDenied("Chỉ người có thẩm quyền được chọn ký văn bản này.", code=DocumentError.NOT_THE_SIGNER)
        signer_check(signer=ctx.user, agency=doc.agency, authority=doc.authority)

    def execute(self, ctx, data: NoteInput):
        from tinhso.core.files import file_read
        from tinhso.documents.rendering import document_render, place_of, signature_box
        from tinhso.signing.selectors import certificate_current
        from tinhso.signing.services import pdf_sign

        doc = ctx.document
        certificate = certificate_current(user=ctx.user)
        if certificate is None and _signing_required():
            raise ValidationFailed("Bạn chưa có chứng thư số cá nhân còn hiệu lực để ký văn bản.",
                                   code=DocumentError.CERTIFICATE_REQUIRED)
        today_ = today()
        series, doc_type = outgoing_series(agency=doc.agency, doc_type=doc.doc_type, secret=doc.is_secret)
        register = register_get(agency=doc.agency, year=today_.year, kind=DocumentRegister.Kind.OUTGOING,
                                series=series, doc_type=doc_type)
        # Render first (slow), number last: the counter row stays locked until commit.
        notation = notation_for(doc_type=doc.doc_type, agency_abbr=agency_notation(doc.agency), unit_abbr=doc.unit_abbr)
        number = number_take(register)
        if doc.uploaded_file_id:
            pdf, page, box = file_read(stored_file=doc.uploaded_file), None, None
        else:
            pdf = document_render(doc, number=number, on=today_, stamped=certificate is not None)
            page, box = signature_box(pdf)
        if certificate is not None:
            pdf = pdf_sign(actor=ctx.user, pdf=pdf, certificate=certificate, kind="personal",
                           reason="Ký ban hành văn bản", location=place_of(doc.agency), page=page, box=box,
                           reference=f"{number:02d}/{notation}")
        doc.register, doc.number, doc.notation, doc.issued_on = register, number, f"{number:02d}/{notation}", today_
        doc.signed_file = file_store_generated(name=f"{number:02d}-{notation}.pdf", content=pdf, created_by=ctx.user)
        doc.signed_at, doc.status = timezone.now(), Out.SIGNED
        doc.digitally_signed = certificate is not None
        _comment(ctx, data.note)
        _bump(doc, "register", "number", "notation", "issued_on", "signed_file", "signed_at", "digitally_signed",
              "status", "search_text")
        event_add(outgoing=doc, action=self.name, label=f"Ký số, cấp số {doc.notation}", actor=ctx.user, note=data.note)
        audit_record(actor=ctx.user, action="documents.outgoing_signed", target=doc, data={"notation": doc.notation})
        return doc


@outgoing_actions.register
class Issue(Action[OutCtx]):
    name, label, Input = "issue", "Đóng dấu số và phát hành", NoteInput

    def check(self, ctx):
        if not ctx.at_home("clerk"):
            raise PermissionDenied("Chỉ văn thư của cơ quan được phát hành văn bản.", code=DocumentError.NOT_CLERK)
        _need_state(ctx.document, Out.SIGNED)

    def execute(self, ctx, data: NoteInput):
        from tinhso.core.files import file_read
        from tinhso.documents.rendering import place_of
        from tinhso.signing.selectors import certificate_current
        from tinhso.signing.services import pdf_sign

        doc = ctx.document
        signed = doc.signed_file
        certificate = certificate_current(agency=doc.agency)
        if certificate is None and _signing_required():
            raise ValidationFailed("Cơ quan chưa có chứng thư số (con dấu điện tử) còn hiệu lực.",
                                   code=DocumentError.CERTIFICATE_REQUIRED)
        if certificate is not None:
            sealed = pdf_sign(actor=ctx.user, pdf=file_read(stored_file=signed), certificate=certificate,
                              kind="agency", reason="Phát hành văn bản", location=place_of(doc.agency),
                              reference=doc.notation)
            signed = file_store_generated(name=signed.original_name, content=sealed, created_by=ctx.user)
            signed.page_count = doc.signed_file.page_count
        doc.signed_file, doc.status, doc.issued_at, doc.issued_by = signed, Out.ISSUED, timezone.now(), ctx.user
        doc.participants.add(ctx.user)
        _bump(doc, "signed_file", "status", "issued_at", "issued_by")
        delivered = deliver_internal(document=doc, actor=ctx.user, signed_file=signed)
        if doc.reply_to_id:
            _close_by_reply(doc.reply_to_id, doc, ctx.user)
        if doc.replaces_id:
            OutgoingDocument.objects.filter(pk=doc.replaces_id).update(status=Out.REPLACED)
            event_add(outgoing=doc.replaces, action="replaced", label=f"Được thay thế bởi {doc.notation}", actor=ctx.user)
        event_add(outgoing=doc, action=self.name, label="Phát hành", actor=ctx.user, note=data.note,
                  data={"delivered": [d.pk for d in delivered]})
        event_publish(name="documents.outgoing_issued", aggregate_type="documents.outgoing", aggregate_id=str(doc.pk),
                      payload={"id": doc.pk, "notation": doc.notation, "agency": doc.agency.code,
                               "recipients": [r.code for r in doc.recipients.all()]})
        audit_record(actor=ctx.user, action="documents.outgoing_issued", target=doc, data={"notation": doc.notation})
        return doc


def _manager(ctx: OutCtx) -> None:
    if not ctx.at_home("clerk", "leader"):
        raise PermissionDenied("Chỉ văn thư hoặc lãnh đạo cơ quan được thu hồi, thay thế văn bản.",
                               code=DocumentError.NOT_CLERK)
    _need_state(ctx.document, Out.ISSUED)


@outgoing_actions.register
class Recall(Action[OutCtx]):
    name, label, Input = "recall", "Thu hồi văn bản", ReasonInput

    def check(self, ctx):
        _manager(ctx)

    def execute(self, ctx, data: ReasonInput):
        doc = ctx.document
        doc.status, doc.recall_reason = Out.RECALLED, data.reason
        _bump(doc, "status", "recall_reason")
        for incoming in IncomingDocument.objects.select_for_update().filter(from_outgoing=doc):
            incoming.status = Inc.RECALLED
            incoming.version += 1
            incoming.save(update_fields=["status", "version"])
            event_add(incoming=incoming, action="recalled", label="Cơ quan ban hành thu hồi văn bản", note=data.reason)
        event_add(outgoing=doc, action=self.name, label="Thu hồi", actor=ctx.user, note=data.reason)
        event_publish(name="documents.outgoing_recalled", aggregate_type="documents.outgoing", aggregate_id=str(doc.pk),
                      payload={"id": doc.pk, "notation": doc.notation, "reason": data.reason})
        audit_record(actor=ctx.user, action="documents.outgoing_recalled", target=doc, data={"reason": data.reason})
        return doc


@outgoing_actions.register
class Replace(Action[OutCtx]):
    """A content error is corrected by a replacement document of the same form (vn-standards §7.6): a new
    draft is opened from this one; when it is issued this one becomes "replaced"."""

    name, label, Input = "replace", "Ban hành văn bản thay thế", ReasonInput

    def check(self, ctx):
        _manager(ctx)

    def execute(self, ctx, data: ReasonInput):
        doc = ctx.document
        new = OutgoingDocument.objects.create(
            agency=doc.agency, department=doc.department, unit_abbr=doc.unit_abbr, doc_type=doc.doc_type,
            subject=doc.subject, body=doc.body, authority=doc.authority, signer=doc.signer, signer_title=doc.signer_title,
            head_title=doc.head_title, urgency=doc.urgency, confidentiality=doc.confidentiality, reply_due=doc.reply_due,
            keep_unit=doc.keep_unit, replaces=doc, drafted_by=doc.drafted_by)
        for r in doc.recipients.all():
            new.recipients.create(agency=r.agency, code=r.code, name=r.name, for_information=r.for_information)
        new.participants.set(doc.participants.all())
        DraftVersion.objects.create(document=new, number=1, subject=new.subject, body=new.body, created_by=ctx.user)
        event_add(outgoing=new, action="create", label=f"Dự thảo thay thế {doc.notation}", actor=ctx.user, note=data.reason)
        _bump(doc)
        event_add(outgoing=doc, action=self.name, label="Mở dự thảo thay thế", actor=ctx.user, note=data.reason,
                  data={"replacement": new.pk})
        return new


# --- incoming ---------------------------------------------------------------------------------------


@dataclass
class InCtx:
    actor: Actor
    document: IncomingDocument

    @property
    def user(self):
        return self.actor.user

    def at_home(self, *roles: str) -> bool:
        return self.actor.has(self.document.agency_id, *roles)

    def lead(self) -> Assignment | None:
        leads = [a for a in self.document.assignments.all() if a.role == Assignment.Role.LEAD]
        return leads[-1] if leads else None


def _in_lock(document: IncomingDocument) -> IncomingDocument:
    return IncomingDocument.objects.select_for_update().select_related("agency").get(pk=document.pk)


incoming_actions: ActionRegistry[IncomingDocument, InCtx] = ActionRegistry(
    domain="documents.incoming", context=lambda user, doc: InCtx(actor_load(user), doc), lock=_in_lock,
    version_of=lambda d: d.version, stale=_stale)


class AssignInput(ActionInput):
    lead: str = Field(title="Chủ trì (mã phòng hoặc tên đăng nhập)", json_schema_extra={"widget": "assignee"})
    coordinate: list[str] = Field(default_factory=list, title="Phối hợp")
    inform: list[str] = Field(default_factory=list, title="Để biết")
    deadline_days: int = Field(ge=1, le=365, title="Thời hạn giải quyết (ngày làm việc)")
    instruction: str = Field("", max_length=4000, title="Ý kiến chỉ đạo", json_schema_extra={"widget": "textarea"})


def _target(agency_id: int, ref: str) -> tuple[Department | None, object | None]:
    department = Department.objects.filter(agency_id=agency_id, code__iexact=ref, is_active=True).first()
    if department is not None:
        return department, None
    member = (Membership.objects.filter(agency_id=agency_id, user__username=ref, is_active=True)
              .select_related("user").first())
    if member is None:
        raise ValidationFailed(f"“{ref}” không phải phòng hoặc cán bộ của cơ quan.", code=DocumentError.ASSIGNEE_INVALID)
    return None, member.user


def _due(agency, days: int):
    from tinhso.org.selectors import agency_calendar
    from tinhso.workdays.services import due_at

    return due_at(calendar=agency_calendar(agency=agency), start=timezone.now(), amount=days, unit="working_days")


def _department_heads(department: Department) -> list:
    return [m.user for m in Membership.objects.filter(department=department, role="unit_head", is_active=True)
            .select_related("user")]


def _progressed(doc: IncomingDocument, action: str, actor) -> None:
    """Tell other apps an incoming document moved on (the exchange answers its sender with 04/05/06)."""
    event_publish(name="documents.incoming_progressed", aggregate_type="documents.incoming", aggregate_id=str(doc.pk),
                  payload={"id": doc.pk, "action": action, "status": doc.status,
                           "actor": getattr(actor, "pk", None)})


@incoming_actions.register
class Assign(Action[InCtx]):
    name, label, Input = "assign", "Phân công xử lý", AssignInput

    def check(self, ctx):
        if not ctx.at_home("leader"):
            raise PermissionDenied("Chỉ lãnh đạo cơ quan được phân công xử lý văn bản đến.",
                                   code=DocumentError.NOT_LEADER)
        _need_state(ctx.document, Inc.REGISTERED, Inc.ASSIGNED)

    def execute(self, ctx, data: AssignInput):
        doc = ctx.document
        due = _due(doc.agency, data.deadline_days)
        doc.assignments.all().delete() if doc.status == Inc.REGISTERED else None
        for role, refs in ((Assignment.Role.LEAD, [data.lead]), (Assignment.Role.COORDINATE, data.coordinate),
                           (Assignment.Role.INFORM, data.inform)):
            for ref in refs:
                department, user = _target(doc.agency_id, ref)
                Assignment.objects.create(document=doc, role=role, department=department, user=user,
                                          deadline_days=data.deadline_days, due_at=due, instruction=data.instruction,
                                          assigned_by=ctx.user)
                doc.participants.add(*([user] if user else _department_heads(department)))
        doc.participants.add(ctx.user)
        doc.status, doc.instruction, doc.due_at = Inc.ASSIGNED, data.instruction, due
        doc.deadline_state = IncomingDocument.DeadlineState.ON_TRACK
        _bump(doc, "status", "instruction", "due_at", "deadline_state")
        event_add(incoming=doc, action=self.name, label=f"Phân công chủ trì: {data.lead}, hạn {data.deadline_days} ngày làm việc",
                  actor=ctx.user, note=data.instruction)
        _progressed(doc, self.name, ctx.user)
        return doc


class DelegateInput(ActionInput):
    specialist: str = Field(title="Chuyên viên giải quyết", json_schema_extra={"widget": "user"})
    deadline_days: int | None = Field(None, ge=1, le=365, title="Thời hạn của chuyên viên (ngày làm việc)")
    instruction: str = Field("", max_length=4000, title="Ý kiến", json_schema_extra={"widget": "textarea"})


def _leads_unit(ctx: InCtx) -> Assignment | None:
    lead = ctx.lead()
    if lead is None:
        return None
    if lead.user_id == ctx.user.pk and ctx.at_home("unit_head"):
        return lead
    if lead.department_id and lead.department_id in ctx.actor.departments.get(ctx.document.agency_id, set()) \
            and ctx.at_home("unit_head"):
        return lead
    return None


@incoming_actions.register
class Delegate(Action[InCtx]):
    name, label, Input = "delegate", "Giao chuyên viên", DelegateInput

    def check(self, ctx):
        _need_state(ctx.document, Inc.ASSIGNED)
        if _leads_unit(ctx) is None:
            raise PermissionDenied("Chỉ lãnh đạo đơn vị chủ trì được giao chuyên viên.", code=DocumentError.NOT_ASSIGNEE)

    def execute(self, ctx, data: DelegateInput):
        doc = ctx.document
        parent = _leads_unit(ctx)
        specialist = _member(doc.agency_id, data.specialist, "specialist", "unit_head")
        due = _due(doc.agency, data.deadline_days) if data.deadline_days else parent.due_at
        if doc.due_at and due and due > doc.due_at:
            raise ValidationFailed("Hạn của chuyên viên không được sau hạn giải quyết của văn bản.",
                                   code=DocumentError.DEADLINE_INVALID)
        Assignment.objects.create(document=doc, role=Assignment.Role.LEAD, user=specialist, parent=parent,
                                  deadline_days=data.deadline_days, due_at=due, instruction=data.instruction,
                                  assigned_by=ctx.user)
        doc.participants.add(specialist, ctx.user)
        doc.status = Inc.IN_PROGRESS
        _bump(doc, "status")
        event_add(incoming=doc, action=self.name, label=f"Giao {specialist.display_name} giải quyết", actor=ctx.user,
                  note=data.instruction)
        _progressed(doc, self.name, ctx.user)
        return doc


def _handler(ctx: InCtx) -> bool:
    lead = ctx.lead()
    return lead is not None and lead.user_id == ctx.user.pk


class ProgressInput(ActionInput):
    text: str = Field(min_length=1, max_length=4000, title="Tiến độ, kết quả", json_schema_extra={"widget": "textarea"})


@incoming_actions.register
class Progress(Action[InCtx]):
    name, label, Input = "progress", "Cập nhật tiến độ", ProgressInput

    def check(self, ctx):
        _need_state(ctx.document, Inc.ASSIGNED, Inc.IN_PROGRESS)
        if not (_handler(ctx) or any(a.user_id == ctx.user.pk and a.role == Assignment.Role.COORDINATE
                                     for a in ctx.document.assignments.all())):
            raise PermissionDenied("Chỉ người được giao xử lý cập nhật tiến độ.", code=DocumentError.NOT_ASSIGNEE)

    def execute(self, ctx, data: ProgressInput):
        doc = ctx.document
        ProgressNote.objects.create(document=doc, author=ctx.user, text=data.text)
        doc.status = Inc.IN_PROGRESS
        _bump(doc, "status")
        event_add(incoming=doc, action=self.name, label="Cập nhật tiến độ", actor=ctx.user, note=data.text)
        _progressed(doc, self.name, ctx.user)
        return doc


class FinishInput(ActionInput):
    result: str = Field(min_length=3, max_length=4000, title="Kết quả giải quyết", json_schema_extra={"widget": "textarea"})
    reply: int | None = Field(None, title="Văn bản trả lời (đã phát hành)", json_schema_extra={"widget": "outgoing"})


def _finish(doc: IncomingDocument, *, actor, result: str, reply: OutgoingDocument | None) -> None:
    doc.status, doc.finished_at, doc.result_note, doc.reply = Inc.DONE, timezone.now(), result, reply
    if doc.due_at:
        doc.deadline_state = (IncomingDocument.DeadlineState.OVERDUE if doc.finished_at > doc.due_at
                              else IncomingDocument.DeadlineState.ON_TRACK)
    _bump(doc, "status", "finished_at", "result_note", "reply", "deadline_state")
    label = f"Hoàn thành bằng văn bản trả lời {reply.notation}" if reply else "Hoàn thành giải quyết"
    event_add(incoming=doc, action="finish", label=label, actor=actor, note=result)
    _progressed(doc, "finish", actor)


def _close_by_reply(incoming_id: int, reply: OutgoingDocument, actor) -> None:
    doc = IncomingDocument.objects.select_for_update().filter(pk=incoming_id).first()
    if doc and doc.status in (Inc.ASSIGNED, Inc.IN_PROGRESS, Inc.REGISTERED):
        _finish(doc, actor=actor, result=f"Đã trả lời bằng văn bản {reply.notation}.", reply=reply)


@incoming_actions.register
class Finish(Action[InCtx]):
    name, label, Input = "finish", "Hoàn thành", FinishInput

    def check(self, ctx):
        _need_state(ctx.document, Inc.ASSIGNED, Inc.IN_PROGRESS)
        if not _handler(ctx):
            raise PermissionDenied("Chỉ người chủ trì giải quyết được kết thúc văn bản.", code=DocumentError.NOT_ASSIGNEE)

    def execute(self, ctx, data: FinishInput):
        reply = None
        if data.reply is not None:
            reply = OutgoingDocument.objects.filter(pk=data.reply, agency_id=ctx.document.agency_id,
                                                    status=Out.ISSUED).first()
            if reply is None:
                raise ValidationFailed("Văn bản trả lời phải là văn bản đi đã phát hành của cơ quan.",
                                       code=DocumentError.REPLY_INVALID)
        _finish(ctx.document, actor=ctx.user, result=data.result, reply=reply)
        return ctx.document


def outgoing_perform(*, actor, document: OutgoingDocument, name: str, data: dict | None = None,
                     expected_version: int | None = None):
    return outgoing_actions.perform(actor=actor, target=document, name=name, data=data,
                                    expected_version=expected_version)


def incoming_perform(*, actor, document: IncomingDocument, name: str, data: dict | None = None,
                     expected_version: int | None = None):
    return incoming_actions.perform(actor=actor, target=document, name=name, data=data,
                                    expected_version=expected_version)


__all__ = ["incoming_actions", "incoming_perform", "outgoing_actions", "outgoing_perform", "today"]
