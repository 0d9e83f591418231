"""The HTTP contract of ``/api/v1/petitions/``: sending (signed in, anonymous with an OTP), staff intake,
queue, detail with available_actions, actions by name, public list and counters, lookup by code and
phone, the sender's rating and objection; bad input coded in Vietnamese and storing nothing; another
agency's petitions invisible."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tinhso.core.models import AuditEntry, StoredFile
from tinhso.dossiers.tests import factories as f
from tinhso.petitions.models import Petition
from tinhso.petitions.tests.test_intake import _issued_code

pytestmark = pytest.mark.django_db
API = "/api/v1/petitions"
PHONE = "0903123456"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client, path, body, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def form(**overrides):
    values = {"kind": "regulation", "subject": "Bị yêu cầu nộp giấy tờ ngoài quy định",
              "content": "Khi nộp hồ sơ khai sinh, tôi được yêu cầu nộp thêm giấy xác nhận cư trú.",
              "commune_code": "07900"}
    values.update(overrides)
    return values


def photo(name="anh.png", content=None):
    return SimpleUploadedFile(name, content if content is not None else f.png_bytes(), content_type="image/png")


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code and problem["detail"]
    return problem


def send(world, **overrides):
    response = as_user(world.citizen).post(API, {**form(**overrides), "files": [photo()]})
    assert response.status_code == 201, response.content
    return response.json()


def act(client, code, name, **data):
    return post_json(client, f"{API}/{code}/actions/{name}", data)


def test_signed_in_citizen_sends_with_a_photo_and_reads_it(world):
    created = send(world)
    assert created["code"].startswith("PAKN-") and created["agency"]["code"] == "H44.12"
    assert created["status"] == "pending" and created["attachments"] == 1 and created["due_at"].endswith("+07:00")
    detail = as_user(world.citizen).get(f"{API}/{created['code']}").json()
    assert detail["sender"]["name"] == "Nguyễn Văn An" and detail["available_actions"] == []
    assert detail["attachments"][0]["content_type"] == "image/png"
    photo_url = f"{API}/{created['code']}/attachments/{detail['attachments'][0]['id']}"
    assert as_user(world.citizen).get(photo_url).status_code == 200
    assert as_user(world.other_citizen).get(photo_url).status_code == 404


def test_anonymous_sender_requests_and_confirms_an_otp(world, monkeypatch, settings):
    settings.TINHSO_OTP_RESEND_SECONDS = 0
    codes = _issued_code(monkeypatch)
    client = Client()
    assert post_json(client, f"{API}/otp", {"phone": PHONE}).status_code == 202
    body = form(sender_name="Lê Thị Cúc", sender_phone=PHONE, otp_code=codes[-1])
    created = client.post(API, {**body, "files": [photo()]})
    assert created.status_code == 201, created.content
    petition = Petition.objects.get(code=created.json()["code"])
    assert petition.sender_user is None and petition.phone_verified
    before = (Petition.objects.count(), StoredFile.objects.count())
    replay = client.post(API, {**body, "files": [photo("anh-2.png")]})
    assert_problem(replay, 422, "otp_expired")
    wrong = client.post(API, {**body, "otp_code": "000000" if codes[-1] != "000000" else "111111"})
    assert wrong.status_code == 422
    assert_problem(client.post(API, {**body, "otp_code": ""}), 422, "petition_otp_required")
    assert_problem(post_json(client, f"{API}/otp", {"phone": "12"}), 422, "invalid_phone")
    assert (Petition.objects.count(), StoredFile.objects.count()) == before


@pytest.mark.parametrize(("overrides", "files", "code"), [
    ({"subject": 'Xem <a href="http://x">đây</a>'}, [], "text_markup_not_allowed"),
    ({"content": "<script>alert(1)</script>"}, [], "text_markup_not_allowed"),
    ({"subject": ""}, [], "petition_text_required"),
    ({"kind": "gossip"}, [], "petition_invalid_kind"),
    ({"commune_code": "99999"}, [], "petition_unknown_commune"),
    ({}, [SimpleUploadedFile("giay-to.pdf", b"%PDF-1.4 but not really a pdf")], "file_damaged"),
])
def test_bad_input_is_coded_in_vietnamese_and_stores_nothing(world, overrides, files, code):
    response = as_user(world.citizen).post(API, {**form(**overrides), "files": [photo(), *files]})
    problem = response.json()
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert problem["code"] == code or (code.startswith("file_") and problem["code"].startswith("file_")), problem
    assert any(ch in problem["detail"] for ch in "ảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵđ")
    assert not Petition.objects.exists() and not StoredFile.objects.exists()


def test_idempotency_key_replays_the_sending(world):
    client = as_user(world.citizen)
    first = client.post(API, form(), headers={"Idempotency-Key": "pakn-1"})
    again = client.post(API, form(), headers={"Idempotency-Key": "pakn-1"})
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json()["code"] == again.json()["code"] and Petition.objects.count() == 1


def test_staff_intake_by_hotline(world):
    created = as_user(world.reception).post(f"{API}/intake", form(channel="hotline", sender_name="Ông Hùng",
                                                                  sender_phone="0912000111"))
    assert created.status_code == 201, created.content
    assert Petition.objects.get(code=created.json()["code"]).channel == "hotline"
    assert_problem(as_user(world.reception).post(f"{API}/intake", form(channel="portal", sender_name="X")), 422,
                   "petition_invalid_channel")
    assert_problem(as_user(world.citizen).post(f"{API}/intake", form(channel="hotline", sender_name="X")), 403,
                   "petition_not_handling_staff")
    assert_problem(Client().post(f"{API}/intake", form(channel="hotline")), 401, "not_authenticated")
    assert Petition.objects.count() == 1


def test_the_round_trip_through_the_api(world):
    code = send(world)["code"]
    reception = as_user(world.reception)
    queue = reception.get(f"{API}/queue").json()
    assert queue["count"] == 1 and queue["items"][0]["sender"] == {"name": "Nguyễn V. A.", "phone": "09****678"}
    detail = reception.get(f"{API}/{code}")
    assert detail["ETag"] == '"2"'
    assert [a["name"] for a in detail.json()["available_actions"]] == ["accept", "transfer", "refuse"]
    assert detail.json()["sender"]["phone"] == f.CITIZEN_PHONE
    assert AuditEntry.objects.filter(action="personal_data.read").exists()
    # transfer to the department restarts its clock there
    moved = act(reception, code, "transfer", agency="H44.02", reason="Thuộc thẩm quyền của Sở Tư pháp",
                expected_version=2)
    assert moved.status_code == 200, moved.content
    assert moved.json()["agency"]["code"] == "H44.02" and moved.json()["available_actions"] == []
    dept, dept_leader = as_user(world.dept_reception), as_user(world.dept_leader)
    assert act(dept, code, "accept").status_code == 200
    assign = next(a for a in dept_leader.get(f"{API}/{code}").json()["available_actions"] if a["name"] == "assign")
    assert [c["value"] for c in assign["fields"][0]["choices"]] == ["chuyenvien-so"]
    assert act(dept_leader, code, "assign", assignee="chuyenvien-so").status_code == 200
    assert act(as_user(world.dept_specialist), code, "draft_answer",
               answer="Giấy xác nhận cư trú không phải thành phần hồ sơ đăng ký khai sinh.").status_code == 200
    assert act(dept_leader, code, "approve").json()["status"] == "answered"
    assert act(dept, code, "publish").json()["status"] == "published"
    # the public list, with and without diacritics, never shows the sender
    for q in ("giấy xác nhận cư trú", "giay xac nhan cu tru", code.lower()):
        found = Client().get(f"{API}/public", {"q": q}).json()
        assert found["count"] == 1 and found["items"][0]["code"] == code, q
    row = Client().get(f"{API}/public", {"agency": "H44.02"}).json()["items"][0]
    assert "sender" not in row and "Nguyễn" not in json.dumps(row, ensure_ascii=False)
    assert Client().get(f"{API}/public", {"agency": "H44.12"}).json()["count"] == 0
    assert Client().get(f"{API}/public", {"from": "2000-01-01", "to": "2000-01-31"}).json()["count"] == 0
    assert Client().get(f"{API}/counters", {"agency": "H44.02"}).json() == {
        "agency": "H44.02", "answered": 1, "in_progress": 0, "refused": 0}
    # the sender rates it unhappy and objects once: it reopens at the department
    citizen = as_user(world.citizen)
    assert [a["name"] for a in citizen.get(f"{API}/{code}").json()["available_actions"]] == ["rate"]
    assert act(citizen, code, "rate", feedback="unsatisfied").status_code == 200
    assert_problem(act(citizen, code, "rate", feedback="satisfied"), 409, "petition_already_rated")
    reopened = act(citizen, code, "object", reason="Trả lời chưa giải quyết việc tôi bị yêu cầu thêm giấy tờ.")
    assert reopened.json()["status"] == "accepted" and reopened.json()["reopened_count"] == 1
    assert Client().get(f"{API}/public").json()["count"] == 0
    assert Client().get(f"{API}/counters").json()["in_progress"] == 1


def test_another_agency_sees_nothing(world):
    code = send(world)["code"]
    outsider = as_user(world.outsider)
    assert_problem(outsider.get(f"{API}/{code}"), 404, "petition_not_found")
    assert outsider.get(f"{API}/queue").json()["count"] == 0
    assert_problem(act(outsider, code, "accept"), 404, "petition_not_found")
    assert_problem(as_user(world.other_citizen).get(f"{API}/{code}"), 404, "petition_not_found")
    assert_problem(Client().get(f"{API}/{code}"), 401, "not_authenticated")
    assert Petition.objects.get(code=code).status == "pending"


def test_forbidden_and_stale_actions_are_coded(world):
    code = send(world)["code"]
    reception = as_user(world.reception)
    assert_problem(act(as_user(world.specialist), code, "assign", assignee="chuyenvien"), 403,
                   "petition_not_handling_staff")
    assert_problem(act(reception, code, "accept", expected_version=1), 409, "petition_state_changed")
    assert_problem(act(reception, code, "fly"), 404, "action_not_found")
    assert_problem(act(reception, code, "refuse"), 422, "invalid_input")
    assert_problem(act(reception, code, "refuse", reason="<b>không</b>"), 422, "text_markup_not_allowed")
    bad_json = reception.post(f"{API}/{code}/actions/accept", data="[1]", content_type="application/json")
    assert_problem(bad_json, 422, "invalid_input")
    assert Petition.objects.get(code=code).status == "pending"


def test_lookup_and_anonymous_sender_actions_by_code_and_phone(world, monkeypatch, settings):
    settings.TINHSO_OTP_RESEND_SECONDS = 0
    codes = _issued_code(monkeypatch)
    client = Client()
    post_json(client, f"{API}/otp", {"phone": PHONE})
    code = client.post(API, form(sender_name="Lê Thị Cúc", sender_phone=PHONE, otp_code=codes[-1])).json()["code"]
    found = post_json(client, f"{API}/lookup", {"code": code.lower(), "phone": "+84903123456"})
    assert found.status_code == 200 and found.json()["code"] == code and found.json()["sender"]["name"] == "Lê Thị Cúc"
    assert_problem(post_json(client, f"{API}/lookup", {"code": code, "phone": "0903000000"}), 404,
                   "petition_lookup_failed")
    assert_problem(post_json(client, f"{API}/lookup", {"code": "PAKN-000000-0000", "phone": PHONE}), 404,
                   "petition_lookup_failed")
    reception, leader = as_user(world.reception), as_user(world.leader)
    act(reception, code, "accept")
    act(reception, code, "request_info", question="Ông/Bà nộp hồ sơ ngày nào?")
    assert_problem(act(client, code, "provide_info", answer="x", phone="0903000000"), 404, "petition_lookup_failed")
    answered = act(client, code, "provide_info", answer="Ngày 05/01/2026.", phone=PHONE)
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    act(leader, code, "assign", assignee="chuyenvien")
    act(as_user(world.specialist), code, "draft_answer", answer="Trả lời.")
    act(leader, code, "approve")
    rated = act(client, code, "rate", feedback="satisfied", phone=PHONE)
    assert rated.json()["feedback"] == "satisfied"
    assert_problem(act(client, code, "object", reason="Không đồng ý", phone=PHONE), 409,
                   "petition_objection_needs_unhappy")


def test_lookup_is_rate_limited(world, settings):
    settings.TINHSO_PETITION_LOOKUP_PER_HOUR = 2
    client = Client()
    for _ in range(2):
        post_json(client, f"{API}/lookup", {"code": "PAKN-1", "phone": PHONE})
    assert_problem(post_json(client, f"{API}/lookup", {"code": "PAKN-1", "phone": PHONE}), 429,
                   "petition_rate_limited")


def test_counters_for_the_province_and_an_unknown_agency(world):
    send(world)
    assert Client().get(f"{API}/counters").json() == {"agency": None, "answered": 0, "in_progress": 1, "refused": 0}
    assert_problem(Client().get(f"{API}/counters", {"agency": "H99.99"}), 404, "petition_unknown_agency")


def test_openapi_describes_every_petition_path(client):
    spec = client.get("/api/v1/openapi.json").json()
    paths = [p for p in spec["paths"] if p.startswith("/api/v1/petitions")]
    assert len(paths) >= 9
    submit = spec["paths"]["/api/v1/petitions"]["post"]
    assert "multipart/form-data" in submit["requestBody"]["content"]


def test_lists_cost_the_same_queries_for_more_rows(world, send, settings):
    settings.TINHSO_PETITION_SUBMIT_PER_HOUR = 0
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tinhso.petitions.status import Status

    def measured():
        reception = as_user(world.reception)
        with CaptureQueriesContext(connection) as public:
            assert Client().get(f"{API}/public").status_code == 200
        with CaptureQueriesContext(connection) as queue:
            assert reception.get(f"{API}/queue").status_code == 200
        with CaptureQueriesContext(connection) as counters:
            assert Client().get(f"{API}/counters").status_code == 200
        return len(public), len(queue), len(counters)

    for _ in range(2):
        send()
    Petition.objects.update(status=Status.PUBLISHED)
    from tinhso.petitions.services import petition_tallies_rebuild

    petition_tallies_rebuild()
    send()  # open ones, for the queue
    few = measured()
    for _ in range(5):
        send()
    Petition.objects.filter(status="pending").exclude(pk=Petition.objects.filter(status="pending").first().pk) \
        .update(status=Status.PUBLISHED)
    petition_tallies_rebuild()
    for _ in range(3):
        send()
    assert measured() == few
