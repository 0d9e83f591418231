"""Verification of the signatures in a PDF: who signed, when, whether the file changed, whether to trust it.

The report keeps stable machine values (``verdict``) and explains itself in sentences. The API reads them
in Vietnamese (``explanation``, ``summary``: its JSON is Vietnamese by design, docs/i18n.md); the portal
page reads them in the page's language (``explanation_localized``, ``summary_localized``). A signature is
judged on its own; the document's verdict is the worst of its signatures.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography import x509
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    EmbeddedPdfSignature,
    KeyUsageConstraints,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import CertificateValidator, ValidationContext

from tinhso.signing.loops import outside_event_loop
from tinhso.signing.pades import pdf_open
from tinhso.signing.pki import TrustStore, certificate_describe, to_asn1_certificate, to_asn1_crl
from tinhso.signing.timefmt import vn_datetime

logger = logging.getLogger(__name__)

VALID = "valid"
VALID_UNTRUSTED = "valid_untrusted"
MODIFIED = "modified"
INVALID = "invalid"
UNSIGNED = "unsigned"

# Worst first: the document's verdict is the first one any signature has.
_SEVERITY = (INVALID, MODIFIED, VALID_UNTRUSTED, VALID)

VERDICT_LABELS = {
    VALID: "Chữ ký hợp lệ",
    VALID_UNTRUSTED: "Chữ ký hợp lệ nhưng chứng thư số không thuộc nguồn tin cậy",
    MODIFIED: "Tài liệu đã bị thay đổi sau khi ký",
    INVALID: "Chữ ký không hợp lệ",
    UNSIGNED: "Tài liệu không có chữ ký số",
}

_EXPIRY_PROBLEMS = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.REVOKED_NO_POE,
    AdESIndeterminate.REVOKED_CA_NO_POE,
}
_SIGNING_USAGES = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


@dataclass(frozen=True)
class Sentence:
    """One sentence of a report, still translatable: a lazy Vietnamese msgid and its values.

    Kept unrendered because the same report serves the API, whose text stays Vietnamese, and the
    public page, which speaks the visitor's language; rendering it once at verification time would
    fix the language of whichever request came first.
    """

    text: Promise
    values: tuple[tuple[str, str | int], ...] = ()

    def __str__(self) -> str:
        """The sentence in the active language."""
        values = dict(self.values)
        return str(self.text % values) if values else str(self.text)

    @property
    def vietnamese(self) -> str:
        with translation.override("vi"):
            return str(self)


def _sentence(text: Promise, **values: str | int) -> Sentence:
    return Sentence(text, tuple(values.items()))


def _join(sentences) -> str:
    return " ".join(str(s) for s in sentences)


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_common_name: str
    signer_organization: str
    signer_subject: str
    issuer: str
    serial_number: str
    certificate_not_before: datetime | None
    certificate_not_after: datetime | None
    signing_time: datetime | None  # claimed by the signer (not proof)
    timestamp_time: datetime | None  # from the time-stamp authority (proof, when trusted)
    timestamp_trusted: bool
    reason: str
    location: str
    intact: bool  # the signed bytes are unchanged
    cryptographically_valid: bool
    covers_whole_document: bool
    modified_after_signing: bool  # later revisions change more than signatures and form data
    trusted: bool  # the chain ends in the trust store
    revoked: bool
    revoked_at: datetime | None
    expired: bool  # the certificate's validity has ended (may still have been valid at signing)
    long_term: bool  # validation data embedded (PAdES B-LT)
    verdict: str
    sentences: tuple[Sentence, ...]

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def explanation(self) -> str:
        """Why this verdict, in Vietnamese (the API)."""
        with translation.override("vi"):
            return _join(self.sentences)

    @property
    def explanation_localized(self) -> str:
        """Why this verdict, in the active language (the page)."""
        return _join(self.sentences)

    @property
    def signed_at(self) -> datetime | None:
        return self.timestamp_time or self.signing_time

    @property
    def signed_at_text(self) -> str:
        return vn_datetime(self.signed_at) if self.signed_at else ""


@dataclass(frozen=True)
class VerificationReport:
    document_sha256: str
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if not self.signatures:
            return UNSIGNED
        verdicts = {s.verdict for s in self.signatures}
        return next(v for v in _SEVERITY if v in verdicts)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def summary(self) -> str:
        """The document's verdict in one sentence, in Vietnamese (the API)."""
        return self._summary().vietnamese

    @property
    def summary_localized(self) -> str:
        """The document's verdict in one sentence, in the active language (the page)."""
        return str(self._summary())

    def _summary(self) -> Sentence:
        n = len(self.signatures)
        if n == 0:
            return _sentence(_("Không tìm thấy chữ ký số nào trong tài liệu."))
        verdict = self.verdict
        if verdict == VALID:
            return _sentence(ngettext_lazy(
                "Tất cả %(n)s chữ ký số trong tài liệu đều hợp lệ và tài liệu không bị thay đổi sau khi ký.",
                "Tất cả %(n)s chữ ký số trong tài liệu đều hợp lệ và tài liệu không bị thay đổi sau khi ký.",
                "n"), n=n)
        if verdict == VALID_UNTRUSTED:
            return _sentence(ngettext_lazy(
                "Tài liệu có %(n)s chữ ký số còn nguyên vẹn, nhưng có chữ ký dùng chứng thư số không thuộc "
                "nguồn tin cậy của hệ thống.",
                "Tài liệu có %(n)s chữ ký số còn nguyên vẹn, nhưng có chữ ký dùng chứng thư số không thuộc "
                "nguồn tin cậy của hệ thống.",
                "n"), n=n)
        if verdict == MODIFIED:
            return _sentence(_("Nội dung tài liệu đã bị thay đổi sau khi ký; không nên tin cậy tài liệu này."))
        return _sentence(_("Có chữ ký số không hợp lệ trong tài liệu; không nên tin cậy tài liệu này."))


