"""The feedback pages: send (signed in; anonymous with a one-time code), the sent page, the public list
with search and filters, the counters, the lookup by code and phone and the sender's page with rating
and one objection; bad input shown in Vietnamese next to its field, nothing stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tinhso.core.models import StoredFile
from tinhso.dossiers.tests import factories as f
from tinhso.petitions.actions import petition_action_perform
from tinhso.petitions.models import Petition
from tinhso.petitions.tests.conftest import send, world  # noqa: F401 - fixtures
from tinhso.petitions.tests.test_intake import _issued_code

pytestmark = pytest.mark.django_db
PHONE = "0903123456"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**overrides):
    values = {"kind": "regulation", "subject": "Bị yêu cầu nộp giấy tờ ngoài quy định",
              "content": "Khi nộp hồ sơ khai sinh, tôi được yêu cầu nộp thêm giấy xác nhận cư trú.",
              "commune_code": "07900", "publish_consent": "on"}
    values.update(overrides)
    return values


def photo(name="anh.png"):
    return SimpleUploadedFile(name, f.png_bytes(), content_type="image/png")


def handle(world, petition, publish=True):  # noqa: F811
    steps = [(world.reception, "accept", {}), (world.leader, "assign", {"assignee": "chuyenvien"}),
             (world.specialist, "draft_answer", {"answer": "Giấy xác nhận cư trú không phải thành phần hồ sơ."}),
             (world.leader, "approve", {})]
    if publish:
        steps.append((world.reception, "publish", {}))
    for actor, name, data in steps:
        petition_action_perform(actor=actor, petition=petition, name=name, data=data)
    petition.refresh_from_db()
    return petition


def test_signed_in_citizen_sends_with_a_photo(world):  # noqa: F811
    client = as_user(world.citizen)
    page = client.get("/phan-anh/gui/")
    assert page.status_code == 200 and "Mã xác thực" not in page.content.decode()
    sent = client.post("/phan-anh/gui/", {**form(), "files": [photo()]})
    assert sent.status_code == 302 and sent["Location"] == "/phan-anh/da-gui/"
    petition = Petition.objects.get()
    assert petition.sender_user == world.citizen and petition.attachments.count() == 1
    confirmation = client.get("/phan-anh/da-gui/").content.decode()
    assert petition.code in confirmation
    assert client.get(f"/phan-anh/tra-cuu/?code={petition.code}")["Location"] == f"/phan-anh/{petition.code}/"
    mine = client.get(f"/phan-anh/{petition.code}/").content.decode()
    assert "Chờ tiếp nhận" in mine and "Ủy ban nhân dân phường Việt Trì" in mine


def test_anonymous_sender_gets_a_code_then_sends(world, monkeypatch, settings):  # noqa: F811
    settings.TINHSO_OTP_RESEND_SECONDS = 0
    codes = _issued_code(monkeypatch)
    client = Client()
    assert "Gửi mã xác thực" in client.get("/phan-anh/gui/").content.decode()
    assert client.post("/phan-anh/gui/ma-xac-thuc/", {"phone": PHONE}).status_code == 302
    prefilled = client.get("/phan-anh/gui/").content.decode()
    assert f'value="{PHONE}"' in prefilled
    body = {**form(), "sender_name": "Lê Thị Cúc", "sender_phone": PHONE}
    wrong = client.post("/phan-anh/gui/", {**body, "otp_code": "000000" if codes[-1] != "000000" else "111111",
                                           "files": [photo()]})
    assert wrong.status_code == 422 and "Mã xác thực" in wrong.content.decode()
    assert not Petition.objects.exists() and not StoredFile.objects.exists()
    ok = client.post("/phan-anh/gui/", {**body, "otp_code": codes[-1], "files": [photo()]})
    assert ok.status_code == 302
    petition = Petition.objects.get()
    # the session that sent it may open it without typing the phone again
    assert client.get(f"/phan-anh/{petition.code}/").status_code == 200
    assert Client().get(f"/phan-anh/{petition.code}/").status_code == 302


@pytest.mark.parametrize(("overrides", "files", "message"), [
    ({"content": "<script>alert(1)</script>"}, [], "HTML"),
    ({"subject": ""}, [], "Vui lòng nhập tiêu đề."),
    ({}, [SimpleUploadedFile("giay.pdf", b"%PDF-1.4 not really")], "PDF"),
])
def test_bad_input_is_shown_and_nothing_is_stored(world, overrides, files, message):  # noqa: F811
    answer = as_user(world.citizen).post("/phan-anh/gui/", {**form(**overrides), "files": [photo(), *files]})
    assert answer.status_code == 422 and message in answer.content.decode()
    assert not Petition.objects.exists() and not StoredFile.objects.exists()


def test_public_list_search_filters_and_counters(world, send):  # noqa: F811
    published = handle(world, send())
    send(subject="Đường làng ngập nước", content="Đoạn đường thôn 3 ngập sau mưa.")
    client = Client()
    for q in ("giấy xác nhận", "giay xac nhan cu tru"):
        page = client.get("/phan-anh/", {"q": q}).content.decode()
        assert published.subject in page and "Nguyễn Văn An" not in page and f.CITIZEN_PHONE not in page
    assert published.subject not in client.get("/phan-anh/", {"q": "đường làng"}).content.decode()
    assert published.subject in client.get("/phan-anh/", {"agency": "H44.12"}).content.decode()
    assert published.subject not in client.get("/phan-anh/", {"date_to": "2000-01-01"}).content.decode()
    page = client.get("/phan-anh/").content.decode()
    assert 'data-counter="answered">1<' in page and 'data-counter="in_progress">1<' in page
    table = client.get("/phan-anh/so-lieu/").content.decode()
    assert "Ủy ban nhân dân phường Việt Trì" in table
    agency = client.get("/co-quan/H44.12/").content.decode()
    assert 'data-counter="answered">1<' in agency


def test_lookup_then_rate_unhappy_and_object_once(world, send):  # noqa: F811
    petition = handle(world, send())
    client = Client()
    wrong = client.post("/phan-anh/tra-cuu/", {"code": petition.code, "phone": "0900000000"})
    assert wrong.status_code == 404 and "không đúng" in wrong.content.decode()
    found = client.post("/phan-anh/tra-cuu/", {"code": petition.code.lower(), "phone": f.CITIZEN_PHONE})
    assert found.status_code == 302 and found["Location"] == f"/phan-anh/{petition.code}/"
    page = client.get(found["Location"]).content.decode()
    assert "Giấy xác nhận cư trú không phải" in page and "Gửi đánh giá" in page
    client.post(f"/phan-anh/{petition.code}/thao-tac/rate/", {"feedback": "unsatisfied",
                                                               "expected_version": petition.version})
    petition.refresh_from_db()
    assert petition.feedback == "unsatisfied"
    page = client.get(f"/phan-anh/{petition.code}/").content.decode()
    assert "Đề nghị xem xét lại" in page and "Gửi đánh giá" not in page
    client.post(f"/phan-anh/{petition.code}/thao-tac/object/", {"reason": "Chưa giải quyết việc của tôi.",
                                                                 "expected_version": petition.version})
    petition.refresh_from_db()
    assert petition.status == "accepted" and petition.reopened_count == 1
    assert "Đề nghị xem xét lại" not in client.get(f"/phan-anh/{petition.code}/").content.decode()


def test_someone_else_cannot_open_or_act_on_a_petition(world, send):  # noqa: F811
    petition = handle(world, send())
    other = as_user(world.other_citizen)
    assert other.get(f"/phan-anh/{petition.code}/").status_code == 302
    assert other.post(f"/phan-anh/{petition.code}/thao-tac/rate/", {"feedback": "unsatisfied"}).status_code == 404
    petition.refresh_from_db()
    assert petition.feedback == ""


def test_my_petitions_lists_only_mine(world, send):  # noqa: F811
    mine = send()
    send(actor=world.other_citizen, subject="Phản ánh của người khác")
    page = as_user(world.citizen).get("/phan-anh/cua-toi/").content.decode()
    assert mine.code in page and "Phản ánh của người khác" not in page
    assert "/phan-anh/cua-toi/" in as_user(world.citizen).get("/ho-so-cua-toi/").content.decode()
    assert Client().get("/phan-anh/cua-toi/").status_code == 302
