import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tinhso.core.errors import PermissionDenied
from tinhso.petitions.models import Petition
from tinhso.ratings.selectors import indicator_23, rating_summary
from tinhso.ratings.services import rating_submit
from tinhso.ratings.tests.conftest import all_levels

MAY = timezone.make_aware(dt.datetime(2026, 5, 12, 9, 0))
JUNE = timezone.make_aware(dt.datetime(2026, 6, 3, 9, 0))


def rate(world, dossier, answers, at):
    from tinhso.ratings.models import Rating

    rating = rating_submit(actor=world.citizen, dossier_id=dossier.pk, answers=answers)
    Rating.objects.filter(pk=rating.pk).update(created_at=at)
    return rating


def test_summary_per_agency_officer_procedure_and_period(world, returned):
    a, b, c = returned(at=MAY), returned(at=MAY), returned(at=JUNE, agency=world.other)
    rate(world, a, all_levels("very_satisfied"), MAY)  # 18
    rate(world, b, all_levels("satisfied") | {"thai-do": "unsatisfied"}, MAY)  # 8 × 1 = 8
    rate(world, c, all_levels("unsatisfied"), JUNE)  # 0
    everything = rating_summary(actor=world.leader.__class__.objects.create_superuser("qt", password="x"))
    assert everything.count == 3 and everything.answers == 27
    assert everything.level_counts == {"very_satisfied": 9, "satisfied": 8, "unsatisfied": 10}
    assert everything.level_shares["unsatisfied"] == Decimal("37.04")
    assert everything.score == Decimal("8.67") and everything.unsatisfied_count == 2

    centre = rating_summary(actor=world.leader, agency=world.centre)
    assert centre.count == 2 and centre.score == Decimal("13.00")
    scoped = rating_summary(actor=world.leader)  # the centre's leader sees only the centre
    assert scoped.count == 2
    with pytest.raises(PermissionDenied):
        rating_summary(actor=world.leader, agency=world.other)
    may = rating_summary(actor=world.leader, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31))
    assert may.count == 2
    june = rating_summary(actor=world.leader, start=dt.date(2026, 6, 1))
    assert june.count == 0 and june.score is None and june.level_shares["satisfied"] == 0
    officer = rating_summary(actor=world.leader, officer=world.specialist)
    assert officer.count == 2
    assert rating_summary(actor=world.leader, officer=world.clerk).count == 0
    assert rating_summary(actor=world.leader, procedure=a.procedure).count == 2
    with pytest.raises(PermissionDenied):
        rating_summary(actor=world.citizen)


def test_indicator_23_counts_late_petitioned_and_disliked_dossiers(world, returned):
    dossiers = [returned(at=MAY) for _ in range(10)]
    admin = world.leader.__class__.objects.create_superuser("qt", password="x")
    full = indicator_23(actor=admin, agency=world.centre)
    assert (full.dossiers, full.percent, full.points) == (10, Decimal("100.00"), Decimal("6.00"))
    from tinhso.dossiers.models import Dossier

    Dossier.objects.filter(pk=dossiers[0].pk).update(verdict="late")
    rate(world, dossiers[1], all_levels("satisfied") | {"thai-do": "unsatisfied"}, MAY)
    rate(world, dossiers[2], all_levels("satisfied"), MAY)  # no dislike
    Petition.objects.create(**_petition_fields(world, dossiers[3]))
    result = indicator_23(actor=admin, agency=world.centre)
    assert (result.late, result.complained) == (1, 2)
    assert result.percent == Decimal("70.00") and result.points == Decimal("4.67")  # 70 × 6 / 90
    assert indicator_23(actor=admin, start=dt.date(2026, 6, 1)).points is None
    assert indicator_23(actor=world.leader).dossiers == 10


def _petition_fields(world, dossier):
    from tinhso.petitions.models import Petition

    fields = {"dossier": dossier, "agency": world.centre}
    for f in Petition._meta.concrete_fields:
        if f.name in fields or f.null or f.has_default() or f.primary_key or getattr(f, "auto_now_add", False):
            continue
        if f.get_internal_type() in ("CharField", "TextField"):
            fields[f.name] = f.choices[0][0] if f.choices else "x"
        elif f.get_internal_type() == "DateTimeField":
            fields[f.name] = MAY
    return fields
