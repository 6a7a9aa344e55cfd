"""Product photos: checked by content, normalised and resized at upload (Pillow).

Every upload path (owner portal, admin, importers, ``seed_demo``) calls :func:`photo_add`:

1. the file is accepted by its *content*, never its name: JPEG, PNG or WebP as detected by Pillow
   (after a quick magic-byte check with ``filetype``); empty files, files over
   :data:`MAX_UPLOAD_BYTES` and images over :data:`MAX_PIXELS` are refused with an Indonesian
   ``ValidationError`` (Pillow's decompression-bomb guard is turned into the same refusal);
2. EXIF orientation is applied, then every piece of metadata is dropped (EXIF, GPS, XMP, comments;
   an ICC profile is converted to sRGB and not kept) and the picture is converted to RGB;
3. a normalised original (longest side at most :data:`MAX_ORIGINAL_SIDE` px, JPEG) and WebP
   renditions :data:`RENDITION_WIDTHS` wide are written through ``default_storage`` and recorded
   in ``ProductPhoto.renditions`` as ``{"320": "<storage name>", ...}``.

Nothing is left on disk when anything fails: files written by a failed ``photo_add`` are deleted
before the error propagates, and ``photo_delete`` removes files only once the deletion commits.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Product, ProductPhoto

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_ORIGINAL_SIDE = 1600
RENDITION_WIDTHS = (320, 640, 1024)
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
JPEG_QUALITY = 85
WEBP_QUALITY = 80
# WebP encoder effort (0 fastest … 6 smallest); 4 is libwebp's default balance.
WEBP_METHOD = 4

MSG_EMPTY = _("Berkas foto kosong.")
MSG_TOO_LARGE = _("Ukuran berkas foto maksimal %(limit)s MB.")
MSG_NOT_IMAGE = _("Berkas bukan gambar JPEG, PNG, atau WebP.")
MSG_TOO_MANY_PIXELS = _("Resolusi gambar terlalu besar; maksimal %(limit)s megapiksel.")
MSG_BROKEN = _("Berkas gambar rusak atau tidak lengkap.")


@dataclass
class ProcessedPhoto:
    """The outcome of :func:`process_image`: encoded bytes, ready to store."""

    original: bytes
    original_ext: str
    width: int
    height: int
    renditions: dict[int, bytes] = field(default_factory=dict)  # actual width -> WebP bytes


def _read_upload(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is not None and size > MAX_UPLOAD_BYTES:
            raise _too_large()
        if hasattr(file, "seek"):
            file.seek(0)
        # Read one byte past the limit: enough to know it is too large without reading it all.
        data = file.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ValidationError(MSG_EMPTY, code="empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    return data


def _too_large() -> ValidationError:
    return ValidationError(
        MSG_TOO_LARGE, code="too_large", params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        MSG_TOO_MANY_PIXELS, code="too_many_pixels", params={"limit": MAX_PIXELS // 1_000_000}
    )


def open_checked(data: bytes) -> Image.Image:
    """Open ``data`` as an image, refusing anything but JPEG/PNG/WebP within the limits."""
    kind = filetype.guess(data[:512])
    if kind is None or kind.mime not in ALLOWED_FORMATS.values():
        raise ValidationError(MSG_NOT_IMAGE, code="not_image")
    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_IMAGE_PIXELS and raises past twice that: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format not in ALLOWED_FORMATS:
                raise ValidationError(MSG_NOT_IMAGE, code="not_image")
            if img.width * img.height > MAX_PIXELS:
                raise _too_many_pixels()
            img.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(MSG_NOT_IMAGE, code="not_image") from exc
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        raise ValidationError(MSG_BROKEN, code="broken") from exc
    return img


def _to_srgb(img: Image.Image) -> Image.Image:
    """Convert pixels with an embedded ICC profile to sRGB (best effort); the profile is dropped."""
    icc = img.info.get("icc_profile")
    if not icc:
        return img
    try:
        from PIL import ImageCms

        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        dst = ImageCms.createProfile("sRGB")
        mode = "RGBA" if img.mode in ("RGBA", "LA", "PA") else "RGB"
        return ImageCms.profileToProfile(img.convert(mode), src, dst, outputMode=mode)
    except Exception:  # noqa: BLE001 - a bad or unsupported profile: keep the pixels as they are
        return img


def _flatten_rgb(img: Image.Image) -> Image.Image:
    """RGB with transparency composited on white, as a fresh image carrying no metadata."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        base = Image.new("RGB", rgba.size, (255, 255, 255))
        base.paste(rgba, mask=rgba.getchannel("A"))
        rgb = base
    else:
        rgb = img.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean  # a new image: no EXIF, GPS, XMP, ICC or comments in .info


