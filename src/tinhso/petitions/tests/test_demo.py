"""The demo's feedback: petitions in every state behind the demo wards' routing rules; a second run idle."""

import pytest

from tinhso.org.demo import demo_load
from tinhso.petitions.models import Petition, RoutingRule
from tinhso.petitions.selectors import petition_counters
from tinhso.petitions.status import Status
from tinhso.ratings.models import KioskDesk

pytestmark = pytest.mark.django_db
LOADERS = ["org.units", "org.calendar", "org.agencies", "accounts.people", "petitions.feedback", "ratings.kiosk"]


def test_demo_feedback_in_every_state_and_idempotent():
    demo_load(only=LOADERS)
    assert set(Status.values) <= set(Petition.objects.values_list("status", flat=True))
    assert Petition.objects.filter(agency__code="H44.02").exists()  # transferred to the Sở Tư pháp
    assert Petition.objects.filter(reopened_count=1).exists()
    counters = petition_counters()
    assert sum(counters.values()) == Petition.objects.count() == 20 and counters["refused"] == 2
    assert KioskDesk.objects.filter(agency__code="H44.101.01").count() == 1
    demo_load(only=LOADERS)
    assert Petition.objects.count() == 20 and RoutingRule.objects.count() == 4 and KioskDesk.objects.count() == 1
