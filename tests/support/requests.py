"""Request-test support: files on tmp storage, two owners' units and products, any request."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from certifications.models import Request, RequestDocument, RequestKind
from certifications.uploads import REQUIRED_DOCUMENTS
from tests.factories import DESA_KETAPANG, ProductFactory, UnitFactory


def minimal_pdf(text: str = "Dokumen uji") -> bytes:
    """A small, valid one-page PDF written by hand (correct xref offsets)."""
    stream = f"BT /F1 18 Tf 50 750 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def png_bytes(size=(40, 30), color=(200, 120, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes(size=(40, 30), color=(30, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def file_roots(settings, tmp_path, monkeypatch):
    """Point MEDIA_ROOT and the "private" storage at tmp_path (incl. the model field's storage)."""
    media, private = tmp_path / "media", tmp_path / "private"
    media.mkdir()
    private.mkdir()
    settings.MEDIA_ROOT = media
    settings.PRIVATE_MEDIA_ROOT = private
    storages = dict(settings.STORAGES)
    storages["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": private, "base_url": None},
    }
    settings.STORAGES = storages
    field = RequestDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=private, base_url=None))
    return {"media": media, "private": private}


@pytest.fixture
def unit_a(owner):
    """Owner A's unit in Sanggau."""
    return UnitFactory(owner=owner, nib="6103000000001", name="Lempok Durian Bu Siti")


@pytest.fixture
def unit_b(other_owner):
    """Owner B's unit in Ketapang."""
    from ikm.models import Region

    return UnitFactory(
        owner=other_owner,
        nib="6104000000002",
        name="Amplang Pak Rudi",
        desa=Region.objects.get(code=DESA_KETAPANG),
    )


@pytest.fixture
def product_a(unit_a):
    return ProductFactory(unit=unit_a, name="Lempok Durian 250 g", slug="lempok-durian-250-g")


@pytest.fixture
def product_b(unit_b):
    return ProductFactory(unit=unit_b, name="Amplang Ikan Tenggiri", slug="amplang-ikan")


def make_request(
    unit, user, *, kind=RequestKind.HALAL_SELF_DECLARE, status=None, complete=True, products=()
):
    """A request with (optionally) every required document, put straight into ``status``."""
    req = Request.objects.create(kind=kind, unit=unit, created_by=user, client_token=uuid.uuid4())
    req.products.set(products)
    if complete:
        for doc_type in REQUIRED_DOCUMENTS[kind]:
            doc = RequestDocument(
                request=req,
                doc_type=doc_type,
                original_name=f"{doc_type}.pdf",
                content_type="application/pdf",
                size=100,
                uploaded_by=user,
            )
            doc.file.save(f"{uuid.uuid4().hex}.pdf", io.BytesIO(minimal_pdf(doc_type)), save=False)
            doc.save()
    if status:
        Request.objects.filter(pk=req.pk).update(status=status)
        req.refresh_from_db()
    return req


@pytest.fixture
def request_a(file_roots, unit_a, product_a, owner):
    return make_request(unit_a, owner, products=[product_a])


@pytest.fixture
def request_b(file_roots, unit_b, product_b, other_owner):
    return make_request(unit_b, other_owner, products=[product_b])
