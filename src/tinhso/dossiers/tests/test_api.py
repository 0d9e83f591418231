"""The HTTP contract: problem+json codes, 201 shapes, idempotency, scoping, masking, query counts."""

from __future__ import annotations

import json
import sys
import types

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tinhso.accounts.services import apikey_create
from tinhso.core.models import AuditEntry, StoredFile
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.tests import factories as f
from tinhso.signing.services import pdf_verify

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_key(world, agency, *roles) -> Client:
    _key, raw = apikey_create(actor=None, agency=agency, roles=list(roles), name="Cổng tích hợp")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post_json(client, path, body, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def body_for(world, owner=None, **overrides):
    body = {"procedure_code": world.proc.code, "channel": "online", "applicant": f.applicant(),
            "documents": world.documents(owner or world.citizen), "form_data": {}}
    body.update(overrides)
    return body


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code and problem["detail"]
    return problem


# --- files -----------------------------------------------------------------------------------------------


def upload(client, name, content, **headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/v1/files", {"file": SimpleUploadedFile(name, content)}, **headers)


def test_upload_real_pdf_and_png(world):
    client = as_user(world.citizen)
    response = upload(client, "to-khai.pdf", f.pdf_bytes(2))
    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"id", "sha256", "size", "content_type"}
    assert body["content_type"] == "application/pdf" and body["page_count"] == 2
    png = upload(client, "anh.png", f.png_bytes())
    assert png.status_code == 201 and png.json()["content_type"] == "image/png"
    download = client.get(f"/api/v1/files/{body['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert as_user(world.other_citizen).get(f"/api/v1/files/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("ghi-chu.pdf", "Đây là văn bản thuần, không phải PDF".encode(), "file_type_not_allowed"),
        ("gia-mao.pdf", b"%PDF-1.7\nkhong co cau truc pdf nao ca\n", "file_type_not_allowed"),
        ("anh.png", f.pdf_bytes(), "file_type_not_allowed"),  # a PDF renamed .png
        ("chay.exe", b"MZ\x90\x00", "file_type_not_allowed"),
        ("rong.pdf", b"", "file_empty"),
    ],
)
def test_upload_refuses_files_that_are_not_what_they_claim(world, name, content, code):
    assert_problem(upload(as_user(world.citizen), name, content), 422, code)
    assert not StoredFile.objects.exists()


def test_upload_too_large(world, settings):
    settings.TINHSO_MAX_UPLOAD_BYTES = 1000
    assert_problem(upload(as_user(world.citizen), "lon.pdf", f.pdf_bytes() + b"\n" * 2000), 422, "file_too_large")
    assert not StoredFile.objects.exists()


def test_upload_needs_login(world):
    assert_problem(upload(Client(), "a.pdf", f.pdf_bytes()), 401, "not_authenticated")


def test_upload_is_idempotent(world):
    client = as_user(world.citizen)
    first = upload(client, "a.pdf", f.pdf_bytes(), HTTP_IDEMPOTENCY_KEY="tep-1")
    again = upload(client, "a.pdf", f.pdf_bytes(), HTTP_IDEMPOTENCY_KEY="tep-1")
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert StoredFile.objects.count() == 1


# --- creating dossiers -----------------------------------------------------------------------------------


