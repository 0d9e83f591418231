"""Every handling action, and each forbidden one, through the registry (check → execute)."""

from __future__ import annotations

import pytest

from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.petitions.actions import petition_action_perform, petition_available_actions
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.models import PetitionEvent
from tinhso.petitions.status import Status


def names(actor, petition):
    return [spec.name for spec in petition_available_actions(actor=actor, petition=petition)]


def refused(error_type, code, actor, petition, name, **data):
    before = (petition.status, petition.version)
    with pytest.raises(error_type) as caught:
        petition_action_perform(actor=actor, petition=petition, name=name, data=data)
    assert caught.value.code == code
    petition.refresh_from_db()
    assert (petition.status, petition.version) == before  # nothing written


def answered(world, send, act, **overrides):
    p = send(**overrides)
    p = act(world.reception, p, "accept")
    p = act(world.leader, p, "assign", assignee="chuyenvien")
    p = act(world.specialist, p, "draft_answer", answer="Giấy xác nhận cư trú không phải thành phần hồ sơ.")
    return act(world.leader, p, "approve")


def test_routed_to_the_commune_and_offered_actions(world, send):
    p = send()
    assert p.agency == world.commune_agency and p.status == Status.PENDING and p.code.startswith("PAKN-")
    assert names(world.reception, p) == ["accept", "transfer", "refuse"]
    assert names(world.citizen, p) == []
    assert names(world.outsider, p) == []


def test_the_whole_handling_path(world, send, act, events):
    p = answered(world, send, act)
    assert p.status == Status.ANSWERED and p.approved_by == world.leader and p.publish_due_at is not None
    assert names(world.reception, p) == ["publish"]
    assert names(world.citizen, p) == ["rate"]
    p = act(world.reception, p, "publish")
    assert p.status == Status.PUBLISHED and p.published_at is not None
    assert [e.action for e in p.events.all()] == ["received", "accepted", "assigned", "drafted", "answered",
                                                  "published"]
    assert "petition.published" in events.names()


def test_transfer_keeps_the_history_and_hands_over(world, send, act):
    p = act(world.reception, send(), "accept")
    p = act(world.reception, p, "transfer", agency="H44.02", reason="Thuộc thẩm quyền của Sở Tư pháp")
    assert p.agency == world.department and p.status == Status.PENDING
    row = p.events.get(action="transferred")
    assert row.data["from_agency"] == "H44.12" and row.data["to_agency"] == "H44.02"
    assert row.agency == world.commune_agency  # done by the ward, recorded as the ward's step
    assert names(world.reception, p) == []  # the commune no longer acts
    assert names(world.dept_reception, p) == ["accept", "transfer", "refuse"]
    refused(ValidationFailed, PetitionError.SAME_AGENCY, world.dept_reception, p, "transfer", agency="H44.02",
            reason="x")
    refused(ValidationFailed, PetitionError.UNKNOWN_AGENCY, world.dept_reception, p, "transfer", agency="H99.99",
            reason="x")


def test_more_information_is_asked_once(world, send, act):
    p = act(world.reception, send(), "accept")
    p = act(world.reception, p, "request_info", question="Ông/Bà nộp hồ sơ ngày nào, tại quầy số mấy?")
    assert p.status == Status.INFO_REQUESTED and p.paused_at is not None
    assert names(world.citizen, p) == ["provide_info"]
    refused(Conflict, PetitionError.INVALID_STATE, world.leader, p, "assign", assignee="chuyenvien")
    refused(PermissionDenied, PetitionError.NOT_SENDER, world.other_citizen, p, "provide_info", answer="x")
    p = act(world.citizen, p, "provide_info", answer="Ngày 05/01/2026, quầy số 2.")
    assert p.status == Status.ACCEPTED and p.paused_at is None and p.info_answer.startswith("Ngày")
    refused(Conflict, PetitionError.INFO_ALREADY_REQUESTED, world.reception, p, "request_info", question="Lần hai?")
    assert "request_info" not in names(world.reception, p)


def test_refuse_with_reason(world, send, act):
    p = send()
    refused(ValidationFailed, "invalid_input", world.reception, p, "refuse")  # no reason
    p = act(world.reception, p, "refuse", reason="Nội dung không thuộc phạm vi phản ánh, kiến nghị.")
    assert p.status == Status.REFUSED and p.refusal_reason.startswith("Nội dung")
    refused(Conflict, PetitionError.INVALID_STATE, world.reception, p, "accept")


