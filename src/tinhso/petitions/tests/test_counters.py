"""The public counters "đã trả lời / đang xử lý / từ chối xử lý" equal the database after any history
of actions (hypothesis drives random, valid sequences through the registry)."""

from __future__ import annotations

from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinhso.petitions.actions import petition_action_perform, petition_available_actions
from tinhso.petitions.models import Petition, PetitionTally
from tinhso.petitions.selectors import petition_counters, petition_counters_by_agency
from tinhso.petitions.services import petition_tallies_rebuild
from tinhso.petitions.status import Status

EXPECTED_GROUP = {
    Status.PENDING: "in_progress", Status.ACCEPTED: "in_progress", Status.INFO_REQUESTED: "in_progress",
    Status.ASSIGNED: "in_progress", Status.DRAFTED: "in_progress", Status.ANSWERED: "answered",
    Status.PUBLISHED: "answered", Status.REFUSED: "refused",
}


def people(world, petition):
    """Who can act on ``petition`` now: its agency's staff and the sender."""
    if petition.agency_id == world.department.pk:
        staff = [world.dept_reception, world.dept_leader, world.dept_specialist]
    else:
        staff = [world.reception, world.leader, world.specialist]
    return [*staff, world.citizen]


DATA = {"transfer": lambda p: {"agency": "H44.02" if p.agency.code == "H44.12" else "H44.12", "reason": "Thẩm quyền"},
        "request_info": lambda p: {"question": "Bổ sung?"}, "provide_info": lambda p: {"answer": "Đây"},
        "refuse": lambda p: {"reason": "Không thuộc phạm vi"}, "assign": lambda p: {
            "assignee": "chuyenvien-so" if p.agency.code == "H44.02" else "chuyenvien"},
        "draft_answer": lambda p: {"answer": "Trả lời"}, "return_draft": lambda p: {"reason": "Sửa"},
        "rate": lambda p: {"feedback": "unsatisfied"}, "object": lambda p: {"reason": "Chưa thỏa đáng"}}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 50)), min_size=0, max_size=40))
def test_counters_equal_database_counts_after_a_random_history(world, send, steps):
    with override_settings(TINHSO_PETITION_SUBMIT_PER_HOUR=0), transaction.atomic():
        petitions = [send() for _ in range(4)]
        for index, choice in steps:
            petition = Petition.objects.select_related("agency").get(pk=petitions[index].pk)
            offers = [(actor, spec.name) for actor in people(world, petition)
                      for spec in petition_available_actions(actor=actor, petition=petition)]
            if not offers:
                continue
            actor, name = offers[choice % len(offers)]
            petition_action_perform(actor=actor, petition=petition, name=name,
                                    data=DATA.get(name, lambda p: {})(petition))
        expected = {"answered": 0, "in_progress": 0, "refused": 0}
        for status in Petition.objects.values_list("status", flat=True):
            expected[EXPECTED_GROUP[status]] += 1
        assert petition_counters() == expected
        for code in ("H44.12", "H44.02"):
            per_agency = {"answered": 0, "in_progress": 0, "refused": 0}
            for status in Petition.objects.filter(agency__code=code).values_list("status", flat=True):
                per_agency[EXPECTED_GROUP[status]] += 1
            assert petition_counters(agency=code) == per_agency
        assert sum(expected.values()) == 4
        by_agency = {row["code"]: {g: row[g] for g in expected} for row in petition_counters_by_agency()}
        assert sum(sum(row.values()) for row in by_agency.values()) == 4
        incremental = set(PetitionTally.objects.filter(count__gt=0).values_list("agency_id", "status", "count"))
        petition_tallies_rebuild()  # the tallies kept by the transitions are exactly a recount
        assert set(PetitionTally.objects.values_list("agency_id", "status", "count")) == incremental
        transaction.set_rollback(True)
