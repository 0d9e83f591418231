"""Staff pages of the feedback: the queue (sender masked, other agencies' petitions absent) and the
petition page whose forms are exactly the registry's offered actions, posted with the shown version."""

from __future__ import annotations

import pytest
from django.test import Client

from tinhso.core.models import AuditEntry
from tinhso.petitions.models import Petition
from tinhso.petitions.tests.conftest import send, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_action(client, petition, name, **fields):
    petition.refresh_from_db()
    data = {f"{name}-expected_version": petition.version, **{f"{name}-{k}": v for k, v in fields.items()}}
    return client.post(f"/can-bo/phan-anh/{petition.code}/thao-tac/{name}/", data)


def test_queue_masks_the_sender_and_hides_other_agencies(world, send):  # noqa: F811
    petition = send()
    page = as_user(world.reception).get("/can-bo/phan-anh/").content.decode()
    assert petition.code in page and "Nguyễn V. A." in page and "Nguyễn Văn An" not in page
    assert petition.code not in as_user(world.outsider).get("/can-bo/phan-anh/").content.decode()
    assert as_user(world.outsider).get(f"/can-bo/phan-anh/{petition.code}/").status_code == 404
    assert as_user(world.citizen).get("/can-bo/phan-anh/").status_code == 403


def test_the_page_offers_the_registrys_actions_and_performs_them(world, send):  # noqa: F811
    petition = send()
    reception, leader = as_user(world.reception), as_user(world.leader)
    page = reception.get(f"/can-bo/phan-anh/{petition.code}/").content.decode()
    assert 'id="action-accept"' in page and 'id="action-transfer"' in page and 'id="action-assign"' not in page
    assert "Nguyễn Văn An" in page and AuditEntry.objects.filter(action="personal_data.read").exists()
    assert post_action(reception, petition, "accept").status_code == 302
    stale = reception.post(f"/can-bo/phan-anh/{petition.code}/thao-tac/refuse/",
                           {"refuse-expected_version": 1, "refuse-reason": "x"})
    assert stale.status_code == 302
    assert Petition.objects.get().status == "accepted"
    assert post_action(leader, petition, "assign", assignee="chuyenvien").status_code == 302
    empty = post_action(as_user(world.specialist), petition, "draft_answer", answer="")
    assert empty.status_code == 422
    assert post_action(as_user(world.specialist), petition, "draft_answer",
                       answer="Đã kiểm tra, giấy xác nhận cư trú không phải thành phần hồ sơ.").status_code == 302
    assert post_action(leader, petition, "approve").status_code == 302
    assert post_action(reception, petition, "publish").status_code == 302
    petition.refresh_from_db()
    assert petition.status == "published" and petition.approved_by == world.leader


def test_transfer_to_a_department_from_the_page(world, send):  # noqa: F811
    petition = send()
    reception = as_user(world.reception)
    answer = post_action(reception, petition, "transfer", agency="H44.02", reason="Thuộc thẩm quyền của Sở Tư pháp")
    assert answer.status_code == 302
    petition.refresh_from_db()
    assert petition.agency == world.department
    page = as_user(world.dept_reception).get(f"/can-bo/phan-anh/{petition.code}/").content.decode()
    assert 'id="action-accept"' in page
    history = reception.get(f"/can-bo/phan-anh/{petition.code}/").content.decode()
    assert 'id="action-accept"' not in history and "Đã chuyển tới" in history


def test_staff_enter_feedback_taken_by_phone(world):  # noqa: F811
    client = as_user(world.reception)
    assert client.get("/can-bo/phan-anh/nhap/").status_code == 200
    bad = client.post("/can-bo/phan-anh/nhap/", {"channel": "hotline", "sender_name": "Ông Hùng", "kind": "other",
                                                 "subject": "Đèn đường hỏng", "content": "<b>gấp</b>"})
    assert bad.status_code == 422 and not Petition.objects.exists()
    done = client.post("/can-bo/phan-anh/nhap/", {"channel": "hotline", "sender_name": "Ông Hùng", "kind": "other",
                                                  "sender_phone": "0912000111", "subject": "Đèn đường hỏng",
                                                  "content": "Đèn đường thôn 3 hỏng một tuần.",
                                                  "commune_code": "07900", "publish_consent": "on"})
    petition = Petition.objects.get()
    assert done.status_code == 302 and petition.channel == "hotline" and petition.intake_by == world.reception
    assert petition.agency == world.commune_agency
    assert as_user(world.citizen).get("/can-bo/phan-anh/nhap/").status_code == 403
