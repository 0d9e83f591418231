import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tinhso.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tinhso.core.events import event_publish, outbox_deliver
from tinhso.ratings.models import Answer, Criterion, Invitation, KioskDesk, Questionnaire, Rating
from tinhso.ratings.services import (
    KioskProof,
    kiosk_desk_create,
    kiosk_dossier,
    rating_submit,
    rating_update,
)
from tinhso.ratings.tests.conftest import all_levels
from tinhso.ratings.tokens import rating_token, rating_token_dossier_id


def test_the_default_questionnaire_is_the_nine_criteria_worth_18_points(db):
    questionnaire = Questionnaire.objects.get(active=True)
    criteria = list(questionnaire.criteria.all())
    assert len(criteria) == 9 and sum(c.max_points for c in criteria) == 18
    assert criteria[6].text.startswith("Thái độ của cán bộ")


def test_owner_rates_a_returned_dossier_once(world, returned):
    dossier = returned()
    answers = all_levels("very_satisfied") | {"thai-do": "unsatisfied", "cong-khai": "satisfied"}
    rating = rating_submit(actor=world.citizen, dossier_id=dossier.pk, answers=answers, comment="Cảm ơn quầy số 2")
    assert rating.score == Decimal("15.00") and rating.unsatisfied and rating.channel == "online"
    assert rating.agency == world.centre and rating.procedure_id == dossier.procedure_id
    assert set(rating.officers.all()) == {world.reception, world.unit_head, world.specialist}
    with pytest.raises(Conflict) as caught:
        rating_submit(actor=world.citizen, dossier_id=dossier.pk, answers=all_levels("satisfied"))
    assert caught.value.code == "rating_already_rated"
    assert Rating.objects.count() == 1 and Answer.objects.count() == 9


@pytest.mark.parametrize(("case", "code"), [
    ("not_returned", "rating_dossier_not_returned"),
    ("other_citizen", "rating_not_dossier_owner"),
    ("staff", "rating_not_dossier_owner"),
    ("markup", "text_markup_not_allowed"),
    ("incomplete", "rating_answers_incomplete"),
    ("bad_level", "rating_invalid_level"),
    ("kiosk_idle", "rating_kiosk_no_dossier"),
])
def test_refused_ratings_store_nothing(world, returned, case, code):
    dossier = returned(status="resolved" if case == "not_returned" else "returned")
    actor, answers, comment = world.citizen, all_levels("satisfied"), ""
    if case == "other_citizen":
        actor = world.other_citizen
    elif case == "staff":
        actor = world.reception
    elif case == "markup":
        comment = "Tốt <script>alert(1)</script>"
    elif case == "incomplete":
        answers.pop("thai-do")
    elif case == "bad_level":
        answers["thai-do"] = "tuyet-voi"
    elif case == "kiosk_idle":
        actor = KioskProof(kiosk_desk_create(agency=world.centre, name="Quầy 1", officer=world.reception))
    with pytest.raises((Conflict, PermissionDenied, ValidationFailed)) as caught:
        rating_submit(actor=actor, dossier_id=dossier.pk, answers=answers, comment=comment)
    assert caught.value.code == code
    assert not Rating.objects.exists() and not Answer.objects.exists()


def test_a_rating_is_editable_by_its_author_within_the_window(world, returned, settings):
    dossier = returned()
    rating_submit(actor=world.citizen, dossier_id=dossier.pk, answers=all_levels("unsatisfied"))
    rating = rating_update(actor=world.citizen, dossier_id=dossier.pk, answers=all_levels("satisfied"))
    assert rating.score == Decimal("9.00") and not rating.unsatisfied
    with pytest.raises(PermissionDenied):
        rating_update(actor=world.other_citizen, dossier_id=dossier.pk, answers=all_levels("very_satisfied"))
    Rating.objects.filter(pk=rating.pk).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    with pytest.raises(Conflict) as caught:
        rating_update(actor=world.citizen, dossier_id=dossier.pk, answers=all_levels("very_satisfied"))
    assert caught.value.code == "rating_edit_window_closed"
    assert Rating.objects.get().score == Decimal("9.00")


def test_the_token_names_one_dossier_and_cannot_be_forged(world, returned):
    dossier = returned()
    assert rating_token_dossier_id(rating_token(dossier.pk)) == dossier.pk
    forged = rating_token(dossier.pk)[:-2] + "xx"
    with pytest.raises(NotFound) as caught:
        rating_token_dossier_id(forged)
    assert caught.value.code == "rating_invalid_token"


def test_return_at_the_counter_invites_and_offers_the_dossier_on_the_desks_kiosk(world, returned):
    desk = kiosk_desk_create(agency=world.centre, name="Quầy 1", officer=world.reception)
    dossier = returned()
    event = event_publish(name="dossier.returned", payload={"dossier_id": dossier.pk, "method": "counter"},
                          aggregate_type="dossier", aggregate_id=str(dossier.pk))
    outbox_deliver(event_id=str(event.pk))
    assert Invitation.objects.filter(dossier=dossier).exists()
    desk.refresh_from_db()
    assert desk.current_dossier == dossier and kiosk_dossier(desk) == dossier
    rating = rating_submit(actor=KioskProof(desk), dossier_id=dossier.pk, answers=all_levels("very_satisfied"))
    assert rating.channel == "kiosk" and rating.rated_by is None and rating.score == 18
    desk.refresh_from_db()
    assert desk.current_dossier is None
    # the kiosk cannot rate another dossier of the desk's agency
    other = returned()
    with pytest.raises(PermissionDenied):
        rating_submit(actor=KioskProof(desk), dossier_id=other.pk, answers=all_levels("satisfied"))
    assert KioskDesk.objects.count() == 1


def test_a_new_questionnaire_changes_the_criteria_not_the_scale(world, returned):
    Questionnaire.objects.update(active=False)
    short = Questionnaire.objects.create(code="hai-cau", name="Hai câu", active=True)
    Criterion.objects.create(questionnaire=short, position=1, code="nhanh", text="Nhanh", max_points=3)
    Criterion.objects.create(questionnaire=short, position=2, code="lich-su", text="Lịch sự", max_points=1)
    dossier = returned()
    rating = rating_submit(actor=world.citizen, dossier_id=dossier.pk,
                           answers={"nhanh": "very_satisfied", "lich-su": "unsatisfied"})
    assert rating.score == Decimal("13.50")  # 3 of 4 points on the 18-point scale


def test_the_returned_notification_invites_with_the_signed_link(world, returned):
    from types import SimpleNamespace

    from tinhso.dossiers.notify import applicant_notify
    from tinhso.notifications.models import Notification

    dossier = returned()
    event = SimpleNamespace(id="00000000-0000-0000-0000-000000000013", name="dossier.returned",
                            payload={"dossier_id": dossier.pk, "method": "counter"})
    applicant_notify(event=event)
    in_app = Notification.objects.get(kind="dossier.returned", channel="in_app")
    assert f"/danh-gia/{rating_token(dossier.pk)}/" in in_app.body
