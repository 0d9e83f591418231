"""Reads: work queue (scope, flags, constant queries), register, sweep, bulk assignment, regulations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tinhso.core.errors import NotFound, PermissionDenied, ValidationFailed
from tinhso.dossiers.models import Dossier, DossierAlert, Regulation
from tinhso.dossiers.regulations import regulation_in_force
from tinhso.dossiers.selectors import dossier_register, work_queue
from tinhso.dossiers.services import bulk_assign, dossier_assign, dossier_receive, dossiers_sweep

pytestmark = pytest.mark.django_db


def local(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


def test_regulation_in_force_by_date(world):
    assert regulation_in_force(local(2025, 6, 30, 23, 0)).code == "nd61-2018"
    # NĐ 118/2025 from 01/07/2025, but the TT 03/2025 forms only from 15/09/2025 (the old ones until then).
    interim = regulation_in_force(local(2025, 7, 1, 0, 30))
    assert (interim.code, interim.form_set) == ("nd118-2025-tt01", "tt01_2018")
    assert regulation_in_force(local(2025, 9, 14, 23, 59)).code == "nd118-2025-tt01"
    current = regulation_in_force(local(2025, 9, 15, 0, 0))
    assert (current.code, current.form_set) == ("nd118-2025", "tt03_2025")
    Regulation.objects.all().delete()
    with pytest.raises(NotFound) as caught:
        regulation_in_force(local(2026, 1, 1, 9))
    assert caught.value.code == "regulation_not_configured"


def test_work_queue_follows_roles_agencies_and_assignment(world, submit, received):
    new = submit()
    at_first_step = received()
    assigned = dossier_assign(actor=world.unit_head, dossier=received(), assignee=world.specialist)
    assert [i.dossier for i in work_queue(actor=world.reception).items] == [new]
    # heads oversee everything their agency holds, including the new dossier at the reception desk
    assert {i.dossier for i in work_queue(actor=world.unit_head).items} == {new, at_first_step, assigned}
    assert [i.dossier for i in work_queue(actor=world.specialist).items] == [assigned]
    assert [i.dossier for i in work_queue(actor=world.specialist, mine=True).items] == [assigned]
    assert work_queue(actor=world.specialist2).items == []  # assigned to someone else
    assert work_queue(actor=world.other_reception).items == []
    assert work_queue(actor=world.citizen).items == []


def test_work_queue_flags_are_computed_from_due_dates(world, received, clock):
    clock.set(2026, 3, 9, 9, 0)
    dossiers = [received() for _ in range(3)]  # due Mon 16/03 09:00
    clock.set(2026, 3, 13, 8, 0)  # Friday 08:00: 8 h 30 of working time left (> 7 h 30)
    page = work_queue(actor=world.unit_head)
    assert not any(i.at_risk or i.overdue for i in page.items)
    assert all(i.step_overdue for i in page.items)  # the half-day assignment step is long over
    clock.set(2026, 3, 13, 10, 0)  # less than 7.5 working hours left before Mon 09:00
    page = work_queue(actor=world.unit_head)
    assert all(i.at_risk and not i.overdue for i in page.items)
    assert work_queue(actor=world.unit_head, flag="at_risk").count == 3
    clock.set(2026, 3, 16, 9, 1)
    page = work_queue(actor=world.unit_head, flag="overdue")
    assert page.count == 3 and all(i.overdue and not i.at_risk for i in page.items)
    assert work_queue(actor=world.unit_head, flag="at_risk").count == 0
    with pytest.raises(ValidationFailed):
        work_queue(actor=world.unit_head, flag="soon")
    assert {i.dossier for i in page.items} == set(dossiers)


def test_work_queue_has_a_constant_number_of_queries(world, received):
    received()
    work_queue(actor=world.unit_head)  # warm the calendar snapshot
    with CaptureQueriesContext(connection) as one:
        assert len(work_queue(actor=world.unit_head).items) == 1
    for _ in range(49):
        received()
    with CaptureQueriesContext(connection) as fifty:
        page = work_queue(actor=world.unit_head, page_size=50)
        assert len(page.items) == 50
        for item in page.items:  # what a page row shows
            _ = (item.dossier.procedure_version.name, item.dossier.current_step.name, item.dossier.code,
                 item.dossier.current_agency.name, item.dossier.receiving_agency.name)
    assert len(fifty) == len(one) <= 6


def test_bulk_assign_by_the_unit_head(world, received):
    dossiers = [received() for _ in range(3)]
    # at the first step the unit head's own step: assign within the step is not the transition target;
    # move them to appraisal first, then reassign all of them at once
    dossiers = [dossier_assign(actor=world.unit_head, dossier=d, assignee=world.specialist) for d in dossiers]
    done = bulk_assign(actor=world.unit_head, dossiers=dossiers, assignee=world.specialist2)
    assert {d.assignee for d in done} == {world.specialist2}
    assert all(d.handovers.order_by("-seq").first().taken_by == world.specialist2 for d in done)
    with pytest.raises(PermissionDenied):
        bulk_assign(actor=world.specialist, dossiers=dossiers, assignee=world.specialist)
    with pytest.raises(ValidationFailed):
        bulk_assign(actor=world.unit_head, dossiers=dossiers, assignee=world.clerk)
    assert set(Dossier.objects.values_list("assignee", flat=True)) == {world.specialist2.pk}


def test_register_rows(world, received, clock):
    clock.set(2026, 3, 9, 9, 0)
    first = received()
    clock.set(2026, 3, 10, 9, 0)
    second = received()
    rows = dossier_register(actor=world.reception, agency=world.centre, period=(date(2026, 3, 9), date(2026, 3, 9)))
    assert [r.code for r in rows] == [first.code]
    rows = dossier_register(actor=world.reception, agency="H44.12", period=(date(2026, 3, 1), date(2026, 3, 31)))
    assert [(r.number, r.code) for r in rows] == [(1, first.code), (2, second.code)]
    row = rows[0]
    assert row.applicant_name == "Nguyễn Văn An" and row.transferred_to == world.centre.name
    assert row.due_at == local(2026, 3, 16, 9, 0)
    with pytest.raises(PermissionDenied):
        dossier_register(actor=world.other_reception, agency=world.centre, period=(date(2026, 3, 1), date(2026, 3, 31)))


def test_sweep_announces_once_per_due_date_and_finds_old_dossiers(world, received, clock, events):
    clock.set(2026, 3, 9, 9, 0)
    dossier = received()
    # nobody touched it for months: the sweep must not care when it was last modified
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=local(2026, 3, 9, 9, 0))
    clock.set(2026, 3, 13, 10, 0)
    assert dossiers_sweep().at_risk == 1
    assert dossiers_sweep().at_risk == 0  # idempotent
    clock.set(2026, 7, 1, 9, 0)
    result = dossiers_sweep()
    assert (result.overdue, result.at_risk) == (1, 0)
    assert dossiers_sweep().overdue == 0
    assert events.names()[-2:] == ["dossier.at_risk", "dossier.overdue"]
    assert events.named("dossier.overdue")[0].payload["due_at"] == "2026-03-16T09:00:00+07:00"
    assert DossierAlert.objects.count() == 2
    # a moved appointment may be announced again
    Dossier.objects.filter(pk=dossier.pk).update(due_at=local(2026, 6, 30, 9, 0))
    assert dossiers_sweep().overdue == 1


def test_sweep_ignores_paused_and_finished_dossiers(world, received, clock):
    from tinhso.dossiers.services import dossier_request_supplement

    clock.set(2026, 3, 9, 9, 0)
    paused = dossier_assign(actor=world.unit_head, dossier=received(), assignee=world.specialist)
    dossier_request_supplement(actor=world.specialist, dossier=paused, items=[{"name": "x"}], reason="y")
    clock.set(2026, 7, 1, 9, 0)
    assert dossiers_sweep().overdue == 0


def test_receipt_after_office_hours_counts_from_next_morning(world, submit, clock):
    clock.set(2026, 3, 9, 18, 0)
    dossier = dossier_receive(actor=world.reception, dossier=submit())
    assert dossier.due_at == local(2026, 3, 16, 17, 0)  # from Tue 07:30, 5 working days → next Mon 17:00
    assert dossier.received_at == local(2026, 3, 9, 18, 0)
    assert dossier.due_at - dossier.received_at > timedelta(days=6)


def test_staff_list_counts_each_dossier_once_across_agencies(world, received):
    from tinhso.dossiers.selectors import dossier_list_for
    from tinhso.dossiers.services import dossier_consult
    from tinhso.dossiers.tests import factories as f

    both = f.grant(f.user("hai-noi"), world.centre, "specialist")
    f.grant(both, world.department, "specialist")
    consulted = dossier_assign(actor=world.unit_head, dossier=received(), assignee=world.specialist)
    dossier_consult(actor=world.specialist, dossier=consulted, agency="H44.02", question="Cho ý kiến")
    other = received()
    page = dossier_list_for(actor=both)
    assert page.count == 2 and [d.pk for d in page.items] == [other.pk, consulted.pk] and page.masked
    assert dossier_list_for(actor=world.dept_specialist).count == 1  # only the consulted one
    assert dossier_list_for(actor=both, status="received").count == 1
    assert dossier_list_for(actor=both, q="nguyen van an").count == 2
    assert dossier_list_for(actor=both, q="khong co").count == 0
    assert [d.pk for d in dossier_list_for(actor=both, page=2, page_size=1).items] == [consulted.pk]


def test_work_queue_filters_by_step_and_lists_the_steps_present(world, received):
    from tinhso.dossiers.selectors import work_queue_steps

    waiting = received()  # at "phan-cong"
    appraised = [dossier_assign(actor=world.unit_head, dossier=received(), assignee=world.specialist)
                 for _ in range(2)]  # at "tham-dinh"
    assert work_queue_steps(actor=world.unit_head) == [
        {"code": "tham-dinh", "name": "Thẩm định hồ sơ", "count": 2},
        {"code": "phan-cong", "name": "Phân công thụ lý", "count": 1},
    ]
    assert {i.dossier for i in work_queue(actor=world.unit_head, step="tham-dinh").items} == set(appraised)
    assert [i.dossier for i in work_queue(actor=world.unit_head, step="phan-cong").items] == [waiting]
    assert work_queue(actor=world.unit_head, step="khong-co").items == []
    assert work_queue_steps(actor=world.specialist) == [{"code": "tham-dinh", "name": "Thẩm định hồ sơ", "count": 2}]
    assert work_queue_steps(actor=world.other_reception) == []


@pytest.mark.usefixtures("signing_not_required")
def test_a_resolved_dossier_waiting_at_the_desk_is_never_at_risk(world, received, clock):
    from tinhso.backoffice.display import deadline_state
    from tinhso.dossiers.services import dossier_approve, dossier_forward, dossier_issue_result

    clock.set(2026, 3, 9, 9, 0)
    done, running = received(), received()  # both due Mon 16/03 09:00
    done = dossier_assign(actor=world.unit_head, dossier=done, assignee=world.specialist)
    done = dossier_forward(actor=world.specialist, dossier=done)
    done = dossier_approve(actor=world.leader, dossier=done)
    clock.set(2026, 3, 13, 10, 0)  # less than one working day before the appointment
    done = dossier_issue_result(actor=world.clerk, dossier=done)
    assert done.status == "resolved" and done.acting_role == "reception"
    desk = {i.dossier.pk: i for i in work_queue(actor=world.reception).items}
    assert desk[done.pk].at_risk is False and desk[done.pk].overdue is False
    assert work_queue(actor=world.reception, flag="at_risk").count == 0
    assert deadline_state(done) == "" and deadline_state(running) == "at_risk"
    clock.set(2026, 3, 17, 9, 0)  # the appointment passed: the result was ready in time all the same
    assert deadline_state(Dossier.objects.get(pk=done.pk)) == ""
    assert work_queue(actor=world.reception, flag="overdue").count == 0
    assert work_queue(actor=world.unit_head, flag="overdue").count == 1  # the other one is late
