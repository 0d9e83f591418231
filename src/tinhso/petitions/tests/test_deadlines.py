"""The PAKN deadlines (vn-standards §6.2: 2 / 5 / 15 / 2 working days) across Tết Bính Ngọ 2026
(off Sat 14/02 – Sun 22/02), the clock stopped while the sender owes information, and the clock a
transfer restarts at the receiving agency; at-risk / overdue flags and the sweep."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tinhso.core.testing import captured_events
from tinhso.petitions.models import PetitionAlert
from tinhso.petitions.selectors import flags
from tinhso.petitions.services import petitions_sweep


def local(*parts):
    return timezone.make_aware(datetime(*parts))


def test_every_deadline_skips_tet_2026(world, send, act, clock):
    clock.set(2026, 2, 12, 10)  # Thursday before Tết
    p = send()
    assert p.refuse_due_at == local(2026, 2, 23, 10)  # Fri 13, then Mon 23 after the nine days off
    assert p.info_due_at == local(2026, 2, 26, 10)
    assert p.due_at == local(2026, 3, 12, 10)
    p = act(world.reception, p, "accept")
    p = act(world.leader, p, "assign", assignee="chuyenvien")
    p = act(world.specialist, p, "draft_answer", answer="Trả lời")
    clock.set(2026, 2, 13, 16)
    p = act(world.leader, p, "approve")
    assert p.publish_due_at == local(2026, 2, 24, 16)  # Fri 13 16:00 + 2 working days


def test_clock_stops_while_waiting_for_the_sender(world, send, act, clock):
    clock.set(2026, 2, 12, 10)
    p = act(world.reception, send(), "accept")
    clock.set(2026, 2, 13, 10)
    p = act(world.reception, p, "request_info", question="Ông/Bà cho biết số hồ sơ?")
    assert flags(p, now=local(2026, 3, 20, 9))["overdue"] is False  # stopped: never overdue while waiting
    clock.set(2026, 2, 24, 10)  # 5 h Fri + 7.5 h Mon + 2.5 h Tue = 15 working hours = 2 working days
    p = act(world.citizen, p, "provide_info", answer="Hồ sơ H44.12-260105-0001")
    assert p.paused_minutes == 15 * 60
    assert p.due_at == local(2026, 3, 16, 10)  # 12/03 10:00 moved by two working days
    assert p.events.get(action="info_provided").data["paused_minutes"] == 900


def test_transfer_restarts_the_receiving_agencys_clock(world, send, act, clock):
    clock.set(2026, 2, 12, 10)
    p = act(world.reception, send(), "accept")
    clock.set(2026, 2, 25, 9)
    p = act(world.reception, p, "transfer", agency="H44.02", reason="Thuộc thẩm quyền Sở")
    assert p.clock_started_at == local(2026, 2, 25, 9)
    assert p.refuse_due_at == local(2026, 2, 27, 9)
    assert p.info_due_at == local(2026, 3, 4, 9)
    assert p.due_at == local(2026, 3, 18, 9)


def test_late_refusal_is_recorded(world, send, act, clock):
    clock.set(2026, 2, 12, 10)
    p = send()
    clock.set(2026, 2, 23, 10, 1)
    p = act(world.reception, p, "refuse", reason="Không thuộc phạm vi")
    assert p.events.get(action="refused").data["late"] is True


def test_flags_and_the_sweep_announce_once(world, send, act, clock):
    clock.set(2026, 2, 12, 10)
    p = act(world.reception, send(), "accept")
    assert flags(p, now=local(2026, 3, 11, 11)) == {"overdue": False, "at_risk": True, "waiting_sender": False}
    assert flags(p, now=local(2026, 3, 12, 10, 1))["overdue"] is True
    with captured_events(deliver=False) as events:
        assert petitions_sweep(now=local(2026, 3, 11, 11)) == 1
        assert petitions_sweep(now=local(2026, 3, 11, 12)) == 0  # once per due date
        assert petitions_sweep(now=local(2026, 4, 1, 9)) == 1
    assert events.names() == ["petition.at_risk", "petition.overdue"]
    assert set(PetitionAlert.objects.values_list("kind", flat=True)) == {"at_risk", "overdue"}


def test_the_sweep_finds_an_untouched_old_petition(world, send, clock):
    clock.set(2025, 6, 2, 9)
    send()
    clock.set(2026, 12, 1, 9)
    assert petitions_sweep() == 1
