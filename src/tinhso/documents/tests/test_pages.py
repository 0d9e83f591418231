"""The staff pages: the whole flow of the issue through the forms (drafting to the reply that closes
the incoming document), both registers showing both documents."""

import re

import pytest
from django.utils import timezone

from tinhso.documents.models import IncomingDocument, OutgoingDocument

pytestmark = pytest.mark.django_db


def act(client, user, ref, action, **fields):
    client.force_login(user)
    page = client.get(f"/can-bo/van-ban/{ref}/")
    assert page.status_code == 200
    version = re.search(rf'name="{action}-expected_version" value="(\d+)"', page.content.decode())
    assert version, f"{action} not offered to {user.username}"
    data = {f"{action}-expected_version": version.group(1), **{f"{action}-{k}": v for k, v in fields.items()}}
    answer = client.post(f"/can-bo/van-ban/{ref}/thao-tac/{action}/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    return answer["Location"].rstrip("/").split("/")[-1]


def test_commune_to_department_and_the_reply_that_closes_it(client, world, unsigned):
    client.force_login(world.drafter)
    answer = client.post("/can-bo/van-ban/soan/", {
        "agency": "H44.12", "doc_type": "CV", "subject": "Đề nghị hướng dẫn chứng thực hợp đồng",
        "body": "Nội dung đề nghị.\nTrân trọng./.", "recipients": "H44.02", "signer": world.chairman.username,
        "authority": "", "signer_title": "Chủ tịch", "urgency": "normal", "confidentiality": "normal"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    ref = answer["Location"].rstrip("/").split("/")[-1]
    act(client, world.drafter, ref, "submit", reviewer=world.unit_head.username)
    act(client, world.unit_head, ref, "pass_on")
    act(client, world.chairman, ref, "sign")
    act(client, world.clerk, ref, "issue")
    sent = OutgoingDocument.objects.get()
    assert sent.status == "issued"

    client.force_login(world.dept_clerk)
    inbox = client.get("/can-bo/van-ban/?tab=den").content.decode()
    incoming = IncomingDocument.objects.get()
    assert "01/UBND-VP" in inbox and incoming.ref in inbox
    act(client, world.director, incoming.ref, "assign", lead="XDKT", deadline_days="5", instruction="Trả lời xã")
    act(client, world.dept_head, incoming.ref, "delegate", specialist=world.dept_specialist.username)
    client.force_login(world.dept_specialist)
    assert incoming.ref in client.get("/can-bo/van-ban/?tab=viec").content.decode()
    answer = client.post(f"/can-bo/van-ban/soan/?tra-loi={incoming.ref}", {
        "agency": "H44.02", "doc_type": "CV", "subject": "Hướng dẫn chứng thực hợp đồng", "body": "Hướng dẫn.",
        "recipients": "H44.12", "signer": world.director.username, "signer_title": "Giám đốc",
        "urgency": "normal", "confidentiality": "normal", "reply_to": incoming.ref})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    reply = answer["Location"].rstrip("/").split("/")[-1]
    act(client, world.dept_specialist, reply, "submit", reviewer=world.dept_head.username)
    act(client, world.dept_head, reply, "pass_on")
    act(client, world.director, reply, "sign")
    act(client, world.dept_clerk, reply, "issue")
    incoming.refresh_from_db()
    assert incoming.status == "done" and incoming.reply.notation == "01/STP-XDKT"

    today = timezone.localdate().strftime("%d/%m/%Y")
    for user, agency, kind, expected in [(world.dept_clerk, "H44.02", "den", "01/UBND-VP"),
                                         (world.dept_clerk, "H44.02", "di", "01/STP-XDKT"),
                                         (world.dept_clerk, "H44.02", "theo-doi", "01/STP-XDKT"),
                                         (world.clerk, "H44.12", "di", "01/UBND-VP"),
                                         (world.clerk, "H44.12", "den", "01/STP-XDKT")]:
        client.force_login(user)
        page = client.get("/can-bo/van-ban/so/", {"kind": kind, "agency": agency, "date_from": today,
                                                      "date_to": today})
        assert expected in page.content.decode(), (kind, agency)
        pdf = client.get("/can-bo/van-ban/so/", {"kind": kind, "agency": agency, "date_from": today,
                                                     "date_to": today, "format": "pdf"})
        assert pdf.content.startswith(b"%PDF")


def test_bad_draft_shows_the_coded_message_and_stores_nothing(client, world):
    client.force_login(world.drafter)
    answer = client.post("/can-bo/van-ban/soan/", {
        "agency": "H44.12", "doc_type": "CV", "subject": "Đề nghị", "recipients": "KHONG-PHAI-MA",
        "signer": world.chairman.username, "signer_title": "Chủ tịch", "urgency": "normal",
        "confidentiality": "normal"})
    assert answer.status_code == 422 and "QĐ 20/2020" in answer.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_citizens_and_outsiders_see_nothing(client, world, draft):
    from tinhso.accounts.models import User

    doc = draft()
    client.force_login(world.outsider)
    assert client.get(f"/can-bo/van-ban/{doc.ref}/").status_code == 404
    citizen = User.objects.create(username="012345678901", kind=User.Kind.CITIZEN, full_name="Công Dân")
    client.force_login(citizen)
    assert client.get("/can-bo/van-ban/").status_code == 403
