"""End to end between running Tỉnh Số instances (issue #12): commune A (Phú Thọ) and department B
(Thái Bình), each with its own database, PKI and port, talking through a third instance acting as the
province's exchange hub. Real processes: web server, task worker, outbox sweeper."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tinhso.exchange.tests.instances import Instance, clean_env, wait_for

# The instances run on their own SQLite files whatever the suite's database is, so the PostgreSQL
# stage of CI would repeat the same run: it is made once, in the SQLite stage.
pytestmark = [pytest.mark.exchange_e2e,
              pytest.mark.skipif(os.environ.get("TINHSO_DATABASE_URL", "").startswith("postgres"),
                                 reason="runs once, in the SQLite stage (the instances use their own SQLite files)")]

CREDENTIALS = {"a_hub": "khoa-a-den-truc", "hub_a": "khoa-truc-den-a", "b_hub": "khoa-b-den-truc",
               "hub_b": "khoa-truc-den-b"}


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    root = tmp_path_factory.mktemp("exchange-e2e")
    template = root / "template.sqlite3"
    env = {**clean_env(), "TINHSO_DATA_DIR": str(root / "template"), "TINHSO_DATABASE_URL": f"sqlite:///{template}"}
    subprocess.run([sys.executable, "-m", "tinhso", "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603

    hub = Instance("hub", root, template, {"TINHSO_EXCHANGE_IS_HUB": "1"})
    a = Instance("a", root, template, {"TINHSO_EXCHANGE_HUB_URL": f"{hub.url}/exchange/v1",
                                       "TINHSO_EXCHANGE_HUB_CREDENTIAL": CREDENTIALS["a_hub"]})
    # Each province's demo CA is named after its province (TINHSO_PROVINCE_CODE): two roots with one
    # name would leave certificate path building to chance.
    b = Instance("b", root, template, {"TINHSO_PROVINCE_CODE": "H36", "TINHSO_EXCHANGE_HUB_URL": f"{hub.url}/exchange/v1",
                                       "TINHSO_EXCHANGE_HUB_CREDENTIAL": CREDENTIALS["b_hub"]})
    ca = {}
    ca["a"] = a.call("setup_commune")["ca_pem"]
    ca["b"] = b.call("setup_department")["ca_pem"]
    hub.call("setup_hub")
    for name, pem in ca.items():
        (root / f"ca-{name}.pem").write_text(pem)
    # Trust and the directory, with the commands an administrator uses.
    a.tinhso("pki", "trust-add", str(root / "ca-b.pem"))
    a.tinhso("exchange", "peer", "add", "H36.*", "--name", "Tỉnh Thái Bình", "--certificate", str(root / "ca-b.pem"))
    a.tinhso("exchange", "peer", "add", "TRUC-TINH", "--name", "Trục liên thông", "--hub",
             "--accept-credential", CREDENTIALS["hub_a"])
    b.tinhso("pki", "trust-add", str(root / "ca-a.pem"))
    b.tinhso("exchange", "peer", "add", "H44.*", "--name", "Tỉnh Phú Thọ", "--certificate", str(root / "ca-a.pem"))
    b.tinhso("exchange", "peer", "add", "TRUC-TINH", "--name", "Trục liên thông", "--hub",
             "--accept-credential", CREDENTIALS["hub_b"])
    for name, pattern, member in (("a", "H44.*", a), ("b", "H36.*", b)):
        hub.tinhso("pki", "trust-add", str(root / f"ca-{name}.pem"))
        hub.tinhso("exchange", "peer", "add", pattern, "--name", f"Hệ thống {name}",
                   "--url", f"{member.url}/exchange/v1", "--certificate", str(root / f"ca-{name}.pem"),
                   "--send-credential", CREDENTIALS[f"hub_{name}"], "--accept-credential", CREDENTIALS[f"{name}_hub"])
    for instance in (hub, a, b):
        instance.start()
    yield {"a": a, "b": b, "hub": hub, "root": root}
    for instance in (hub, a, b):
        instance.kill(hard=False)


def test_a_document_goes_from_a_commune_to_another_provinces_department_and_the_reply_comes_back(network):
    a, b = network["a"], network["b"]
    sent = a.call("issue_document", subject="Đề nghị hướng dẫn chứng thực hợp đồng", to="H36.05",
                  to_name="Sở Nội vụ tỉnh Thái Bình")
    # B's system has it and answered 01 by itself; A sees it.
    arrived = wait_for(b, "inbound_list", lambda rows: len(rows) == 1)[0]
    assert arrived["state"] == "arrived" and arrived["from"] == "H44.12"
    assert arrived["signer"] == "Ủy ban nhân dân xã Lâm Thao"
    wait_for(a, "statuses_of", lambda codes: codes == ["01"], document_id=sent["id"])
    # B's clerk registers it (03); the signed PDF inside keeps its signatures.
    registered = b.call("clerk_registers", message_pk=arrived["pk"], clerk="vt-b")
    assert registered["source"] == "edxml" and registered["arrival_number"] == 1
    assert registered["signature"] == "valid"
    # The director assigns (04), the specialist works (05), the reply is issued and closes it (06).
    replied = b.call("handle_and_reply", incoming_id=registered["incoming"])
    assert replied["incoming_status"] == "done"
    codes = wait_for(a, "statuses_of", lambda c: c[-1:] == ["06"], document_id=sent["id"])
    assert codes == ["01", "03", "04", "05", "06"]
    # The reply arrives at A as incoming, linked to the original, and A's clerk registers it.
    reply = wait_for(a, "inbound_list", lambda rows: len(rows) == 1)[0]
    assert reply["answers"] == sent["id"] and reply["subject"].startswith("Về việc hướng dẫn")
    a.call("clerk_registers", message_pk=reply["pk"], clerk="vt-a")
    wait_for(b, "statuses_of", lambda c: c == ["01", "03"], document_id=replied["reply"])
    assert a.call("delivery_states", document_id=sent["id"]) == ["delivered"]


def _post(url: str, credential: str, data: bytes):
    request = urllib.request.Request(f"{url}/exchange/v1/messages", data=data, method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/xml", "Authorization": f"Bearer {credential}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_receiver_is_killed_while_a_sends_and_gets_the_document_once_back(network):
    a, b = network["a"], network["b"]
    before = len(b.call("inbound_list"))
    b.kill(hard=True)  # kill -9: web server, worker and sweeper
    sent = a.call("issue_document", subject="Về việc cử cán bộ tập huấn", to="H36.05", to_name="Sở Nội vụ tỉnh Thái Bình")
    time.sleep(4)  # A → hub succeeds; hub → B fails and waits with back-off
    b.start()
    rows = wait_for(b, "inbound_list", lambda r: len(r) == before + 1, timeout=120)
    time.sleep(4)
    assert len(b.call("inbound_list")) == before + 1  # once, not once per retry
    assert rows[-1]["subject"] == "Về việc cử cán bộ tập huấn"
    wait_for(a, "statuses_of", lambda c: c == ["01"], document_id=sent["id"])


def _first_document_sent_by_a(network) -> tuple[str, bytes]:
    b = network["b"]
    first = b.call("inbound_list")[0]
    raw = base64.b64decode(b.call("raw_message", message_id=first["message_id"], direction="in")["raw"])
    return first["message_id"], raw


def test_the_same_message_delivered_twice_creates_one_incoming_document(network):
    b = network["b"]
    _, raw = _first_document_sent_by_a(network)
    before = (len(b.call("inbound_list")), len(b.call("incoming_documents")))
    first = _post(b.url, CREDENTIALS["hub_b"], raw)
    second = _post(b.url, CREDENTIALS["hub_b"], raw)
    assert first == second and first[0] == 200 and first[1]["status"] == "accepted"
    assert (len(b.call("inbound_list")), len(b.call("incoming_documents"))) == before


@pytest.mark.parametrize("change", ["one_byte", "unknown_certificate", "sender_mismatch"])
def test_a_bad_message_is_refused_with_02_and_nothing_is_registered(network, change):
    b = network["b"]
    message_id, raw = _first_document_sent_by_a(network)
    if change == "one_byte":
        # One byte of the (signed) message id: a new id, so not a replay — and a broken signature.
        last = message_id[-1]
        bad = raw.replace(f'id="{message_id}"'.encode(), f'id="{message_id[:-1]}{"0" if last != "0" else "1"}"'.encode())
        assert len(bad) == len(raw) and bad != raw
        expected = "signature_invalid"
    else:
        bad = b.call("forged_package", kind=change)["raw"]
        bad = base64.b64decode(bad)
        expected = "certificate_untrusted" if change == "unknown_certificate" else "sender_certificate_mismatch"
    before = len(b.call("inbound_list"))
    status, body = _post(b.url, CREDENTIALS["hub_b"], bad)
    assert status == 422 and body["status_code"] == "02" and body["code"] == expected, body
    rows = b.call("inbound_list")
    assert len(rows) == before + 1 and rows[-1]["state"] == "refused" and rows[-1]["incoming"] is None


def test_verify_all_passes_and_names_a_changed_message(network):
    a, b, root = network["a"], network["b"], network["root"]
    for instance in (a, b):
        out = instance.tinhso("exchange", "verify", "--all").stdout
        assert "Hợp lệ" in out
    message_id, _ = _first_document_sent_by_a(network)
    export = root / "export.zip"
    a.tinhso("exchange", "export", message_id, "--out", str(export))
    # The export verifies on another machine: here, an instance that knows nothing of A.
    assert "Hợp lệ" in network["hub"].tinhso("exchange", "verify", "--file", str(export)).stdout
    a.call("corrupt_archive", message_id=message_id)
    result = a.tinhso("exchange", "verify", "--all", check=False)
    assert result.returncode != 0 and message_id in result.stderr