def process_image(data: bytes) -> ProcessedPhoto:
    """Check and normalise image bytes; no storage or database access (safe in worker processes)."""
    img = open_checked(data)
    img = ImageOps.exif_transpose(img)  # returns a copy with the Orientation tag removed
    img = _flatten_rgb(_to_srgb(img))
    img.thumbnail((MAX_ORIGINAL_SIDE, MAX_ORIGINAL_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=True)
    result = ProcessedPhoto(
        original=out.getvalue(), original_ext="jpg", width=img.width, height=img.height
    )
    done: set[int] = set()
    # Largest first: each smaller rendition is resized from the previous one (faster, same look).
    source = img
    for width in sorted(RENDITION_WIDTHS, reverse=True):
        actual = min(width, img.width)
        if actual in done:
            continue
        done.add(actual)
        if actual < source.width:
            height = max(1, round(source.height * actual / source.width))
            source = source.resize((actual, height), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        source.save(buf, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        result.renditions[actual] = buf.getvalue()
    return result


def _store(names: list[str], name: str, data: bytes) -> str:
    stored = default_storage.save(name, ContentFile(data))
    names.append(stored)
    return stored


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


def photo_add(
    *,
    product: Product,
    file: IO[bytes] | bytes | None = None,
    alt_text: str = "",
    position: int = 0,
    processed: ProcessedPhoto | None = None,
) -> ProductPhoto:
    """Check, normalise and store a photo of ``product``; return the saved ProductPhoto.

    ``file`` is an uploaded file, any binary file object or bytes. ``processed`` lets a caller
    that already ran :func:`process_image` (e.g. in a worker process) skip that step.
    Raises ValidationError (Indonesian message) for a refused file; nothing is written then.
    """
    if processed is None:
        if file is None:
            raise ValidationError(MSG_EMPTY, code="empty")
        processed = process_image(_read_upload(file))
    written: list[str] = []
    token = uuid.uuid4().hex[:16]
    folder = f"products/{product.pk}"
    try:
        with transaction.atomic():
            original = _store(
                written, f"{folder}/{token}.{processed.original_ext}", processed.original
            )
            renditions = {
                str(width): _store(written, f"{folder}/{token}-{width}.webp", data)
                for width, data in sorted(processed.renditions.items())
            }
            photo = ProductPhoto(
                product=product,
                image=original,
                width=processed.width,
                height=processed.height,
                renditions=renditions,
                alt_text=(alt_text or product.name)[:200],
                position=position,
            )
            photo.save()
    except BaseException:
        _delete_files(written)
        raise
    return photo


def photo_files(photo: ProductPhoto) -> list[str]:
    names = [photo.image.name] if photo.image else []
    names += [n for n in (photo.renditions or {}).values() if n]
    return names


@transaction.atomic
def photo_delete(*, photo: ProductPhoto) -> None:
    """Delete the photo row; its files go once the deletion is committed (a rollback keeps them)."""
    names = photo_files(photo)
    photo.delete()
    transaction.on_commit(lambda: _delete_files(names))


def rendition_url(photo: ProductPhoto, width: int = 640) -> str:
    """URL of the smallest rendition at least ``width`` wide (or the largest, or the original)."""
    items = sorted((int(w), n) for w, n in (photo.renditions or {}).items())
    for w, name in items:
        if w >= width:
            return default_storage.url(name)
    if items:
        return default_storage.url(items[-1][1])
    return photo.image.url if photo.image else ""


def rendition_srcset(photo: ProductPhoto) -> str:
    """``srcset`` value for an ``<img>``: ``/media/…-320.webp 320w, /media/…-640.webp 640w, …``."""
    items = sorted((int(w), n) for w, n in (photo.renditions or {}).items())
    if not items and photo.image:
        return f"{photo.image.url} {photo.width}w" if photo.width else photo.image.url
    return ", ".join(f"{default_storage.url(name)} {w}w" for w, name in items)


def describe_limits() -> dict[str, Any]:
    """Limits for help texts in forms."""
    return {
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_megapixels": MAX_PIXELS // 1_000_000,
        "formats": "JPEG, PNG, WebP",
    }
