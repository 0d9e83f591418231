"""PAdES signing of PDF bytes with pyHanko: B-T always, B-LT when validation data is at hand.

Each signature is an incremental update, so signatures already in the file stay valid (a leader signs,
then the văn thư applies the agency signature). Nothing here touches the database.
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp import BaseStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from tinhso.core.errors import ValidationFailed
from tinhso.signing import stamps
from tinhso.signing.loops import outside_event_loop
from tinhso.signing.pki import (
    KeyMaterial,
    TrustStore,
    nfc,
    private_key_to_der,
    to_asn1_certificate,
    to_asn1_crl,
)
from tinhso.signing.stamps import Box, StampFonts
from tinhso.signing.timefmt import vn_datetime

logger = logging.getLogger(__name__)

KIND_PERSONAL = "personal"
KIND_AGENCY = "agency"


@dataclass(frozen=True)
class Appearance:
    """What the visible stamp shows. ``None`` images give a text-only stamp."""

    kind: str  # KIND_PERSONAL or KIND_AGENCY
    signer_name: str = ""  # the person (personal stamp)
    agency_name: str = ""  # the agency (agency stamp)
    image_png: bytes | None = None  # signature image (person) or seal image (agency)
    seal_diameter_mm: float = stamps.SEAL_DIAMETER_MM
    fonts: StampFonts = stamps.BUNDLED_FONTS


@dataclass(frozen=True)
class SignResult:
    pdf: bytes
    field_name: str
    page: int  # 0-based
    box: Box
    signed_at: datetime
    long_term: bool  # B-LT: certificates and CRLs embedded in the document security store


def pdf_open(pdf: bytes) -> PdfFileReader:
    """A pyHanko reader, or a Vietnamese error for bytes that are not a readable PDF."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root  # noqa: B018 - force the trailer and catalogue to be read
        return reader
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValidationFailed("Tệp không phải là tài liệu PDF hợp lệ.", code="invalid_pdf") from exc


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses the DER key on every raw signature (a ~0.1 s RSA check each
    time); this one signs with the key object already in memory for the usual mechanisms."""

    def __init__(self, *, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism["algorithm"].native
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if algo in ("rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa", "sha512_rsa") and isinstance(
            self._private_key, rsa.RSAPrivateKey
        ):
            return self._private_key.sign(data, PKCS1v15(), hash_algo)
        if algo.endswith("ecdsa") and isinstance(self._private_key, ec.EllipticCurvePrivateKey):
            return self._private_key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


def _pyhanko_signer(material: KeyMaterial) -> signers.SimpleSigner:
    if material.private_key is None:
        raise ValueError("signing needs the private key")
    return _LoadedKeySigner(
        private_key=material.private_key,
        signing_cert=to_asn1_certificate(material.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(private_key_to_der(material.private_key)),
        cert_registry=SimpleCertificateStore.from_certs([to_asn1_certificate(c) for c in material.chain]),
    )


def _page_geometry(reader: PdfFileReader, page: int) -> tuple[int, float, float]:
    count = int(reader.root["/Pages"]["/Count"])
    index = page if page >= 0 else count + page
    if not 0 <= index < count:
        raise ValidationFailed(
            f"Tài liệu chỉ có {count} trang; không thể đặt chữ ký ở trang {page + 1 if page >= 0 else page}.",
            code="invalid_signature_page",
        )
    page_obj = reader.find_page_for_modification(index)[0].get_object()
    node = page_obj
    mediabox = None
    while node is not None and mediabox is None:  # /MediaBox is inheritable from /Pages
        mediabox = node.get("/MediaBox")
        node = node.get("/Parent")
    x1, y1, x2, y2 = (float(v) for v in (mediabox or (0, 0, 595.28, 841.89)))
    return index, x2 - x1, y2 - y1


def signature_widgets(reader: PdfFileReader) -> list[tuple[str, int, Box]]:
    """(field name, page index, rectangle) of each signed signature field with a visible widget."""
    result = []
    pages = [reader.find_page_for_modification(i)[0].idnum for i in range(int(reader.root["/Pages"]["/Count"]))]
    for sig in reader.embedded_regular_signatures:
        field_obj = sig.sig_field
        widget = field_obj
        if "/Rect" not in widget and "/Kids" in field_obj:
            widget = field_obj["/Kids"][0].get_object()
        rect = widget.get("/Rect")
        page_ref = widget.raw_get("/P") if "/P" in widget else None
        if rect is None or page_ref is None:
            continue
        x1, y1, x2, y2 = (float(v) for v in rect)
        if x2 - x1 < 1 or y2 - y1 < 1:
            continue
        page_index = pages.index(page_ref.idnum) if page_ref.idnum in pages else 0
        result.append((sig.field_name, page_index, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
    return result


@dataclass(frozen=True)
class _Layout:
    page: int
    box: Box
    seal_offset: float = 0.0  # the seal's distance from the box's left edge (a form's officer cell)


def _layout(
    reader: PdfFileReader, appearance: Appearance, page: int | None, box: Box | None, signed_at_text: str,
    over: Box | None = None,
) -> _Layout:
    seal_pt = appearance.seal_diameter_mm * stamps.MM
    info_width = stamps.text_width_pt(
        f"{nfc(appearance.agency_name)}\nThời gian ký: {signed_at_text}",
        font_path=appearance.fonts.italic, size=stamps.INFO_FONT_SIZE,
    )
    if appearance.kind == KIND_AGENCY and box is None and over is not None:
        # A signature block drawn by the template (a form's officer cell): the seal on its left part,
        # inside the cell, its text under the names and on the page (A5 is narrow).
        index, width, _height = _page_geometry(reader, -1 if page is None else page)
        rect, offset = stamps.agency_box_form(over, seal_diameter_pt=seal_pt, info_width_pt=info_width,
                                              page_right=width - 5 * stamps.MM)
        return _Layout(index, rect, offset)
    if appearance.kind == KIND_AGENCY and box is None and page is None:
        # §7.5: the seal goes over the left third of the person's signature, if there is one.
        widgets = signature_widgets(reader)
        if widgets:
            _name, page_index, rect = widgets[0]
            return _Layout(page_index, stamps.agency_box_over(rect, seal_diameter_pt=seal_pt, info_width_pt=info_width))
    index, width, height = _page_geometry(reader, -1 if page is None else page)
    if box is not None:
        return _Layout(index, box)
    if appearance.kind == KIND_AGENCY:
        return _Layout(index, stamps.agency_box_default(
            page_width=width, page_height=height, seal_diameter_pt=seal_pt, info_width_pt=info_width
        ))
    return _Layout(index, stamps.personal_box_default(page_width=width, page_height=height))


def _stamp_style(appearance: Appearance, box: Box, seal_offset: float = 0.0) -> BaseStampStyle:
    fonts = appearance.fonts.checked()
    if appearance.kind == KIND_AGENCY:
        return stamps.agency_stamp_style(
            seal_png=appearance.image_png, fonts=fonts, seal_diameter_pt=appearance.seal_diameter_mm * stamps.MM,
            seal_offset_pt=seal_offset,
        )
    width = box[2] - box[0]
    height = box[3] - box[1] - stamps.NAME_FONT_SIZE * 1.6
    return stamps.personal_stamp_style(
        signature_png=appearance.image_png, fonts=fonts, image_width_pt=min(width, height * 2.4)
    )


def _validation_context(trust: TrustStore, at: datetime) -> ValidationContext:
    return ValidationContext(
        trust_roots=[to_asn1_certificate(c) for c in trust.roots],
        other_certs=[to_asn1_certificate(c) for c in trust.extra_certs],
        crls=[to_asn1_crl(c) for c in trust.crls],
        allow_fetching=trust.allow_fetching,
        revocation_mode="soft-fail",
        moment=at,
    )


def long_term_possible(material: KeyMaterial, trust: TrustStore | None) -> bool:
    """B-LT needs, offline, a CRL from every CA in the signer's chain below the root."""
    if trust is None:
        return False
    issuers_with_crl = {crl.issuer for crl in trust.crls}
    certs = [material.certificate, *material.chain]
    non_roots = [c for c in certs if c.issuer != c.subject]
    return bool(non_roots) and all(c.issuer in issuers_with_crl for c in non_roots)


