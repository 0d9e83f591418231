"""The sender hears about each change (e-mail, SMS, in-app), not about internal steps; once per event."""

from __future__ import annotations

from tinhso.core.events import outbox_deliver
from tinhso.core.testing import captured_events
from tinhso.notifications.models import Notification


def test_each_public_change_notifies_the_sender_once(world, send, act):
    with captured_events():
        p = send()
        p = act(world.reception, p, "accept")
        p = act(world.leader, p, "assign", assignee="chuyenvien")  # internal: no message
        p = act(world.specialist, p, "draft_answer", answer="Nội dung trả lời chi tiết")  # internal
        p = act(world.leader, p, "approve")
    kinds = sorted(set(Notification.objects.values_list("kind", flat=True)))
    assert kinds == ["petition.accepted", "petition.answered", "petition.received"]
    answer = Notification.objects.get(kind="petition.answered", channel="email")
    assert answer.recipient == "an@example.vn" and "Nội dung trả lời chi tiết" in answer.body
    assert Notification.objects.filter(kind="petition.answered").count() == 3  # e-mail, SMS, in-app
    outbox_deliver()  # a redelivery sends nothing more
    assert Notification.objects.filter(kind="petition.answered").count() == 3
