"""The HTTP contract of ``/api/v1/ratings/``: the questionnaire, the owner's rating of a returned dossier
(once, editable in the window), the kiosk desk, the summary; refusals coded and storing nothing; another
agency's figures and another citizen's dossiers invisible."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from tinhso.ratings.models import Answer, Rating
from tinhso.ratings.services import kiosk_desk_create, kiosk_offer_returned
from tinhso.ratings.tests.conftest import all_levels

pytestmark = pytest.mark.django_db
API = "/api/v1/ratings"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, path, body, method="post", **headers):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", headers=headers)


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code and response.json()["detail"]


def test_the_questionnaire_is_public(db):
    body = Client().get(f"{API}/questionnaire").json()
    assert len(body["criteria"]) == 9 and sum(float(c["max_points"]) for c in body["criteria"]) == 18
    assert [level["value"] for level in body["levels"]] == ["very_satisfied", "satisfied", "unsatisfied"]


def test_the_owner_rates_once_and_edits_within_the_window(world, returned):
    dossier = returned()
    client = as_user(world.citizen)
    state = client.get(f"{API}/dossiers/{dossier.code}").json()
    assert state["can_rate"] and state["rating"] is None and state["dossier"]["status"] == "returned"
    answers = all_levels("very_satisfied") | {"thai-do": "unsatisfied"}
    created = send(client, f"{API}/dossiers/{dossier.code}", {"answers": answers, "comment": "Cảm ơn"},
                   **{"Idempotency-Key": "r-1"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["rating"]["score"] == "16.00" and body["rating"]["unsatisfied"] and body["editable"]
    replay = send(client, f"{API}/dossiers/{dossier.code}", {"answers": answers, "comment": "Cảm ơn"},
                  **{"Idempotency-Key": "r-1"})
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert_problem(send(client, f"{API}/dossiers/{dossier.code}", {"answers": all_levels("satisfied")}), 409,
                   "rating_already_rated")
    edited = send(client, f"{API}/dossiers/{dossier.code}", {"answers": all_levels("satisfied")}, method="put")
    assert edited.status_code == 200 and edited.json()["rating"]["score"] == "9.00"
    Rating.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert_problem(send(client, f"{API}/dossiers/{dossier.code}", {"answers": all_levels("unsatisfied")},
                        method="put"), 409, "rating_edit_window_closed")
    assert Rating.objects.count() == 1 and Answer.objects.count() == 9


@pytest.mark.parametrize(("case", "status", "code"), [
    ("not_returned", 409, "rating_dossier_not_returned"),
    ("somebody_else", 403, "rating_not_dossier_owner"),
    ("markup", 422, "text_markup_not_allowed"),
    ("incomplete", 422, "rating_answers_incomplete"),
    ("bad_level", 422, "rating_invalid_level"),
    ("unknown", 404, "rating_dossier_not_found"),
    ("anonymous", 401, "not_authenticated"),
])
def test_refusals_are_coded_and_store_nothing(world, returned, case, status, code):
    dossier = returned(status="resolved" if case == "not_returned" else "returned")
    client, answers, comment, path = as_user(world.citizen), all_levels("satisfied"), "", dossier.code
    if case == "somebody_else":
        client = as_user(world.other_citizen)
    elif case == "markup":
        comment = "<img src=x onerror=alert(1)>"
    elif case == "incomplete":
        answers.pop("thai-do")
    elif case == "bad_level":
        answers["thai-do"] = "tuyet-voi"
    elif case == "unknown":
        path = "KHONG-CO"
    elif case == "anonymous":
        client = Client()
    assert_problem(send(client, f"{API}/dossiers/{path}", {"answers": answers, "comment": comment}), status, code)
    assert not Rating.objects.exists() and not Answer.objects.exists()


def test_somebody_elses_dossier_is_invisible(world, returned):
    dossier = returned()
    assert_problem(as_user(world.other_citizen).get(f"{API}/dossiers/{dossier.code}"), 404,
                   "rating_dossier_not_found")
    assert_problem(as_user(world.reception).get(f"{API}/dossiers/{dossier.code}"), 404, "rating_dossier_not_found")


def test_the_kiosk_rates_only_the_dossier_its_desk_returned(world, returned):
    desk = kiosk_desk_create(agency=world.centre, name="Quầy số 1", officer=world.reception)
    dossier, other = returned(), returned()
    kiosk = Client()
    idle = kiosk.get(f"{API}/kiosk/{desk.token}").json()
    assert idle["desk"]["name"] == "Quầy số 1" and idle["dossier"] is None
    assert_problem(send(kiosk, f"{API}/kiosk/{desk.token}", {"dossier": dossier.code,
                                                             "answers": all_levels("satisfied")}), 403,
                   "rating_kiosk_no_dossier")
    kiosk_offer_returned(dossier_id=dossier.pk, officer_id=world.reception.pk)
    offered = kiosk.get(f"{API}/kiosk/{desk.token}").json()
    assert offered["dossier"]["code"] == dossier.code
    assert "Nguyễn" not in json.dumps(offered, ensure_ascii=False)  # nothing personal on the tablet
    assert_problem(send(kiosk, f"{API}/kiosk/{desk.token}", {"dossier": other.code,
                                                             "answers": all_levels("satisfied")}), 403,
                   "rating_kiosk_no_dossier")
    rated = send(kiosk, f"{API}/kiosk/{desk.token}", {"dossier": dossier.code,
                                                      "answers": all_levels("very_satisfied")})
    assert rated.status_code == 201 and rated.json()["score"] == "18.00"
    assert Rating.objects.get().channel == "kiosk"
    assert kiosk.get(f"{API}/kiosk/{desk.token}").json()["dossier"] is None
    assert_problem(kiosk.get(f"{API}/kiosk/not-a-token"), 404, "rating_kiosk_unknown_desk")


def test_the_summary_is_scoped_to_the_callers_agencies(world, returned):
    dossier = returned()
    send(as_user(world.citizen), f"{API}/dossiers/{dossier.code}", {"answers": all_levels("satisfied")})
    summary = as_user(world.reception).get(f"{API}/summary", {"agency": world.centre.code}).json()
    assert summary["count"] == 1 and summary["score"] == "9.00" and summary["level_counts"]["satisfied"] == 9
    assert as_user(world.reception).get(f"{API}/summary", {"officer": world.specialist.username}).json()["count"] == 1
    assert_problem(as_user(world.citizen).get(f"{API}/summary"), 403, "forbidden")
    other = as_user(world.other_reception)
    assert_problem(other.get(f"{API}/summary", {"agency": world.centre.code}), 403, "forbidden")
    assert other.get(f"{API}/summary").json()["count"] == 0