def _context(trust: TrustStore, dss: DocumentSecurityStore | None, moment: datetime) -> ValidationContext:
    kwargs = {
        "trust_roots": [to_asn1_certificate(c) for c in trust.roots],
        "other_certs": [to_asn1_certificate(c) for c in trust.extra_certs],
        "crls": [to_asn1_crl(c) for c in trust.crls],
        "allow_fetching": trust.allow_fetching,
        "revocation_mode": "soft-fail",
        "moment": moment,
    }
    if dss is not None:
        return dss.as_validation_context(kwargs)
    return ValidationContext(**kwargs)


def _validate(sig: EmbeddedPdfSignature, trust: TrustStore, dss, moment: datetime) -> PdfSignatureStatus:
    return validate_pdf_signature(
        sig,
        signer_validation_context=_context(trust, dss, moment),
        ts_validation_context=_context(trust, dss, datetime.now(UTC)),
        key_usage_settings=_SIGNING_USAGES,
    )


def _chain_trusted(sig: EmbeddedPdfSignature, trust: TrustStore, dss, moment: datetime) -> bool:
    """Whether the signer's certificate chains to the trust store, judged apart from the file.

    pyHanko reports ``trusted=False`` for a signature whose bytes no longer match; the page would
    then call a government certificate untrusted because someone edited the PDF. Who signed and
    what happened to the file are two verdicts (runs outside any event loop: ``pdf_verify_bytes``).
    """
    validator = CertificateValidator(sig.signer_cert, intermediate_certs=list(sig.other_embedded_certs),
                                     validation_context=_context(trust, dss, moment))
    try:
        asyncio.run(validator.async_validate_path())
    except Exception:  # noqa: BLE001 - any path failure (unknown CA, revoked, expired) means "not trusted"
        return False
    return True


def _text(value) -> str:
    if value is None:
        return ""
    return str(value)


def _unreadable(sig: EmbeddedPdfSignature, exc: Exception) -> SignatureReport:
    """A signature whose signer cannot even be identified: its CMS structure is broken, or the
    certificate inside it is not the one the signer signed (bytes swapped by a forger)."""
    logger.info("signature %s has no usable signer certificate: %s", sig.field_name, exc)
    sig_dict = sig.sig_object
    return SignatureReport(
        field_name=sig.field_name, signer_common_name="", signer_organization="", signer_subject="", issuer="",
        serial_number="", certificate_not_before=None, certificate_not_after=None, signing_time=None,
        timestamp_time=None, timestamp_trusted=False, reason=_text(sig_dict.get("/Reason")),
        location=_text(sig_dict.get("/Location")), intact=False, cryptographically_valid=False,
        covers_whole_document=False, modified_after_signing=True, trusted=False, revoked=False, revoked_at=None,
        expired=False, long_term=False, verdict=INVALID,
        sentences=(_sentence(_("Không xác định được người ký: chứng thư số trong chữ ký bị hỏng hoặc đã bị thay "
                               "thế sau khi ký; không nên tin cậy tài liệu này.")),),
    )


