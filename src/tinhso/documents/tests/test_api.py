"""The API: create, list, detail with available_actions, actions (409 when stale), PDFs and registers,
problem+json codes, Idempotency-Key."""

import io
import json
from datetime import date

import pytest
from django.utils import timezone

from tinhso.documents.models import IncomingDocument, OutgoingDocument

pytestmark = pytest.mark.django_db
API = "/api/v1/documents"


def post(client, path, body, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def new_draft(client, world, **overrides):
    body = {"agency": "H44.12", "doc_type": "CV", "subject": "Đề nghị hướng dẫn chứng thực",
            "body": "Nội dung.\nTrân trọng./.", "signer": world.chairman.username, "signer_title": "Chủ tịch",
            "recipients": [{"code": "H44.02"}]}
    body.update(overrides)
    return post(client, f"{API}/outgoing", body)


def test_the_flow_through_the_api(client, world, unsigned):
    client.force_login(world.drafter)
    created = new_draft(client, world)
    assert created.status_code == 201, created.content
    doc = created.json()
    assert doc["ref"].startswith("di-") and [a["name"] for a in doc["available_actions"]] == ["edit", "comment", "submit"]
    submit = next(a for a in doc["available_actions"] if a["name"] == "submit")
    assert submit["fields"][0]["name"] == "note" or any(f["name"] == "reviewer" for f in submit["fields"])
    answer = post(client, f"{API}/{doc['ref']}/actions/submit", {"reviewer": world.unit_head.username,
                                                                  "expected_version": doc["version"]})
    assert answer.status_code == 200 and answer.json()["status"] == "in_review"
    stale = post(client, f"{API}/{doc['ref']}/actions/edit", {"subject": "x" * 5, "expected_version": 1})
    assert stale.status_code == 409 and stale["Content-Type"] == "application/problem+json"
    assert stale.json()["code"] in ("document_stale_version", "document_invalid_state")
    client.force_login(world.unit_head)
    assert post(client, f"{API}/{doc['ref']}/actions/pass_on", {}).status_code == 200
    client.force_login(world.chairman)
    assert post(client, f"{API}/{doc['ref']}/actions/sign", {}).json()["notation"] == "01/UBND-VP"
    client.force_login(world.clerk)
    issued = post(client, f"{API}/{doc['ref']}/actions/issue", {})
    assert issued.json()["status"] == "issued"
    pdf = client.get(f"{API}/{doc['ref']}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    client.force_login(world.dept_clerk)
    inbox = client.get(f"{API}/incoming").json()
    assert inbox["count"] == 1 and inbox["items"][0]["notation"] == "01/UBND-VP"
    today = timezone.localdate().isoformat()
    for kind in ("den", "theo-doi"):
        sheet = client.get(f"{API}/registers/{kind}.pdf", {"agency": "H44.02", "from": today, "to": today})
        assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    client.force_login(world.clerk)
    xlsx = client.get(f"{API}/registers/di.xlsx", {"agency": "H44.12", "from": today, "to": today})
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[3][0] == "Số, ký hiệu văn bản" and rows[4][0] == "01/UBND-VP"


def test_bad_input_is_coded_and_stores_nothing(client, world):
    client.force_login(world.drafter)
    for overrides, code in [({"number": "15"}, "document_number_typed"),
                            ({"recipients": [{"code": "khong-phai-ma"}]}, "document_recipient_code_invalid"),
                            ({"doc_type": "XYZ"}, "document_type_unknown"),
                            ({"signer": "cvp-lamthao", "authority": "KT."}, "document_signer_without_authority")]:
        answer = new_draft(client, world, **overrides)
        assert answer.status_code == 422 and answer.json()["code"] == code, answer.content
        assert answer["Content-Type"] == "application/problem+json"
    assert not OutgoingDocument.objects.exists()


def test_idempotency_key_replays_the_creation(client, world):
    client.force_login(world.dept_clerk)
    body = {"agency": "H44.02", "sender_name": "Bộ Tư pháp", "sender_code": "G09", "their_notation": "12/BTP-VP",
            "their_date": str(date(2026, 3, 2)), "doc_type": "CV", "subject": "Hướng dẫn"}
    first = post(client, f"{API}/incoming", body, **{"Idempotency-Key": "abc-123"})
    again = post(client, f"{API}/incoming", body, **{"Idempotency-Key": "abc-123"})
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert IncomingDocument.objects.count() == 1
    typed = post(client, f"{API}/incoming", {**body, "arrival_number": 9})
    assert typed.status_code == 422 and typed.json()["code"] == "document_number_typed"


def test_others_get_404_and_the_openapi_describes_every_answer(client, world, draft):
    doc = draft()
    client.force_login(world.outsider)
    missing = client.get(f"{API}/{doc.ref}")
    assert missing.status_code == 404 and missing.json()["code"] == "document_not_found"
    assert client.get(f"{API}/di-abc").status_code == 404
    spec = client.get("/api/v1/openapi.json").json()
    paths = {p: v for p, v in spec["paths"].items() if p.startswith("/api/v1/documents")}
    assert len(paths) >= 7
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation["responses"], (method, path)
