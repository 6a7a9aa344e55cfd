"""Request documents: which ones each kind needs, and the checks a file must pass (by content).

One place for the document rules: forms, services and the admin read ``REQUIRED_DOCUMENTS``.
A file is accepted by what it *is* (magic bytes via ``filetype``; a PDF must also start with
``%PDF-`` and end with ``%%EOF``; an image must open in Pillow within the pixel limit), and its
name's extension must agree with its content.
"""

from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .models import DocumentType, RequestKind

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024  # 5 MB per document
MAX_DOCUMENT_PIXELS = 40_000_000  # 40 megapixels for scanned images

ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
_CONTENT_LABELS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}

# Which documents each kind of request needs (domain.md, "Typical documents").
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    RequestKind.HALAL_SELF_DECLARE: (
        DocumentType.KTP,
        DocumentType.NIB,
        DocumentType.PRODUCT_LIST,
        DocumentType.PROCESS,
        DocumentType.HALAL_PLEDGE,
        DocumentType.PHOTO,
    ),
    RequestKind.HALAL_REGULAR: (
        DocumentType.KTP,
        DocumentType.NIB,
        DocumentType.PRODUCT_LIST,
        DocumentType.PROCESS,
        DocumentType.PHOTO,
    ),
    RequestKind.MEREK: (
        DocumentType.KTP,
        DocumentType.NIB,
        DocumentType.LABEL,
        DocumentType.UMK_LETTER,
    ),
    RequestKind.OVOP: (
        DocumentType.NIB,
        DocumentType.PRODUCT_LIST,
        DocumentType.PHOTO,
    ),
    RequestKind.SPP_IRT: (
        DocumentType.KTP,
        DocumentType.NIB,
        DocumentType.PRODUCT_LIST,
        DocumentType.PROCESS,
        DocumentType.LABEL,
    ),
}

# Optional extra documents an owner may add to any kind.
OPTIONAL_DOCUMENTS: tuple[str, ...] = (DocumentType.OTHER,)


def documents_for(kind: str) -> tuple[str, ...]:
    return REQUIRED_DOCUMENTS[kind]


@dataclass(frozen=True)
class CheckedDocument:
    """A file that passed the checks, with what we learnt about it."""

    file: UploadedFile
    content_type: str
    extension: str
    size: int
    original_name: str

    def storage_name(self) -> str:
        """A random file name (the original name is kept in the row, never in the path)."""
        return f"{uuid.uuid4().hex}{self.extension}"


def _read_all(file: UploadedFile) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def _check_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _("Berkas PDF tidak valid: tidak diawali tanda %PDF-."), code="invalid_pdf"
        )
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"obj" not in data:
        raise ValidationError(
            _("Berkas PDF rusak atau tidak lengkap (tidak ada penutup %%EOF)."),
            code="invalid_pdf",
        )


def _check_image(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width * height > MAX_DOCUMENT_PIXELS:
                raise ValidationError(
                    _(
                        "Gambar terlalu besar: %(w)s×%(h)s piksel; paling banyak %(max)s juta "
                        "piksel. Perkecil gambar lalu unggah lagi."
                    ),
                    code="too_many_pixels",
                    params={"w": width, "h": height, "max": MAX_DOCUMENT_PIXELS // 1_000_000},
                )
            img.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _(
                "Gambar terlalu besar (jumlah piksel melebihi batas). "
                "Perkecil gambar lalu unggah lagi."
            ),
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(
            _("Gambar rusak atau tidak bisa dibaca."), code="invalid_image"
        ) from exc


def check_document(file: UploadedFile | None) -> CheckedDocument:
    """Check one uploaded document; raise ValidationError with an Indonesian message."""
    if file is None:
        raise ValidationError(_("Pilih berkas untuk diunggah."), code="required")
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("Berkas kosong (0 bita). Pilih berkas yang berisi."), code="empty")
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (%(size).1f MB); paling besar %(max)s MB."),
            code="too_large",
            params={"size": size / 1024 / 1024, "max": MAX_DOCUMENT_BYTES // 1024 // 1024},
        )
    data = _read_all(file)
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationError(
            _(
                "Jenis berkas tidak diterima: isinya bukan PDF, JPEG atau PNG "
                "(diperiksa dari isi berkas, bukan dari namanya)."
            ),
            code="bad_type",
        )
    original_name = os.path.basename(file.name or "dokumen")
    ext = os.path.splitext(original_name)[1].lower()
    if ext not in ALLOWED_DOCUMENT_TYPES[mime]:
        raise ValidationError(
            _(
                "Nama berkas berakhiran “%(ext)s” tetapi isinya %(label)s. "
                "Simpan ulang berkas dalam format yang benar."
            ),
            code="extension_mismatch",
            params={"ext": ext or _("(tanpa ekstensi)"), "label": _CONTENT_LABELS[mime]},
        )
    if mime == "application/pdf":
        _check_pdf(data)
    else:
        _check_image(data)
    return CheckedDocument(
        file=file,
        content_type=mime,
        extension=ALLOWED_DOCUMENT_TYPES[mime][0],
        size=size,
        original_name=original_name[:255],
    )