def _signature_report(sig: EmbeddedPdfSignature, trust: TrustStore, dss, now: datetime) -> SignatureReport:
    sig_dict = sig.sig_object
    try:
        cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
    except (SignatureValidationError, ValueError, KeyError) as exc:
        return _unreadable(sig, exc)
    info = certificate_describe(cert)
    base = {
        "field_name": sig.field_name,
        "signer_common_name": info.common_name,
        "signer_organization": info.organization,
        "signer_subject": info.subject,
        "issuer": info.issuer,
        "serial_number": info.serial_number,
        "certificate_not_before": info.not_before,
        "certificate_not_after": info.not_after,
        "reason": _text(sig_dict.get("/Reason")),
        "location": _text(sig_dict.get("/Location")),
        "expired": now > info.not_after,
        "long_term": dss is not None and any(c.dump() == sig.signer_cert.dump() for c in dss.load_certs()),
    }
    try:
        status = _validate(sig, trust, dss, now)
    except (SignatureValidationError, ValueError, KeyError) as exc:
        logger.info("signature %s could not be validated: %s", sig.field_name, exc)
        return SignatureReport(
            **base, signing_time=None, timestamp_time=None, timestamp_trusted=False, intact=False,
            cryptographically_valid=False, covers_whole_document=False, modified_after_signing=True,
            trusted=False, revoked=False, revoked_at=None, verdict=INVALID,
            sentences=(_sentence(_("Không đọc được chữ ký số: cấu trúc chữ ký bị hỏng hoặc không đúng chuẩn PAdES.")),),
        )

    ts = status.timestamp_validity
    ts_ok = ts is not None and ts.intact and ts.valid and ts.trusted
    ts_time = ts.timestamp if ts is not None else None
    notes: list[Sentence] = []

    # A certificate that expired or was revoked *after* a trusted timestamp still proves the
    # signature: validate again at the timestamp's time (the point of PAdES B-T/B-LT).
    if (
        status.intact and status.valid and not status.trusted and ts_ok
        and (status.revoked or status.trust_problem_indic in _EXPIRY_PROBLEMS)
    ):
        again = _validate(sig, trust, dss, ts_time)
        if again.trusted:
            if status.revoked:
                notes.append(_sentence(
                    _("Chứng thư số bị thu hồi từ %(when)s, sau thời điểm ký có dấu thời gian."),
                    when=vn_datetime(status.revocation_details.revocation_date),
                ))
            else:
                notes.append(_sentence(_("Chứng thư số đã hết hạn sau thời điểm ký; dấu thời gian chứng minh chữ ký "
                                         "được tạo khi chứng thư còn hiệu lực.")))
            status = again

    revoked = status.revoked
    revoked_at = status.revocation_details.revocation_date if revoked else None
    covers_all = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    acceptable_updates = status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok and level in (
        ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING,
    )
    modified = not status.intact or not (covers_all or acceptable_updates)

    if not status.intact:
        verdict = MODIFIED
        text = _sentence(_("Tài liệu đã bị thay đổi sau khi ký: nội dung không còn khớp với chữ ký số."))
    elif not status.valid:
        verdict = INVALID
        text = _sentence(_("Chữ ký số không đúng về mặt mật mã (không khớp với khóa của chứng thư số)."))
    elif modified:
        verdict = MODIFIED
        text = _sentence(_("Tài liệu đã bị sửa đổi sau khi ký (có nội dung được thêm hoặc thay đổi ngoài chữ ký số)."))
    elif revoked:
        verdict = INVALID
        text = _sentence(_("Chứng thư số của người ký đã bị thu hồi từ %(when)s."), when=vn_datetime(revoked_at))
    elif ts is not None and not (ts.intact and ts.valid):
        verdict, text = INVALID, _sentence(_("Dấu thời gian gắn với chữ ký không hợp lệ."))
    elif not status.trusted and status.trust_problem_indic in _EXPIRY_PROBLEMS | {AdESIndeterminate.EXPIRED}:
        verdict = INVALID
        text = _sentence(_("Chứng thư số đã hết hạn và không có dấu thời gian tin cậy chứng minh chữ ký được tạo khi "
                           "chứng thư còn hiệu lực."))
    elif not status.trusted:
        verdict = VALID_UNTRUSTED
        text = _sentence(_("Chữ ký còn nguyên vẹn nhưng chứng thư số không được cấp bởi tổ chức chứng thực nằm trong "
                           "danh sách tin cậy của hệ thống."))
    elif ts is not None and not ts.trusted:
        verdict = VALID_UNTRUSTED
        text = _sentence(_("Chữ ký hợp lệ nhưng dấu thời gian do đơn vị không thuộc nguồn tin cậy cấp."))
    else:
        verdict = VALID
        text = _sentence(_("Chữ ký hợp lệ: tài liệu không bị thay đổi sau khi ký và chứng thư số thuộc nguồn tin cậy."))
        if not covers_all:
            notes.append(_sentence(_("Sau chữ ký này tài liệu chỉ được bổ sung chữ ký số hoặc dữ liệu xác thực, nội "
                                     "dung không đổi.")))
    if verdict == VALID and ts is None:
        notes.append(_sentence(_("Chữ ký không có dấu thời gian; thời điểm ký do người ký tự khai.")))

    return SignatureReport(
        **base,
        signing_time=status.signer_reported_dt,
        timestamp_time=ts_time,
        timestamp_trusted=ts_ok,
        intact=status.intact,
        cryptographically_valid=status.valid,
        covers_whole_document=covers_all,
        modified_after_signing=modified,
        trusted=status.trusted or (not status.intact and _chain_trusted(sig, trust, dss, now)),
        revoked=revoked,
        revoked_at=revoked_at,
        verdict=verdict,
        sentences=(text, *notes),
    )


@outside_event_loop
def pdf_verify_bytes(*, pdf: bytes, trust: TrustStore, now: datetime | None = None) -> VerificationReport:
    """Check every (non-timestamp) signature in ``pdf`` against ``trust``."""
    reader: PdfFileReader = pdf_open(pdf)
    moment = now or datetime.now(UTC)
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no DSS (KeyError) or a broken one: validate without it
        dss = None
    signatures = []
    for sig in reader.embedded_regular_signatures:
        signatures.append(_signature_report(sig, trust, dss, moment))
    return VerificationReport(document_sha256=hashlib.sha256(pdf).hexdigest(), signatures=signatures)