@outside_event_loop
def pdf_sign_bytes(
    *,
    pdf: bytes,
    material: KeyMaterial,
    appearance: Appearance,
    timestamper: TimeStamper | None,
    reason: str = "",
    location: str = "",
    page: int | None = None,
    box: Box | None = None,
    trust: TrustStore | None = None,
    field_name: str = "",
    signed_at: datetime | None = None,
    over: Box | None = None,
) -> SignResult:
    """Add one visible PAdES signature to ``pdf`` and return the new file.

    ``page`` is 0-based (negative counts from the end; default: the last page, or for the agency
    signature the page of the person's signature it overlaps). ``box`` is ``(x1, y1, x2, y2)`` in
    points from the bottom-left corner; ``over`` (agency signature only) is a signature block to
    overlap instead of a person's signature already in the file. With ``trust`` holding the CRLs of the signer's CAs, the
    certificates and CRLs are embedded (PAdES B-LT); otherwise the signature is B-T.
    """
    reader = pdf_open(pdf)
    moment = signed_at or datetime.now(UTC)
    signed_at_text = vn_datetime(moment)
    placed = _layout(reader, appearance, page, box, signed_at_text, over)
    page_index, rect = placed.page, placed.box
    rect_int = (round(rect[0]), round(rect[1]), round(rect[2]), round(rect[3]))
    name = field_name or f"{'ChuKyCoQuan' if appearance.kind == KIND_AGENCY else 'ChuKyCaNhan'}_{uuid.uuid4().hex[:8]}"
    long_term = long_term_possible(material, trust)

    def attempt(with_ltv: bool) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=location or None,
            name=nfc(appearance.signer_name or appearance.agency_name) or None,
            embed_validation_info=with_ltv,
            validation_context=_validation_context(trust, moment) if with_ltv and trust else None,
            signer_key_usage={"digital_signature", "non_repudiation"},
            # Validation data in the signature's own revision: the newest signature then covers the
            # whole file ("Total document signed" in pdfsig), which is what a reader expects to see.
            dss_settings=DSSContentSettings(
                placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
            ),
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=_pyhanko_signer(material),
            timestamper=timestamper,
            stamp_style=_stamp_style(appearance, rect, placed.seal_offset),
            new_field_spec=fields.SigFieldSpec(name, on_page=page_index, box=rect_int),
        )
        out = io.BytesIO()
        pdf_signer.sign_pdf(
            writer,
            output=out,
            appearance_text_params={
                "signer_name": nfc(appearance.signer_name),
                "agency_name": nfc(appearance.agency_name),
                "signed_at": signed_at_text,
            },
        )
        return out.getvalue()

    try:
        signed = attempt(long_term)
    except SigningError as exc:
        if not long_term:
            raise
        # The timestamp authority's chain may be unknown offline (an external TSA): keep B-T.
        logger.warning("PAdES B-LT not possible (%s); signing as B-T", exc)
        long_term = False
        signed = attempt(False)
    return SignResult(
        pdf=signed, field_name=name, page=page_index, box=rect, signed_at=moment, long_term=long_term
    )