def test_create_online_dossier(world):
    response = post_json(as_user(world.citizen), "/api/v1/dossiers", body_for(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("H44.12-") and body["status"] == "submitted"
    assert body["national_status_code"] == 1 and body["status_label"] == "Mới đăng ký"
    assert Dossier.objects.get().code == body["code"]


def test_idempotency_key_replays_the_same_dossier(world):
    client = as_user(world.citizen)
    body = body_for(world)
    first = post_json(client, "/api/v1/dossiers", body, HTTP_IDEMPOTENCY_KEY="nop-ho-so-1")
    again = post_json(client, "/api/v1/dossiers", body, HTTP_IDEMPOTENCY_KEY="nop-ho-so-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["code"] == first.json()["code"] and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    other = dict(body, note="khác")
    assert_problem(post_json(client, "/api/v1/dossiers", other, HTTP_IDEMPOTENCY_KEY="nop-ho-so-1"), 422,
                   "idempotency_key_reused")
    # keys are per user: the same key from another caller is another request
    other_client = as_user(world.other_citizen)
    second = post_json(other_client, "/api/v1/dossiers",
                       body_for(world, world.other_citizen, applicant=f.applicant(id_number=f.OTHER_CITIZEN_ID)),
                       HTTP_IDEMPOTENCY_KEY="nop-ho-so-1")
    assert second.status_code == 201 and second.json()["code"] != first.json()["code"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda b: b["applicant"].update(id_number="00109901234"), "invalid_id_number"),
        (lambda b: b["applicant"].update(kind="business", tax_code="0100109107", id_number=""), "invalid_tax_code"),
        (lambda b: b["applicant"].update(phone="0123"), "invalid_phone"),
        (lambda b: b.update(procedure_code="1.999999"), "procedure_not_found"),
        (lambda b: b.update(documents=b["documents"][:1]), "missing_required_document"),
        (lambda b: b["documents"][0].update(file_ids=["00000000-0000-0000-0000-000000000000"]), "file_not_found"),
    ],
)
def test_invalid_input_is_problem_json_and_stores_nothing(world, change, code):
    body = body_for(world)
    change(body)
    problem = assert_problem(post_json(as_user(world.citizen), "/api/v1/dossiers", body), 422, code)
    assert problem["type"] == f"urn:tinhso:error:{code}"
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()


def test_wrong_file_type_for_component_over_http(world):
    body = body_for(world)
    image = f.upload(world.citizen, "to-khai.jpg", f.jpeg_bytes())
    body["documents"][0]["file_ids"] = [str(image.pk)]
    assert_problem(post_json(as_user(world.citizen), "/api/v1/dossiers", body), 422, "file_type_not_allowed")
    assert not Dossier.objects.exists()


def test_null_for_a_missing_applicant_field_is_accepted(world):
    """A business has no identification number: integrators send JSON null, not an empty string."""
    client = api_key(world, world.centre, "reception")
    key_user = Dossier._meta.get_field("created_by").related_model.objects.get(kind="service")
    applicant = f.applicant(kind="business", full_name="Công ty TNHH Chè Đất Tổ", tax_code="0100109106")
    applicant.update(id_number=None, email=None, address=None)
    response = post_json(client, "/api/v1/dossiers", body_for(world, key_user, channel="counter", applicant=applicant))
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert (dossier.applicant_tax_code, dossier.applicant_id_number, dossier.applicant_email) == ("0100109106", "", "")


def test_counter_intake_with_api_key(world):
    client = api_key(world, world.centre, "reception")
    key_user = Dossier._meta.get_field("created_by").related_model.objects.get(kind="service")
    body = body_for(world, key_user, channel="counter")
    response = post_json(client, "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "received" and created["national_status_code"] == 2
    assert created["received_at"].endswith("+07:00") and created["due_at"] > created["received_at"]


def test_api_key_of_another_agency_cannot_intake(world):
    client = api_key(world, world.other, "reception")
    key_user = Dossier._meta.get_field("created_by").related_model.objects.get(kind="service")
    assert_problem(post_json(client, "/api/v1/dossiers", body_for(world, key_user, channel="post")), 403, "forbidden")
    assert not Dossier.objects.exists()


# --- reading: scope, masking, audit, query counts --------------------------------------------------------


def test_citizens_see_only_their_own_dossiers(world, submit):
    mine = submit()
    other_client = as_user(world.other_citizen)
    assert_problem(other_client.get(f"/api/v1/dossiers/{mine.code}"), 404, "dossier_not_found")
    assert other_client.get("/api/v1/dossiers").json()["count"] == 0
    detail = as_user(world.citizen).get(f"/api/v1/dossiers/{mine.code}")
    assert detail.status_code == 200 and detail["ETag"] == f'"{mine.version}"'
    body = detail.json()
    assert body["applicant"]["id_number"] == f.CITIZEN_ID  # the applicant's own data is not masked
    assert "actor" not in body["timeline"][0]  # no officer names for the applicant


def test_staff_see_only_their_agencies_and_lists_are_masked(world, submit):
    dossier = submit()
    assert_problem(as_user(world.other_reception).get(f"/api/v1/dossiers/{dossier.code}"), 404, "dossier_not_found")
    assert as_user(world.other_reception).get("/api/v1/dossiers").json()["count"] == 0
    listed = as_user(world.reception).get("/api/v1/dossiers").json()
    assert listed["count"] == 1
    applicant = listed["items"][0]["applicant"]
    assert applicant["id_number"] == "0010****2345" and applicant["phone"] == "09****678"
    before = AuditEntry.objects.filter(action="personal_data.read").count()
    detail = as_user(world.reception).get(f"/api/v1/dossiers/{dossier.code}").json()
    assert AuditEntry.objects.filter(action="personal_data.read").count() == before + 1
    assert detail["applicant"]["id_number"] == f.CITIZEN_ID
    assert [a["name"] for a in detail["available_actions"]] == ["receive", "request_supplement", "refuse"]
    assert detail["available_actions"][2]["fields"][0] == {"name": "reason", "type": "textarea", "required": True,
                                                           "label": "Lý do từ chối tiếp nhận", "choices": None}


def test_list_query_count_does_not_grow_with_rows(world, submit):
    client = as_user(world.reception)
    submit()
    client.get("/api/v1/dossiers")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/dossiers").json()["count"] == 1
    for _ in range(6):
        submit()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/dossiers").json()["count"] == 7
    assert len(many) == len(few)


def test_list_query_budget(world, submit, django_assert_max_num_queries):
    for _ in range(3):
        submit()
    client = as_user(world.citizen)
    client.get("/api/v1/dossiers")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/dossiers")


# --- actions ---------------------------------------------------------------------------------------------


def test_receive_over_http(world, submit):
    dossier = submit()
    client = as_user(world.reception)
    response = post_json(client, f"/api/v1/dossiers/{dossier.code}/actions/receive", {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "received" and body["received_at"] and body["due_at"]
    assert body["action"] == "receive"
    assert body["available_actions"] == []  # the unit head acts next


def test_actions_errors(world, submit):
    dossier = submit()
    path = f"/api/v1/dossiers/{dossier.code}/actions"
    assert_problem(post_json(as_user(world.specialist), f"{path}/receive", {}), 403, "forbidden")
    assert_problem(post_json(as_user(world.other_reception), f"{path}/receive", {}), 404, "dossier_not_found")
    assert_problem(post_json(as_user(world.reception), f"{path}/dance", {}), 404, "action_not_found")
    assert_problem(post_json(as_user(world.reception), f"{path}/refuse", {"reason": ""}), 422, "reason_required")
    assert_problem(post_json(as_user(world.reception), f"{path}/receive", {}, HTTP_IF_MATCH='"1"'), 409,
                   "dossier_state_changed")
    assert_problem(post_json(as_user(world.reception), f"{path}/receive", {"expected_version": 99}), 409,
                   "dossier_state_changed")
    assert post_json(as_user(world.reception), f"{path}/receive", {}, HTTP_IF_MATCH=f'"{dossier.version}"'
                     ).status_code == 200
    assert_problem(post_json(as_user(world.reception), f"{path}/receive", {}), 409, "invalid_state")


def test_supplement_round_trip_over_http(world, submit):
    dossier = submit()
    path = f"/api/v1/dossiers/{dossier.code}/actions"
    requested = post_json(as_user(world.reception), f"{path}/request_supplement", {
        "items": [{"required_document": "cccd", "reason": "Ảnh mờ"}], "reason": "Chưa đủ"})
    assert requested.status_code == 200 and requested.json()["result"]["type"] == "SupplementRequest"
    citizen = as_user(world.citizen)
    actions = citizen.get(f"/api/v1/dossiers/{dossier.code}").json()["available_actions"]
    assert [a["name"] for a in actions] == ["submit_supplement", "withdraw"]
    file_id = str(f.upload(world.citizen, "cccd.png", f.png_bytes()).pk)
    sent = post_json(citizen, f"{path}/submit_supplement",
                     {"documents": [{"required_document": "cccd", "file_ids": [file_id]}]})
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert_problem(post_json(as_user(world.reception), f"{path}/request_supplement",
                             {"items": [{"name": "x"}], "reason": "y"}), 409, "supplement_already_requested")


def test_action_idempotency(world, submit):
    dossier = submit()
    client = as_user(world.reception)
    path = f"/api/v1/dossiers/{dossier.code}/actions/receive"
    first = post_json(client, path, {}, HTTP_IDEMPOTENCY_KEY="nhan-1")
    again = post_json(client, path, {}, HTTP_IDEMPOTENCY_KEY="nhan-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"


# --- forms -----------------------------------------------------------------------------------------------


@pytest.fixture
def fake_forms(monkeypatch):
    calls = []
    module = types.ModuleType("tinhso.dossiers.printing")

    def render_form(*, dossier, kind):
        calls.append((dossier.code, kind))
        return b"%PDF-1.4 fake"

    module.render_form = render_form
    monkeypatch.setitem(sys.modules, "tinhso.dossiers.printing", module)
    return calls


def test_form_pdf_endpoint(world, received, fake_forms):
    dossier = received()
    response = as_user(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.4 fake" and fake_forms == [(dossier.code, "receipt")]
    assert_problem(as_user(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/forms/refusal.pdf"), 404,
                   "form_not_issued")
    assert_problem(as_user(world.other_citizen).get(f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf"), 404,
                   "dossier_not_found")
    assert as_user(world.reception).get(f"/api/v1/dossiers/{dossier.code}/forms/handover-log.pdf").status_code == 200
    assert fake_forms[-1] == (dossier.code, "handover_log")


# --- tracking --------------------------------------------------------------------------------------------


def test_tracking_shows_progress_without_personal_data(world, received):
    dossier = received()
    response = Client().get(f"/api/v1/tracking/{dossier.code}", {"phone": "+84 912 345 678"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "received" and body["national_status_code"] == 2 and body["due_at"]
    assert [e["label"] for e in body["timeline"]] == ["Mới đăng ký", "Được tiếp nhận"]
    text = response.content.decode()
    for secret in (f.CITIZEN_ID, f.CITIZEN_PHONE, "Nguyễn Văn An", "an@example.vn", "Trần Thị Tiếp Nhận"):
        assert secret not in text


def test_tracking_wrong_phone_and_unknown_code_look_the_same(world, received):
    dossier = received()
    wrong_phone = Client().get(f"/api/v1/tracking/{dossier.code}", {"phone": "0987654321"})
    unknown = Client().get("/api/v1/tracking/H44.12-260101-9999", {"phone": f.CITIZEN_PHONE})
    assert_problem(wrong_phone, 404, "dossier_not_found")
    assert wrong_phone.json() == unknown.json()


def test_tracking_is_rate_limited(world, received, settings):
    settings.TINHSO_TRACKING_RATE_LIMIT = 3
    dossier = received()
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.get(f"/api/v1/tracking/{dossier.code}", {"phone": f.CITIZEN_PHONE}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert_problem(client.get(f"/api/v1/tracking/{dossier.code}", {"phone": f.CITIZEN_PHONE}), 429, "rate_limited")
    other_ip = Client(REMOTE_ADDR="203.0.113.8")
    assert other_ip.get(f"/api/v1/tracking/{dossier.code}", {"phone": f.CITIZEN_PHONE}).status_code == 200


# --- processing endpoints (issue #5) ---------------------------------------------------------------------


def test_processing_over_http_to_the_applicants_download(world, received, pki):
    dossier = received()
    path = f"/api/v1/dossiers/{dossier.code}"
    head = as_user(world.unit_head)
    actions = head.get(path).json()["available_actions"]
    assign = next(a for a in actions if a["name"] == "assign")
    assert {"value": "chuyenvien", "label": "Phạm Thị Chuyên"} in assign["fields"][0]["choices"]
    assert post_json(head, f"{path}/actions/assign", {"assignee": "chuyenvien"}).json()["status"] == "processing"
    queue = as_user(world.specialist).get("/api/v1/work-queue").json()
    assert queue["count"] == 1 and queue["items"][0]["code"] == dossier.code
    assert queue["items"][0]["applicant"]["phone"] == "09****678"
    assert post_json(as_user(world.specialist), f"{path}/actions/forward", {}).status_code == 200
    assert post_json(as_user(world.leader), f"{path}/actions/approve", {}).status_code == 200
    assert_problem(as_user(world.citizen).get(f"{path}/result"), 404, "result_not_available")
    issued = post_json(as_user(world.clerk), f"{path}/actions/issue_result", {})
    assert issued.status_code == 200 and issued.json()["national_status_code"] == 9
    download = as_user(world.citizen).get(f"{path}/result")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    report = pdf_verify(pdf=b"".join(download.streaming_content))  # the e-result the leader and the clerk signed
    assert report.verdict == "valid" and len(report.signatures) == 2
    assert_problem(as_user(world.other_citizen).get(f"{path}/result"), 404, "dossier_not_found")
    returned = post_json(as_user(world.reception), f"{path}/actions/return_result", {"method": "electronic"})
    assert returned.json()["status"] == "returned" and returned.json()["available_actions"] == []
    handovers = as_user(world.citizen).get(f"{path}/handovers").json()
    assert [h["step_code"] for h in handovers["items"]] == ["reception", "phan-cong", "tham-dinh", "phe-duyet",
                                                             "ban-hanh"]
    assert handovers["agency_results"][0]["agency"]["code"] == "H44.12"
    detail = as_user(world.citizen).get(path).json()
    submitted = next(d for d in detail["documents"] if d["role"] == "submitted")
    assert as_user(world.citizen).get(submitted["url"]).status_code == 200
    assert_problem(as_user(world.other_citizen).get(submitted["url"]), 404, "dossier_not_found")


def test_work_queue_endpoint_filters(world, received):
    received()
    client = as_user(world.unit_head)
    assert client.get("/api/v1/work-queue", {"flag": "overdue"}).json()["count"] == 0
    assert client.get("/api/v1/work-queue", {"step": "phan-cong"}).json()["count"] == 1
    assert client.get("/api/v1/work-queue", {"step": "tham-dinh"}).json()["count"] == 0
    assert_problem(client.get("/api/v1/work-queue", {"flag": "x"}), 422, "invalid_filter")
    assert_problem(Client().get("/api/v1/work-queue"), 401, "not_authenticated")


# --- what the applicant may see (issue #18, item 8) --------------------------------------------------------


def test_applicant_does_not_see_an_unissued_result(world, received, pki):
    dossier = received()
    path = f"/api/v1/dossiers/{dossier.code}"
    post_json(as_user(world.unit_head), f"{path}/actions/assign", {"assignee": "chuyenvien"})
    post_json(as_user(world.specialist), f"{path}/actions/forward", {})
    assert post_json(as_user(world.leader), f"{path}/actions/approve", {}).status_code == 200
    staff_roles = [d["role"] for d in as_user(world.leader).get(path).json()["documents"]]
    assert "result" in staff_roles  # the signed result exists, waiting for the clerk to issue it
    body = as_user(world.citizen).get(path).json()
    assert body["status"] == "processing"
    assert [d["role"] for d in body["documents"]] == ["submitted"] * len(body["documents"])
    assert "sha256" not in json.dumps([d for d in body["documents"] if d["role"] == "result"])
    post_json(as_user(world.clerk), f"{path}/actions/issue_result", {})
    issued = as_user(world.citizen).get(path).json()
    assert "result" in [d["role"] for d in issued["documents"]]


def test_work_queue_masks_tax_codes(world, received):
    received(applicant=ApplicantInput.from_mapping(f.applicant(tax_code="2601234567")))
    queue = as_user(world.unit_head).get("/api/v1/work-queue").json()
    assert queue["items"][0]["applicant"]["tax_code"] == "2601****67"
    listed = as_user(world.reception).get("/api/v1/dossiers").json()["items"][0]["applicant"]
    assert listed["tax_code"] == "2601****67" and "2601234567" not in json.dumps(listed)
    page = as_user(world.unit_head).get(reverse("backoffice:work_queue"))
    assert "2601234567" not in page.content.decode() and "2601****67" in page.content.decode()