def test_assignment_and_draft_rules(world, send, act):
    p = act(world.reception, send(), "accept")
    refused(PermissionDenied, PetitionError.NOT_STAFF, world.reception, p, "assign", assignee="chuyenvien")
    refused(ValidationFailed, PetitionError.UNKNOWN_ASSIGNEE, world.leader, p, "assign", assignee="chuyenvien-so")
    choices = next(s for s in petition_available_actions(actor=world.leader, petition=p) if s.name == "assign")
    assert {c["value"] for c in choices.fields[0].choices} == {"chuyenvien", "canbo-bi-phan-anh"}
    p = act(world.leader, p, "assign", assignee="chuyenvien")
    refused(PermissionDenied, PetitionError.NOT_STAFF, world.officer, p, "draft_answer", answer="Tôi trả lời")
    p = act(world.specialist, p, "draft_answer", answer="Dự thảo")
    refused(PermissionDenied, PetitionError.NOT_STAFF, world.specialist, p, "approve")
    p = act(world.leader, p, "return_draft", reason="Bổ sung căn cứ pháp lý")
    assert p.status == Status.ASSIGNED
    p = act(world.specialist, p, "draft_answer", answer="Theo Điều 16 Nghị định 118/2025/NĐ-CP …")
    p = act(world.leader, p, "approve", personal=True)
    assert p.status == Status.ANSWERED and p.is_personal and p.publish_due_at is None
    refused(Conflict, PetitionError.NOT_PUBLISHABLE, world.reception, p, "publish")


def test_declined_publication_is_not_published(world, send, act):
    p = answered(world, send, act, publish_consent=False)
    assert "publish" not in names(world.reception, p)


def test_rate_and_object_once_reopens(world, send, act, clock):
    clock.set(2026, 3, 2, 9)
    p = answered(world, send, act)
    p = act(world.reception, p, "publish")
    refused(Conflict, PetitionError.OBJECTION_NEEDS_UNHAPPY, world.citizen, p, "object", reason="Chưa thỏa đáng")
    p = act(world.citizen, p, "rate", feedback="unsatisfied")
    refused(Conflict, PetitionError.ALREADY_RATED, world.citizen, p, "rate", feedback="satisfied")
    refused(PermissionDenied, PetitionError.NOT_SENDER, world.other_citizen, p, "object", reason="x")
    clock.advance(days=1)
    p = act(world.citizen, p, "object", reason="Trả lời chưa giải quyết việc tôi bị yêu cầu thêm giấy tờ.")
    assert p.status == Status.ACCEPTED and p.reopened_count == 1 and p.published_at is None
    assert p.agency == world.commune_agency and p.due_at > p.answered_at
    p = act(world.leader, p, "assign", assignee="chuyenvien")
    p = act(world.specialist, p, "draft_answer", answer="Trả lời lần hai")
    p = act(world.leader, p, "approve")
    refused(Conflict, PetitionError.OBJECTION_USED, world.citizen, p, "object", reason="Lần hai")


def test_objection_window_closes(world, send, act, clock, settings):
    settings.TINHSO_PETITION_OBJECTION_DAYS = 10
    clock.set(2026, 3, 2, 9)
    p = answered(world, send, act)
    p = act(world.citizen, p, "rate", feedback="unsatisfied")
    clock.advance(days=11)
    refused(Conflict, PetitionError.OBJECTION_CLOSED, world.citizen, p, "object", reason="Muộn")


def test_stale_version_is_refused(world, send):
    p = send()
    with pytest.raises(Conflict) as stale:
        petition_action_perform(actor=world.reception, petition=p, name="accept", expected_version=p.version - 1)
    assert stale.value.code == PetitionError.STATE_CHANGED
    assert not PetitionEvent.objects.filter(petition=p, action="accepted").exists()


def test_officer_named_in_a_conduct_complaint_cannot_handle(world, send, act):
    p = send(kind="conduct", named_officer="canbo-bi-phan-anh", subject="Cán bộ tiếp nhận gây khó khăn")
    assert names(world.officer, p) == []
    refused(PermissionDenied, PetitionError.OFFICER_CONCERNED, world.officer, p, "accept")
    p = act(world.reception, p, "accept")
    choices = next(s for s in petition_available_actions(actor=world.leader, petition=p) if s.name == "assign")
    assert {c["value"] for c in choices.fields[0].choices} == {"chuyenvien"}
    refused(ValidationFailed, PetitionError.UNKNOWN_ASSIGNEE, world.leader, p, "assign",
            assignee="canbo-bi-phan-anh")


def test_markup_in_an_answer_is_refused(world, send, act):
    p = act(world.leader, act(world.reception, send(), "accept"), "assign", assignee="chuyenvien")
    refused(ValidationFailed, PetitionError.MARKUP, world.specialist, p, "draft_answer",
            answer="<script>alert(1)</script>Trả lời")
