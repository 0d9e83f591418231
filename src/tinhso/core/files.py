"""Uploaded files (DESIGN §5.6; docs/dossiers.md "Tệp tải lên"): checked, content-addressed, served by permission.

``file_store`` accepts an upload only when it passes, in this order: the extension whitelist, the
size limit (``TINHSO_MAX_UPLOAD_BYTES``), the magic bytes of the type the extension claims, a real
parse (pypdf for PDF, Pillow for images — magic bytes alone let any file starting with ``%PDF-``
through, stack-notes §9) and, when ``TINHSO_CLAMAV_SOCKET`` names a clamd socket, a virus scan.
The bytes go through Django's storage API under their SHA-256, so identical content is stored once;
every upload still gets its own ``StoredFile`` row (its uploader, its name).

Nothing here decides who may *read* a file: the app that attaches a file to something (a dossier
document, a result) checks the reader against that thing. ``file_get_owned`` is only for the
uploader (attaching their own uploads, previewing them).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction

from tinhso.core.errors import DomainError, NotFound, ValidationFailed
from tinhso.core.models_files import StoredFile
from tinhso.core.text import clean_text

__all__ = [
    "ALLOWED_TYPES",
    "FileType",
    "ServiceUnavailable",
    "file_get_owned",
    "file_open",
    "file_store",
    "file_store_generated",
    "file_type_for",
    "files_owned",
]

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


class ServiceUnavailable(DomainError):
    """A service the request depends on (the virus scanner) is down: try again later."""

    status = 503
    code = "service_unavailable"
    title = "Dịch vụ tạm thời không sẵn sàng"


@dataclass(frozen=True)
class FileType:
    content_type: str
    category: str  # what ``RequiredDocument.accepts`` names: "pdf" or "image"
    label: str
    magic: tuple[bytes, ...]
    pillow_format: str = ""


_PDF = FileType("application/pdf", "pdf", "PDF", (b"%PDF-",))
_JPEG = FileType("image/jpeg", "image", "ảnh JPEG", (b"\xff\xd8\xff",), "JPEG")
_PNG = FileType("image/png", "image", "ảnh PNG", (b"\x89PNG\r\n\x1a\n",), "PNG")

# Extension → type. Scans and phone photos of papers are PDF or JPEG/PNG; nothing executable,
# nothing with macros, nothing a browser would render as HTML.
ALLOWED_TYPES: dict[str, FileType] = {"pdf": _PDF, "jpg": _JPEG, "jpeg": _JPEG, "png": _PNG}
# A PDF may carry a few bytes of junk before its header; readers accept it within the first KiB.
PDF_HEADER_WINDOW = 1024


def file_type_for(content_type: str) -> FileType | None:
    """The accepted type with this MIME type, if any."""
    return next((t for t in ALLOWED_TYPES.values() if t.content_type == content_type), None)


def _allowed_text() -> str:
    return "PDF, JPG, JPEG, PNG"


def _not_allowed(detail: str) -> ValidationFailed:
    return ValidationFailed(detail, code="file_type_not_allowed")


def _max_bytes() -> int:
    return int(getattr(settings, "TINHSO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB".replace(".", ",")


def _too_large() -> ValidationFailed:
    return ValidationFailed(
        f"Tệp quá lớn: dung lượng tối đa cho mỗi tệp là {_megabytes(_max_bytes())}.", code="file_too_large"
    )


def _read_hashed(upload) -> tuple[str, int]:
    """SHA-256 and size of the upload, read in chunks, stopping as soon as the limit is passed."""
    limit = _max_bytes()
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    while True:
        chunk = upload.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise _too_large()
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _check_magic(upload, file_type: FileType, name: str) -> None:
    upload.seek(0)
    head = upload.read(PDF_HEADER_WINDOW if file_type is _PDF else 16)
    upload.seek(0)
    if file_type is _PDF:
        ok = head.find(b"%PDF-") != -1
    else:
        ok = any(head.startswith(magic) for magic in file_type.magic)
    if not ok:
        raise _not_allowed(
            f"Tệp “{name}” có đuôi của {file_type.label} nhưng nội dung không phải {file_type.label}. "
            f"Chỉ chấp nhận các định dạng {_allowed_text()}."
        )


def _parse_pdf(upload, name: str) -> int:
    """Number of pages; refuses anything pypdf cannot read, and encrypted PDFs."""
    from pypdf import PdfReader

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationFailed(
                f"Tệp “{name}” được đặt mật khẩu; vui lòng tải lên bản PDF không có mật khẩu.",
                code="file_encrypted",
            )
        pages = len(reader.pages)
    except ValidationFailed:
        raise
    except Exception as exc:  # pypdf raises many types on broken files; all mean "not a PDF we can use"
        logger.info("upload %r refused: pypdf could not read it (%s)", name, exc)
        raise _not_allowed(f"Tệp “{name}” không phải là tệp PDF hợp lệ (không đọc được nội dung).") from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise _not_allowed(f"Tệp PDF “{name}” không có trang nào.")
    return pages


def _parse_image(upload, file_type: FileType, name: str) -> None:
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except Exception as exc:  # Pillow: UnidentifiedImageError, DecompressionBombError, truncated data…
        logger.info("upload %r refused: Pillow could not read it (%s)", name, exc)
        raise _not_allowed(f"Tệp “{name}” không phải là {file_type.label} hợp lệ (không đọc được ảnh).") from None
    finally:
        upload.seek(0)
    if found != file_type.pillow_format:
        raise _not_allowed(f"Tệp “{name}” có đuôi của {file_type.label} nhưng thực chất là ảnh {found}.")


def _scan(upload, name: str) -> bool:
    """Scan with clamd when configured; True when scanned clean. Fails closed when clamd is down."""
    socket_path = getattr(settings, "TINHSO_CLAMAV_SOCKET", "")
    if not socket_path:
        return False
    from clamav_client.clamd import ClamdUnixSocket

    upload.seek(0)
    try:
        answer = ClamdUnixSocket(path=socket_path).instream(upload)
    except Exception as exc:  # connection refused, timeout, protocol error: never accept unscanned
        logger.error("ClamAV at %s unavailable: %s", socket_path, exc)
        raise ServiceUnavailable(
            "Chưa kiểm tra được virus cho tệp tải lên (dịch vụ quét virus không phản hồi). "
            "Vui lòng thử lại sau ít phút.",
            code="antivirus_unavailable",
        ) from None
    finally:
        upload.seek(0)
    status, signature = (answer or {}).get("stream", ("ERROR", None))
    if status == "FOUND":
        logger.warning("upload %r refused: virus %s", name, signature)
        raise ValidationFailed(
            f"Tệp “{name}” chứa mã độc ({signature}) và đã bị từ chối.", code="file_infected"
        )
    if status != "OK":
        raise ServiceUnavailable(
            "Chưa kiểm tra được virus cho tệp tải lên. Vui lòng thử lại sau ít phút.", code="antivirus_unavailable"
        )
    return True


def _storage_name(sha256: str, extension: str) -> str:
    return f"files/{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension}"


def _put(upload, *, sha256: str, extension: str) -> str:
    """Save the bytes once under their hash; a second upload of the same bytes reuses them."""
    name = _storage_name(sha256, extension)
    if default_storage.exists(name):
        return name
    upload.seek(0)
    # Storage writes are not transactional: a rolled-back upload leaves its blob, which the next
    # upload of the same bytes reuses. Content addressing makes that harmless.
    return default_storage.save(name, File(upload, name=os.path.basename(name)))


def _clean_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    return clean_text(base)[:255] or "tep"


@transaction.atomic
def file_store(*, uploaded_by, upload) -> StoredFile:
    """Check and store one upload (a Django ``UploadedFile`` or any file object with ``name``).

    Raises ``ValidationFailed`` with ``file_type_not_allowed``, ``file_too_large``, ``file_empty``,
    ``file_encrypted`` or ``file_infected``; ``ServiceUnavailable`` (503, ``antivirus_unavailable``)
    when a configured clamd does not answer. Nothing is stored when a check fails.
    """
    name = _clean_name(getattr(upload, "name", ""))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    file_type = ALLOWED_TYPES.get(extension)
    if file_type is None:
        raise _not_allowed(f"Không chấp nhận tệp “{name}”: chỉ nhận các định dạng {_allowed_text()}.")
    declared = getattr(upload, "size", None)
    if declared is not None and declared > _max_bytes():
        raise _too_large()
    sha256, size = _read_hashed(upload)
    if size == 0:
        raise ValidationFailed(f"Tệp “{name}” rỗng (0 byte).", code="file_empty")
    _check_magic(upload, file_type, name)
    pages = None
    if file_type is _PDF:
        pages = _parse_pdf(upload, name)
    else:
        _parse_image(upload, file_type, name)
    scanned = _scan(upload, name)
    storage_name = _put(upload, sha256=sha256, extension="jpg" if extension == "jpeg" else extension)
    return StoredFile.objects.create(
        sha256=sha256, size=size, content_type=file_type.content_type, original_name=name,
        storage_name=storage_name, page_count=pages, virus_scanned=scanned,
        uploaded_by=uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None,
    )


@transaction.atomic
def file_store_generated(*, name: str, content: bytes, content_type: str = "application/pdf",
                         created_by=None) -> StoredFile:
    """Store bytes the platform produced itself (a rendered form, a result from a template).

    No type checks: the content did not come from outside. ``content_type`` must still be one of
    the accepted types so that every stored file can be served the same way.
    """
    file_type = file_type_for(content_type)
    if file_type is None:
        raise ValueError(f"unsupported content type for a stored file: {content_type!r}")
    sha256 = hashlib.sha256(content).hexdigest()
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    storage_name = _put(ContentFile(content), sha256=sha256, extension=extension)
    return StoredFile.objects.create(
        sha256=sha256, size=len(content), content_type=content_type, original_name=_clean_name(name),
        storage_name=storage_name, uploaded_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )


def file_open(*, stored_file: StoredFile):
    """The stored bytes as a binary file object (the caller has checked the reader's permission)."""
    return default_storage.open(stored_file.storage_name, "rb")


def file_read(*, stored_file: StoredFile) -> bytes:
    with file_open(stored_file=stored_file) as handle:
        return handle.read()


def _as_uuid_text(value) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None


def files_owned(*, actor, ids: Iterable) -> dict[str, StoredFile]:
    """The files among ``ids`` that ``actor`` uploaded, by id text (one query).

    Ids that are malformed, unknown or someone else's are simply absent: the caller reports them
    as "not found", never as "belongs to someone else".
    """
    wanted = {text for text in (_as_uuid_text(i) for i in ids) if text}
    if not wanted or not getattr(actor, "is_authenticated", False):
        return {}
    return {str(f.pk): f for f in StoredFile.objects.filter(pk__in=wanted, uploaded_by=actor)}


def file_get_owned(*, actor, file_id) -> StoredFile:
    """One file ``actor`` uploaded, or ``NotFound`` (``file_not_found``)."""
    found = files_owned(actor=actor, ids=[file_id])
    if not found:
        raise NotFound("Không tìm thấy tệp đã tải lên.", code="file_not_found")
    return next(iter(found.values()))


def bytes_upload(content: bytes, name: str) -> File:
    """Wrap bytes as an upload for ``file_store`` (tests, imports, the counter's scanner bridge)."""
    return File(io.BytesIO(content), name=name)
