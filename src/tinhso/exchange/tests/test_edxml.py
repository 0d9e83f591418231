"""Build and parse edXML packages; the schema of what we send; tolerance of other builders' packages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tinhso.exchange import edxml, schema
from tinhso.exchange.tests.conftest import built, document_package

SAMPLES = Path(__file__).with_name("samples")


def test_document_package_round_trip_and_schema():
    pkg = document_package(due_date=date(2026, 12, 20), to_places=["Sở Tư pháp tỉnh Phú Thọ"])
    root = built(pkg)
    schema.validate_sent(root)
    parsed = edxml.parse(edxml.to_bytes(root))
    assert parsed.kind == "document"
    assert parsed.message_id == pkg.message_id
    assert parsed.document_id == "H36.05,2026/12/04,215/SNV-VP"
    doc = parsed.document
    assert (doc.code_number, doc.code_notation, doc.subject) == ("215", "SNV-VP", "Về việc phối hợp chứng thực")
    assert doc.due_date == date(2026, 12, 20) and doc.priority == 1 and doc.signer_name == "Nguyễn Văn Nam"
    assert doc.attachments[0].content == pkg.attachments[0].content
    assert parsed.attachment_problems == []


def test_status_package_round_trip_and_schema():
    rf = edxml.ResponseFor("H36.05", "215/SNV-VP", date(2026, 12, 4), "H36.05,2026/12/04,215/SNV-VP")
    pkg = edxml.StatusPackage(sender=edxml.Organization("H44.02", "Sở Tư pháp"), recipient=edxml.Organization("H36.05"),
                              response_for=rf, status_code="03", description="Đã vào sổ, số đến 12",
                              staff=edxml.StaffInfo(staff="Đỗ Thị Thư"))
    root = edxml.status_build(pkg, now=datetime(2026, 12, 4, 10, 0))
    schema.validate_sent(root)
    parsed = edxml.parse(edxml.to_bytes(root))
    assert parsed.kind == "status" and parsed.status.status_code == "03"
    assert parsed.status.response_for == rf and parsed.status.staff.staff == "Đỗ Thị Thư"


def test_schema_refuses_what_the_standard_does_not_allow():
    rf = edxml.ResponseFor("H36.05", "215/SNV-VP", None, "x")
    bad = edxml.StatusPackage(sender=edxml.Organization("H44.02"), recipient=edxml.Organization("H36.05"),
                              response_for=rf, status_code="99")
    with pytest.raises(edxml.EdxmlError) as exc:
        schema.validate_sent(edxml.status_build(bad, now=datetime(2026, 12, 4)))
    assert exc.value.code == "edxml_schema"
    too_urgent = built(document_package(priority=7))
    with pytest.raises(edxml.EdxmlError):
        schema.validate_sent(too_urgent)


def test_changed_attachment_is_named():
    data = edxml.to_bytes(built(document_package()))
    root = edxml.parse_xml(data)
    node = next(el for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("ContentTransferEncoded"))
    node.text = node.text[:-8] + "AAAAAAA="
    parsed = edxml.parse(root)
    assert parsed.attachment_problems and "215-SNV-VP.pdf" in parsed.attachment_problems[0]


@pytest.mark.parametrize("name", ["other-builder-document.edxml", "other-builder-status.edxml"])
def test_packages_written_by_other_builders_are_read(name):
    """Hand-written from vn-standards §8.2–8.3, with the default namespace of the sample, an
    ``AttachmentEncoded`` without namespace and elements we do not know (ResponseForTask, ApplicationType …)."""
    root = edxml.parse_xml((SAMPLES / name).read_bytes())
    ignored = schema.validate_received(root)
    assert ignored  # the unknown elements were set aside, not refused
    parsed = edxml.parse(root)
    if parsed.kind == "document":
        assert parsed.document_id == "000.00.04.G14,2012/08/06,267/VPCP-TTĐT"
        assert parsed.document.subject.startswith("Về việc triển khai")
        assert parsed.document.attachments[0].content.startswith(b"%PDF")
        assert "ApplicationType" in ignored and "ResponseForTask" in ignored
    else:
        assert parsed.status.status_code == "01"
        assert parsed.status.response_for.document_id == "000.00.04.G14,2012/08/06,267/VPCP-TTĐT"


def test_not_xml_and_hostile_xml_are_refused():
    with pytest.raises(edxml.EdxmlError) as exc:
        edxml.parse(b"PK\x03\x04 not xml")
    assert exc.value.code == "edxml_not_xml"
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&b;</edXML>')
    with pytest.raises(edxml.EdxmlError):
        edxml.parse(bomb)  # entities are not expanded: the root has no header, so it is refused
