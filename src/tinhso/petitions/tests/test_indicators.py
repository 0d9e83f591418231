"""The figures behind the 766 indicators 19–22 on hand-made petitions (vn-standards §6.2)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tinhso.petitions.models import Petition
from tinhso.petitions.selectors import petition_indicators


def local(*parts):
    return timezone.make_aware(datetime(*parts))


def make(world, n, **fields):
    received = local(2026, 3, 2, 9)
    base = {"kind": "regulation", "channel": "portal", "subject": "S", "content": "C", "sender_name": "A",
            "agency": world.commune_agency, "received_at": received, "clock_started_at": received,
            "refuse_due_at": received, "info_due_at": received, "due_at": local(2026, 3, 20, 9), "status": "accepted"}
    base.update(fields)
    return Petition.objects.create(code=f"PAKN-T-{n:04d}", **base)


def test_indicators_19_to_22(world):
    on_time = local(2026, 3, 10, 9)
    late = local(2026, 3, 25, 9)
    make(world, 1, status="published", answered_at=on_time, feedback="satisfied")
    make(world, 2, status="answered", answered_at=on_time, feedback="unsatisfied")  # disliked
    make(world, 3, status="answered", answered_at=late)  # late
    make(world, 4, status="answered", answered_at=on_time, reopened_count=1, kind="conduct")  # re-complained
    make(world, 5, status="accepted", due_at=local(2026, 4, 20, 9), kind="conduct")  # open, within time at end
    make(world, 6, status="accepted", due_at=local(2026, 3, 20, 9), kind="other")  # open, overdue at end
    make(world, 7, status="refused", kind="other")  # not under own competence
    make(world, 8, received_at=local(2026, 2, 2, 9))  # outside the period
    figures = petition_indicators(start=local(2026, 3, 1), end=local(2026, 4, 1))
    assert figures["total"] == 7
    assert figures["indicator_19"] == {"numerator": 3, "denominator": 7, "ratio": 42.86}
    assert figures["indicator_20"] == {"numerator": 2, "denominator": 7, "ratio": 28.57}
    # on time: 1, 2, 4 answered by the due date + 5 open within time; competent: 6 (all but refused)
    assert figures["indicator_21"] == {"numerator": 4, "denominator": 6, "ratio": 66.67}
    # answered 4, of which 2 disliked/re-complained and 1 late
    assert figures["indicator_22"] == {"numerator": 1, "denominator": 4, "ratio": 25.0}
    assert petition_indicators(agency=world.department, start=local(2026, 3, 1),
                               end=local(2026, 4, 1))["indicator_22"]["ratio"] is None
