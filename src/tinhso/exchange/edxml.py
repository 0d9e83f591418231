"""edXML packages of QCVN 102:2016 (vn-standards §8.2–8.3): build and parse, nothing else.

This module knows the XML, not the database: a document message (``DocumentPackage``) or a status
message (``StatusPackage``) goes in as plain data and comes out as bytes, and the other way round.

Choices where the standard leaves room (docs/exchange.md):
- The message id is ``TraceHeaderList/@id`` (a UUID). It is inside the signed part, so a relay cannot
  change it, and it is what receiving is idempotent by.
- Attachments travel base64 in ``AttachmentEncoded`` outside the envelope, with a manifest entry in
  ``edXMLBody``; the manifest carries each file's SHA-256 (``Description`` is free text) so that a
  receiver can tell which file was changed.
- The parser reads by local name and ignores elements it does not know: other builders add
  ``ResponseForTask``, ``ApplicationType`` and more.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
_P = f"{{{NS}}}"

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"

# §8.2 BussinessDocType
BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE = 0, 1, 2, 3

# §8.3 status codes, with the wording the receiver's clerk and the sender's page show.
STATUS_LABELS = {
    "01": "Đã đến — phần mềm đã nhận, văn thư chưa xử lý",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận, vào sổ",
    "04": "Lãnh đạo đã phân công xử lý",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Yêu cầu lấy lại văn bản",
    "15": "Đồng ý lấy lại, cập nhật",
    "16": "Từ chối lấy lại, cập nhật",
}

MAX_MESSAGE_BYTES = 60 * 1024 * 1024


class EdxmlError(ValueError):
    """The bytes are not an edXML package we can read; ``code`` is stable, the text is Vietnamese."""

    def __init__(self, message: str, code: str = "edxml_invalid"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Organization:
    organ_id: str
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes
    content_id: str = ""
    description: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class ResponseFor:
    organ_id: str
    code: str  # "Số/Ký hiệu"
    promulgation_date: date | None
    document_id: str


@dataclass
class DocumentPackage:
    sender: Organization
    recipients: list[Organization]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type_name: str
    type_code: str
    subject: str
    signer_position: str = ""
    signer_name: str = ""
    signer_competence: str = ""
    content: str = ""
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = 0
    steering_type: int = 1
    page_amount: int | None = None
    promulgation_amount: int | None = None
    business_type: int = BUSINESS_NEW
    business_reason: str = ""
    replaces_document_id: str = ""
    response_for: ResponseFor | None = None
    staff: StaffInfo = field(default_factory=StaffInfo)
    attachments: list[Attachment] = field(default_factory=list)
    message_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timestamp: datetime | None = None

    @property
    def document_id(self) -> str:
        return document_id_of(self.sender.organ_id, self.promulgation_date, self.code_number, self.code_notation)


@dataclass
class StatusPackage:
    sender: Organization
    recipient: Organization
    response_for: ResponseFor
    status_code: str
    description: str = ""
    staff: StaffInfo = field(default_factory=StaffInfo)
    timestamp: datetime | None = None
    message_id: str = field(default_factory=lambda: str(uuid.uuid4()))


def document_id_of(organ_id: str, day: date, number: str, notation: str) -> str:
    """§8.2: ``<senderOrganId>,<yyyy/MM/dd>,<CodeNumber>/<CodeNotation>``."""
    return f"{organ_id},{day.strftime(DATE_FORMAT)},{number}/{notation}"


# --- building -----------------------------------------------------------------------------------


def _el(parent, name: str, text=None, **attrs):
    element = etree.SubElement(parent, _P + name, {k: str(v) for k, v in attrs.items()})
    if text is not None and text != "":
        element.text = str(text)
    return element


def _organization(parent, name: str, org: Organization) -> None:
    node = _el(parent, name)
    _el(node, "OrganId", org.organ_id)
    _el(node, "OrganizationInCharge", org.in_charge)
    _el(node, "OrganName", org.name)
    _el(node, "OrganAdd", org.address)
    _el(node, "Email", org.email)
    _el(node, "Telephone", org.telephone)


def _staff(parent, staff: StaffInfo) -> None:
    node = _el(parent, "StaffInfo")
    _el(node, "Department", staff.department)
    _el(node, "Staff", staff.staff)
    _el(node, "Mobile", staff.mobile)
    _el(node, "Email", staff.email)


def _response_for(parent, rf: ResponseFor) -> None:
    node = _el(parent, "ResponseFor")
    _el(node, "OrganId", rf.organ_id)
    _el(node, "Code", rf.code)
    _el(node, "PromulgationDate", rf.promulgation_date.strftime(DATE_FORMAT) if rf.promulgation_date else "")
    _el(node, "DocumentId", rf.document_id)


def _root():
    root = etree.Element(_P + "edXML", nsmap={"edXML": NS})
    envelope = _el(root, "edXMLEnvelope")
    header = _el(envelope, "edXMLHeader")
    return root, envelope, header


def _trace(header, *, message_id: str, organ_id: str, at: datetime):
    trace = _el(header, "TraceHeaderList", id=message_id, version="1.0")
    hop = _el(trace, "TraceHeader")
    _el(hop, "OrganId", organ_id)
    _el(hop, "Timestamp", at.strftime(TIMESTAMP_FORMAT))
    return trace


def _signature_slot(header) -> None:
    # §8.2 puts the XML signature in edXMLHeader after the trace; signxml fills this placeholder.
    etree.SubElement(header, f"{{{DSIG}}}Signature", {"Id": "placeholder"}, nsmap={"ds": DSIG})


def document_build(pkg: DocumentPackage, *, now: datetime) -> etree._Element:
    root, envelope, header = _root()
    at = pkg.timestamp or now
    mh = _el(header, "MessageHeader")
    _organization(mh, "From", pkg.sender)
    for org in pkg.recipients:
        _organization(mh, "To", org)
    code = _el(mh, "Code")
    _el(code, "CodeNumber", pkg.code_number)
    _el(code, "CodeNotation", pkg.code_notation)
    prom = _el(mh, "PromulgationInfo")
    _el(prom, "Place", pkg.place)
    _el(prom, "PromulgationDate", pkg.promulgation_date.strftime(DATE_FORMAT))
    dtype = _el(mh, "DocumentType")
    _el(dtype, "Type", pkg.type_code)
    _el(dtype, "TypeName", pkg.type_name)
    _el(mh, "Subject", pkg.subject)
    _el(mh, "Content", pkg.content)
    signer = _el(mh, "SignerInfo")
    _el(signer, "Competence", pkg.signer_competence)
    _el(signer, "Position", pkg.signer_position)
    _el(signer, "FullName", pkg.signer_name)
    _el(mh, "DueDate", pkg.due_date.strftime(DATE_FORMAT) if pkg.due_date else "")
    places = _el(mh, "ToPlaces")
    for place in pkg.to_places:
        _el(places, "Place", place)
    other = _el(mh, "OtherInfo")
    _el(other, "Priority", pkg.priority)
    _el(other, "PromulgationAmount", pkg.promulgation_amount or "")
    _el(other, "PageAmount", pkg.page_amount or "")
    if pkg.response_for is not None:
        _response_for(mh, pkg.response_for)
    _el(mh, "SteeringType", pkg.steering_type)
    _el(mh, "DocumentId", pkg.document_id)

    trace = _trace(header, message_id=pkg.message_id, organ_id=pkg.sender.organ_id, at=at)
    business = _el(trace, "Bussiness")
    _el(business, "BussinessDocType", pkg.business_type)
    _el(business, "BussinessDocReason", pkg.business_reason)
    _el(business, "DocumentId", pkg.document_id)
    _staff(business, pkg.staff)
    _el(business, "Paper", 0)
    if pkg.replaces_document_id:
        infos = _el(business, "ReplacementInfoList")
        info = _el(infos, "ReplacementInfo")
        _el(info, "DocumentId", pkg.replaces_document_id)
        organs = _el(info, "OrganIdList")
        for org in pkg.recipients:
            _el(organs, "OrganId", org.organ_id)
    _signature_slot(header)

    body = _el(envelope, "edXMLBody")
    manifest = _el(body, "edXMLManifest", version="1.0")
    encoded = _el(root, "AttachmentEncoded")
    for index, att in enumerate(pkg.attachments, start=1):
        cid = att.content_id or f"{pkg.message_id}-{index}"
        ref = etree.SubElement(manifest, _P + "Reference", {
            f"{{{XLINK}}}href": f"cid:{cid}", f"{{{XLINK}}}role": "XLinkRole", f"{{{XLINK}}}type": "simple"},
            nsmap={"xlink": XLINK})
        _el(ref, "ContentId", f"cid:{cid}")
        _el(ref, "ContentType", att.content_type)
        _el(ref, "Description", f"sha256:{att.sha256}")
        _el(ref, "AttachmentName", att.name)
        node = _el(encoded, "Attachment")
        _el(node, "ContentType", att.content_type)
        _el(node, "ContentId", cid)
        _el(node, "Description", att.description)
        _el(node, "AttachmentName", att.name)
        _el(node, "ContentTransferEncoded", base64.b64encode(att.content).decode("ascii"))
    return root


def status_build(pkg: StatusPackage, *, now: datetime) -> etree._Element:
    root, envelope, header = _root()
    at = pkg.timestamp or now
    mh = _el(header, "MessageHeader")
    _response_for(mh, pkg.response_for)
    _organization(mh, "From", pkg.sender)
    _organization(mh, "To", pkg.recipient)
    _el(mh, "StatusCode", pkg.status_code)
    _el(mh, "Description", pkg.description)
    _el(mh, "Timestamp", at.strftime(TIMESTAMP_FORMAT))
    _staff(mh, pkg.staff)
    _trace(header, message_id=pkg.message_id, organ_id=pkg.sender.organ_id, at=at)
    _signature_slot(header)
    _el(envelope, "edXMLBody")
    return root


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- parsing ------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """What a received package says, read tolerantly; ``kind`` is ``"document"`` or ``"status"``."""

    kind: str
    message_id: str
    sender: Organization
    recipients: list[Organization]
    document_id: str = ""
    document: DocumentPackage | None = None
    status: StatusPackage | None = None
    attachment_problems: list[str] = field(default_factory=list)


def parse_xml(data: bytes) -> etree._Element:
    if len(data) > MAX_MESSAGE_BYTES:
        raise EdxmlError("Gói tin vượt quá dung lượng cho phép.", code="edxml_too_large")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(f"Gói tin không phải XML hợp lệ: {exc}", code="edxml_not_xml") from None


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el, *path: str):
    """The first descendant along ``path`` by local names, any namespace; ``None`` if absent."""
    node = el
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c) == name), None)
    return node


def _children(el, name: str) -> list:
    return [] if el is None else [c for c in el if _local(c) == name]


def _text(el, *path: str) -> str:
    node = _child(el, *path) if path else el
    return (node.text or "").strip() if node is not None else ""


def _date(text: str) -> date | None:
    for fmt in (DATE_FORMAT, "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _org(el) -> Organization:
    return Organization(organ_id=_text(el, "OrganId"), name=_text(el, "OrganName"),
                        in_charge=_text(el, "OrganizationInCharge"), address=_text(el, "OrganAdd"),
                        email=_text(el, "Email"), telephone=_text(el, "Telephone"))


def _staff_of(el) -> StaffInfo:
    return StaffInfo(department=_text(el, "Department"), staff=_text(el, "Staff"), mobile=_text(el, "Mobile"),
                     email=_text(el, "Email"))


def _response_for_of(el) -> ResponseFor | None:
    if el is None:
        return None
    return ResponseFor(organ_id=_text(el, "OrganId"), code=_text(el, "Code"),
                       promulgation_date=_date(_text(el, "PromulgationDate")), document_id=_text(el, "DocumentId"))


def _attachments(root, manifest) -> tuple[list[Attachment], list[str]]:
    expected = {}
    for ref in _children(manifest, "Reference"):
        cid = _text(ref, "ContentId").removeprefix("cid:")
        expected[cid] = _text(ref, "Description").removeprefix("sha256:")
    found, problems = [], []
    for node in _children(_child(root, "AttachmentEncoded"), "Attachment"):
        cid = _text(node, "ContentId").removeprefix("cid:")
        try:
            content = base64.b64decode(_text(node, "ContentTransferEncoded"), validate=False)
        except (ValueError, TypeError):
            problems.append(f"Tệp đính kèm {cid} không giải mã được.")
            continue
        att = Attachment(name=_text(node, "AttachmentName") or cid, content_type=_text(node, "ContentType"),
                         content=content, content_id=cid, description=_text(node, "Description"))
        digest = expected.get(cid, "")
        if len(digest) == 64 and digest != att.sha256:
            problems.append(f"Tệp “{att.name}” không khớp mã băm trong danh mục.")
        found.append(att)
    return found, problems


def parse(data: bytes | etree._Element) -> Parsed:
    root = parse_xml(data) if isinstance(data, bytes) else data
    if _local(root) != "edXML":
        raise EdxmlError("Phần tử gốc không phải edXML.", code="edxml_invalid")
    header = _child(root, "edXMLEnvelope", "edXMLHeader")
    mh = _child(header, "MessageHeader")
    if mh is None:
        raise EdxmlError("Gói tin thiếu MessageHeader.", code="edxml_invalid")
    trace = _child(header, "TraceHeaderList")
    message_id = (trace.get("id") or "").strip() if trace is not None else ""
    sender = _org(_child(mh, "From"))
    recipients = [_org(t) for t in _children(mh, "To")]
    if not sender.organ_id:
        raise EdxmlError("Gói tin không có mã định danh cơ quan gửi (From/OrganId).", code="edxml_invalid")
    status_code = _text(mh, "StatusCode")
    if status_code:
        rf = _response_for_of(_child(mh, "ResponseFor"))
        if rf is None:
            raise EdxmlError("Gói tin trạng thái thiếu ResponseFor.", code="edxml_invalid")
        ts = _text(mh, "Timestamp")
        try:
            when = datetime.strptime(ts, TIMESTAMP_FORMAT) if ts else None
        except ValueError:
            when = None
        status = StatusPackage(sender=sender, recipient=recipients[0] if recipients else Organization(""),
                               response_for=rf, status_code=status_code, description=_text(mh, "Description"),
                               staff=_staff_of(_child(mh, "StaffInfo")), timestamp=when, message_id=message_id)
        return Parsed(kind="status", message_id=message_id, sender=sender, recipients=recipients,
                      document_id=rf.document_id, status=status)
    business = _child(trace, "Bussiness") if trace is not None else None
    attachments, problems = _attachments(root, _child(root, "edXMLEnvelope", "edXMLBody", "edXMLManifest"))
    prom_date = _date(_text(mh, "PromulgationInfo", "PromulgationDate"))
    if prom_date is None:
        raise EdxmlError("Gói tin thiếu ngày ban hành (PromulgationDate).", code="edxml_invalid")
    replaces = _text(business, "ReplacementInfoList", "ReplacementInfo", "DocumentId") if business is not None else ""
    doc = DocumentPackage(
        sender=sender, recipients=recipients, code_number=_text(mh, "Code", "CodeNumber"),
        code_notation=_text(mh, "Code", "CodeNotation"), place=_text(mh, "PromulgationInfo", "Place"),
        promulgation_date=prom_date, type_name=_text(mh, "DocumentType", "TypeName"),
        type_code=_text(mh, "DocumentType", "Type"), subject=_text(mh, "Subject"), content=_text(mh, "Content"),
        signer_competence=_text(mh, "SignerInfo", "Competence"), signer_position=_text(mh, "SignerInfo", "Position"),
        signer_name=_text(mh, "SignerInfo", "FullName"), due_date=_date(_text(mh, "DueDate")),
        to_places=[_text(p) for p in _children(_child(mh, "ToPlaces"), "Place")],
        priority=_int(_text(mh, "OtherInfo", "Priority")), steering_type=_int(_text(mh, "SteeringType"), 1),
        page_amount=_int(_text(mh, "OtherInfo", "PageAmount")) or None,
        promulgation_amount=_int(_text(mh, "OtherInfo", "PromulgationAmount")) or None,
        business_type=_int(_text(business, "BussinessDocType")) if business is not None else BUSINESS_NEW,
        business_reason=_text(business, "BussinessDocReason") if business is not None else "",
        replaces_document_id=replaces, response_for=_response_for_of(_child(mh, "ResponseFor")),
        staff=_staff_of(_child(business, "StaffInfo")) if business is not None else StaffInfo(),
        attachments=attachments, message_id=message_id)
    return Parsed(kind="document", message_id=message_id, sender=sender, recipients=recipients,
                  document_id=_text(mh, "DocumentId") or doc.document_id, document=doc,
                  attachment_problems=problems)
