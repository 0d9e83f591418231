"""Every handling step of a petition is an ``Action`` in ``registry`` (core.actions): the offered list,
``POST /api/v1/petitions/{code}/actions/{name}``, the staff and sender forms all come from here.

Order of the work (vn-standards §6.2, Signalen): accept → (request info once → sender answers) →
assign → draft → approve (sent; published unless declined or personal) → publish. Transfer restarts the
receiving agency's clock; the sender rates the answer and may object once, which reopens it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from pydantic import Field

from tinhso.core.actions import Action, ActionInput, ActionRegistry, FieldSpec
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.org.models import Agency, Membership
from tinhso.org.roles import Role
from tinhso.petitions import deadlines
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.models import Petition
from tinhso.petitions.permissions import PetitionContext, petition_context
from tinhso.petitions.services import clock_apply, petition_lock, text_clean, transition_record
from tinhso.petitions.status import Feedback, Status

registry: ActionRegistry[Petition, PetitionContext] = ActionRegistry(
    domain="petition", context=petition_context, lock=petition_lock, version_of=lambda p: p.version,
    stale=lambda p: Conflict("Phản ánh vừa được người khác cập nhật; vui lòng tải lại trang.",
                             code=PetitionError.STATE_CHANGED))

TEXT = 4000


def _state(context: PetitionContext, allowed: set[str], what: str) -> None:
    if context.petition.status not in allowed:
        raise Conflict(f"Không thể {what} khi phản ánh đang ở trạng thái “{context.petition.get_status_display()}”.",
                       code=PetitionError.INVALID_STATE)


def _staff(context: PetitionContext, *, leader: bool = False) -> None:
    if context.officer_concerned:
        raise PermissionDenied("Cán bộ bị phản ánh không được xử lý phản ánh này.",
                               code=PetitionError.OFFICER_CONCERNED)
    if not (context.leader_here if leader else context.staff_here):
        who = "lãnh đạo" if leader else "cán bộ"
        raise PermissionDenied(f"Chỉ {who} của cơ quan đang xử lý mới được thực hiện thao tác này.",
                               code=PetitionError.NOT_STAFF)


def _sender(context: PetitionContext) -> None:
    if not context.is_sender:
        raise PermissionDenied("Chỉ người gửi phản ánh mới được thực hiện thao tác này.",
                               code=PetitionError.NOT_SENDER)


def _text(value: str, field: str, label: str) -> str:
    return text_clean(value, field=field, label=label, max_length=TEXT)


def _now():
    return timezone.now()


class ReasonInput(ActionInput):
    reason: str = Field(min_length=1, max_length=TEXT, title="Lý do", json_schema_extra={"widget": "textarea"})


@registry.register
class Accept(Action[PetitionContext]):
    name = "accept"
    label = "Tiếp nhận xử lý"

    def check(self, context):
        _staff(context)
        _state(context, {Status.PENDING}, "tiếp nhận")

    def execute(self, context, data):
        p, at = context.petition, _now()
        p.status = Status.ACCEPTED
        transition_record(p, actor=context.actor, action="accepted", label="Đã tiếp nhận xử lý",
                          status_from=Status.PENDING, at=at)
        return p


class TransferInput(ActionInput):
    agency: str = Field(min_length=1, title="Chuyển tới cơ quan", json_schema_extra={"widget": "agency"})
    reason: str = Field(min_length=1, max_length=TEXT, title="Lý do chuyển", json_schema_extra={"widget": "textarea"})


@registry.register
class Transfer(Action[PetitionContext]):
    name = "transfer"
    label = "Chuyển cơ quan có thẩm quyền"
    Input = TransferInput

    def check(self, context):
        _staff(context)
        _state(context, {Status.PENDING, Status.ACCEPTED}, "chuyển")

    def execute(self, context, data: TransferInput):
        p, at = context.petition, _now()
        target = Agency.objects.filter(code=data.agency.strip().upper(), is_active=True).first()
        if target is None:
            raise ValidationFailed(f"Không tìm thấy cơ quan “{data.agency}”.", code=PetitionError.UNKNOWN_AGENCY)
        if target.pk == p.agency_id:
            raise ValidationFailed("Phản ánh đang ở chính cơ quan này.", code=PetitionError.SAME_AGENCY)
        reason = _text(data.reason, "reason", "Lý do chuyển")
        source, status_from = p.agency, p.status
        clock_apply(p, agency=target, at=at)
        p.status = Status.PENDING
        p.assignee = None
        transition_record(p, actor=context.actor, action="transferred", label=f"Đã chuyển tới {target.name}",
                          status_from=status_from, at=at, note=reason, agency=source,
                          data={"from_agency": source.code, "to_agency": target.code, "due_at": p.due_at})
        return p


class QuestionInput(ActionInput):
    question: str = Field(min_length=1, max_length=TEXT, title="Thông tin cần người gửi bổ sung",
                          json_schema_extra={"widget": "textarea"})


@registry.register
class RequestInfo(Action[PetitionContext]):
    name = "request_info"
    label = "Đề nghị người gửi bổ sung thông tin"
    Input = QuestionInput

    def check(self, context):
        _staff(context)
        _state(context, {Status.ACCEPTED, Status.ASSIGNED}, "đề nghị bổ sung")
        if context.petition.info_requested_count:
            raise Conflict("Chỉ được đề nghị người gửi bổ sung thông tin một lần.",
                           code=PetitionError.INFO_ALREADY_REQUESTED)

    def execute(self, context, data: QuestionInput):
        p, at = context.petition, _now()
        status_from = p.status
        p.info_question = _text(data.question, "question", "Nội dung đề nghị bổ sung")
        p.info_requested_count += 1
        p.status_before_pause = status_from
        p.status = Status.INFO_REQUESTED
        p.paused_at = at  # the clock stops until the sender answers
        transition_record(p, actor=context.actor, action="info_requested", label="Đề nghị bổ sung thông tin",
                          status_from=status_from, at=at, note=p.info_question,
                          data={"late": at > p.info_due_at})
        return p


class AnswerInfoInput(ActionInput):
    answer: str = Field(min_length=1, max_length=TEXT, title="Thông tin bổ sung",
                        json_schema_extra={"widget": "textarea"})


@registry.register
class ProvideInfo(Action[PetitionContext]):
    name = "provide_info"
    label = "Gửi thông tin bổ sung"
    Input = AnswerInfoInput

    def check(self, context):
        _sender(context)
        _state(context, {Status.INFO_REQUESTED}, "bổ sung thông tin")

    def execute(self, context, data: AnswerInfoInput):
        p, at = context.petition, _now()
        p.info_answer = _text(data.answer, "answer", "Thông tin bổ sung")
        waited = deadlines.paused_minutes(agency=p.agency, since=p.paused_at, until=at)
        p.paused_minutes += waited
        p.due_at = deadlines.shifted(agency=p.agency, moment=p.due_at, minutes=waited)
        p.paused_at = None
        p.status = p.status_before_pause or Status.ACCEPTED
        p.status_before_pause = ""
        transition_record(p, actor=context.actor, action="info_provided", label="Người gửi đã bổ sung thông tin",
                          status_from=Status.INFO_REQUESTED, at=at, data={"paused_minutes": waited, "due_at": p.due_at})
        return p


@registry.register
class Refuse(Action[PetitionContext]):
    name = "refuse"
    label = "Từ chối xử lý"
    Input = ReasonInput

    def check(self, context):
        _staff(context)
        _state(context, {Status.PENDING, Status.ACCEPTED}, "từ chối")

    def execute(self, context, data: ReasonInput):
        p, at = context.petition, _now()
        status_from = p.status
        p.refusal_reason = _text(data.reason, "reason", "Lý do từ chối")
        p.refused_at = at
        p.status = Status.REFUSED
        transition_record(p, actor=context.actor, action="refused", label="Từ chối xử lý", status_from=status_from,
                          at=at, note=p.refusal_reason, data={"late": at > p.refuse_due_at})
        return p


class AssignInput(ActionInput):
    assignee: str = Field(min_length=1, title="Chuyên viên xử lý", json_schema_extra={"widget": "user"})


def _assignable(petition: Petition):
    return (Membership.objects.filter(agency=petition.agency, role__in=[Role.SPECIALIST, Role.UNIT_HEAD],
                                      is_active=True, user__is_active=True)
            .exclude(user_id=petition.named_officer_id if petition.named_officer_id else None)
            .select_related("user").order_by("user__full_name", "user__username"))


@registry.register
class Assign(Action[PetitionContext]):
    name = "assign"
    label = "Phân công chuyên viên"
    Input = AssignInput

    def check(self, context):
        _staff(context, leader=True)
        _state(context, {Status.ACCEPTED, Status.ASSIGNED}, "phân công")

    def fields(self, context):
        seen: dict[str, str] = {}
        for m in _assignable(context.petition):
            seen.setdefault(m.user.username, m.user.display_name)
        return [FieldSpec("assignee", "user", True, "Chuyên viên xử lý",
                          [{"value": k, "label": v} for k, v in seen.items()])]

    def execute(self, context, data: AssignInput):
        p, at = context.petition, _now()
        member = _assignable(p).filter(user__username=data.assignee.strip()).first()
        if member is None:
            raise ValidationFailed("Người được phân công phải là chuyên viên của cơ quan đang xử lý "
                                   "(và không phải cán bộ bị phản ánh).", code=PetitionError.UNKNOWN_ASSIGNEE)
        status_from = p.status
        p.assignee = member.user
        p.status = Status.ASSIGNED
        transition_record(p, actor=context.actor, action="assigned", label="Đã phân công chuyên viên",
                          status_from=status_from, at=at, public=False, data={"assignee": member.user.username})
        return p


class DraftInput(ActionInput):
    answer: str = Field(min_length=1, max_length=TEXT, title="Nội dung trả lời", json_schema_extra={"widget": "textarea"})


@registry.register
class DraftAnswer(Action[PetitionContext]):
    name = "draft_answer"
    label = "Dự thảo trả lời"
    Input = DraftInput

    def check(self, context):
        _staff(context)
        _state(context, {Status.ASSIGNED}, "dự thảo trả lời")
        if not (context.petition.assignee_id == getattr(context.actor, "pk", None) or context.leader_here):
            raise PermissionDenied("Chỉ chuyên viên được phân công mới được dự thảo trả lời.",
                                   code=PetitionError.NOT_STAFF)

    def execute(self, context, data: DraftInput):
        p, at = context.petition, _now()
        p.answer = _text(data.answer, "answer", "Nội dung trả lời")
        p.status = Status.DRAFTED
        transition_record(p, actor=context.actor, action="drafted", label="Đã dự thảo trả lời, chờ lãnh đạo duyệt",
                          status_from=Status.ASSIGNED, at=at, public=False)
        return p


@registry.register
class ReturnDraft(Action[PetitionContext]):
    name = "return_draft"
    label = "Trả lại dự thảo"
    Input = ReasonInput

    def check(self, context):
        _staff(context, leader=True)
        _state(context, {Status.DRAFTED}, "trả lại dự thảo")

    def execute(self, context, data: ReasonInput):
        p, at = context.petition, _now()
        p.status = Status.ASSIGNED
        transition_record(p, actor=context.actor, action="draft_returned", label="Lãnh đạo trả lại dự thảo",
                          status_from=Status.DRAFTED, at=at, public=False,
                          note=_text(data.reason, "reason", "Lý do trả lại"))
        return p


class ApproveInput(ActionInput):
    personal: bool = Field(False, title="Nội dung riêng tư, không công khai")


@registry.register
class Approve(Action[PetitionContext]):
    name = "approve"
    label = "Duyệt và gửi trả lời"
    Input = ApproveInput

    def check(self, context):
        _staff(context, leader=True)
        _state(context, {Status.DRAFTED}, "duyệt trả lời")

    def execute(self, context, data: ApproveInput):
        p, at = context.petition, _now()
        p.is_personal = p.is_personal or data.personal
        p.status = Status.ANSWERED
        p.answered_at = at
        p.answered_by_agency = p.agency
        p.approved_by = context.actor
        p.publish_due_at = deadlines.publish_due(agency=p.agency, answered_at=at) if p.publishable else None
        transition_record(p, actor=context.actor, action="answered", label="Đã trả lời người gửi",
                          status_from=Status.DRAFTED, at=at,
                          data={"late": at > p.due_at, "publishable": p.publishable})
        return p


@registry.register
class Publish(Action[PetitionContext]):
    name = "publish"
    label = "Công khai trả lời"

    def check(self, context):
        _staff(context)
        _state(context, {Status.ANSWERED}, "công khai")
        if not context.petition.publishable:
            raise Conflict("Người gửi không đồng ý công khai hoặc nội dung là riêng tư.",
                           code=PetitionError.NOT_PUBLISHABLE)

    def execute(self, context, data):
        p, at = context.petition, _now()
        p.status = Status.PUBLISHED
        p.published_at = at
        transition_record(p, actor=context.actor, action="published", label="Đã công khai trả lời",
                          status_from=Status.ANSWERED, at=at,
                          data={"late": bool(p.publish_due_at and at > p.publish_due_at)})
        return p


class RateInput(ActionInput):
    feedback: Feedback = Field(title="Mức độ hài lòng với trả lời")


@registry.register
class Rate(Action[PetitionContext]):
    name = "rate"
    label = "Đánh giá trả lời"
    Input = RateInput

    def check(self, context):
        _sender(context)
        _state(context, {Status.ANSWERED, Status.PUBLISHED}, "đánh giá")
        if context.petition.feedback:
            raise Conflict("Ông/Bà đã đánh giá trả lời này.", code=PetitionError.ALREADY_RATED)

    def fields(self, context):
        return [FieldSpec("feedback", "choice", True, "Mức độ hài lòng với trả lời",
                          [{"value": c.value, "label": c.label} for c in Feedback])]

    def execute(self, context, data: RateInput):
        p, at = context.petition, _now()
        p.feedback = data.feedback
        p.feedback_at = at
        transition_record(p, actor=context.actor, action="rated", label=f"Người gửi đánh giá: {p.get_feedback_display()}",
                          status_from=p.status, at=at, data={"feedback": p.feedback}, notify=False)
        return p


def objection_window() -> timedelta:
    return timedelta(days=int(getattr(settings, "TINHSO_PETITION_OBJECTION_DAYS", 30)))


@registry.register
class Object(Action[PetitionContext]):
    name = "object"
    label = "Không đồng ý, đề nghị xem xét lại"
    Input = ReasonInput

    def check(self, context):
        _sender(context)
        p = context.petition
        _state(context, {Status.ANSWERED, Status.PUBLISHED}, "đề nghị xem xét lại")
        if p.objected_at is not None:
            raise Conflict("Mỗi phản ánh chỉ được đề nghị xem xét lại một lần.", code=PetitionError.OBJECTION_USED)
        if p.feedback != Feedback.UNSATISFIED:
            raise Conflict("Hãy đánh giá “Không hài lòng” trước khi đề nghị xem xét lại.",
                           code=PetitionError.OBJECTION_NEEDS_UNHAPPY)
        if p.answered_at and _now() > p.answered_at + objection_window():
            raise Conflict("Đã hết thời hạn đề nghị xem xét lại trả lời này.", code=PetitionError.OBJECTION_CLOSED)

    def execute(self, context, data: ReasonInput):
        p, at = context.petition, _now()
        status_from = p.status
        p.objection = _text(data.reason, "reason", "Ý kiến không đồng ý")
        p.objected_at = at
        p.reopened_count += 1
        # Reopened: the agency that answered handles it again on a fresh clock; the old answer goes
        # off the public list until a new one is approved.
        clock_apply(p, agency=p.answered_by_agency or p.agency, at=at)
        p.status = Status.ACCEPTED
        p.published_at = None
        p.publish_due_at = None
        transition_record(p, actor=context.actor, action="reopened", label="Người gửi không đồng ý; mở lại xử lý",
                          status_from=status_from, at=at, note=p.objection, data={"due_at": p.due_at})
        return p


def petition_available_actions(*, actor, petition: Petition):
    return registry.available(registry.context(actor, petition))


def petition_action_perform(*, actor, petition: Petition, name: str, data: dict | None = None,
                            expected_version: int | None = None) -> Petition:
    return registry.perform(actor=actor, target=petition, name=name, data=data, expected_version=expected_version)


