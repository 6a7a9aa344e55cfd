"""Owners' rights over their personal data, for everything the portal holds about an owner.

Here because it reaches every base app: the export ("Data saya") lists the account, units with
the owner's personal fields, products, certification requests with their documents and status
history, certificates, claims, consents and data requests; the erasure anonymises the person in
the ikm tables (``ikm.privacy.anonymise_owner``) and removes the scans of their identity card (KTP)
from requests. The officials' handling of a request ("selesaikan"/"tolak") runs here because
finishing a deletion request is the erasure. See docs/privacy.md.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ikm import privacy as ikm_privacy
from ikm.models import DataSubjectRequest, Erasure, IKMUnit
from products.models import Product

from .models import Certification, DocumentType, Request, RequestDocument, StatusChange

log = logging.getLogger(__name__)
User = get_user_model()
FORMAT_VERSION = 1

_iso = ikm_privacy.iso


# --- the export --------------------------------------------------------------------------------
def _unit(unit: IKMUnit, *, whole_nik: bool) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "nama_usaha": unit.name,
        "pemilik": ikm_privacy.unit_personal_data(unit, whole_nik=whole_nik),
        "nib": unit.nib,
        "npwp": unit.npwp,
        "kbli": unit.kbli,
        "kelompok_komoditas": unit.get_commodity_group_display(),
        "deskripsi": unit.description,
        "alamat_usaha": unit.address,
        "desa_kelurahan": f"{unit.desa.label} ({unit.desa_id})",
        "lintang": str(unit.latitude) if unit.latitude is not None else None,
        "bujur": str(unit.longitude) if unit.longitude is not None else None,
        "telepon_usaha": unit.phone,
        "whatsapp": unit.whatsapp,
        "email_usaha": unit.email,
        "situs_web": unit.website,
        "tahun_berdiri": unit.year_established,
        "tenaga_kerja": unit.workers,
        "nilai_investasi": unit.investment,
        "kapasitas_produksi": str(unit.capacity) if unit.capacity is not None else None,
        "satuan_kapasitas": unit.capacity_unit,
        "nilai_produksi": unit.production_value,
        "terverifikasi": unit.verified,
        "dibuat": _iso(unit.created_at),
        "diperbarui": _iso(unit.updated_at),
    }


def _product(product: Product) -> dict[str, Any]:
    return {
        "id": product.pk,
        "unit_id": product.unit_id,
        "nama": product.name,
        "kategori": product.get_category_display(),
        "deskripsi": product.description,
        "harga": product.price,
        "satuan_harga": product.get_price_unit_display(),
        "tayang": product.is_published,
        "produk_terseleksi": product.is_selected,
        "foto": [p.image.name for p in product.photos.all()],
        "tautan_marketplace": [
            {"marketplace": link.get_platform_display(), "url": link.url}
            for link in product.marketplace_links.all()
        ],
        "dibuat": _iso(product.created_at),
    }


def _request(req: Request) -> dict[str, Any]:
    return {
        "id": req.pk,
        "jenis": req.get_kind_display(),
        "unit_id": req.unit_id,
        "status": req.get_status_display(),
        "produk": [p.name for p in req.products.all()],
        "keterangan": req.notes,
        "dibuat": _iso(req.created_at),
        "diajukan": _iso(req.submitted_at),
        "diputuskan": _iso(req.decided_at),
        "dokumen": [
            {
                "jenis": doc.get_doc_type_display(),
                "nama_berkas": doc.original_name,
                "tipe": doc.content_type,
                "ukuran_bita": doc.size,
                "diunggah": _iso(doc.uploaded_at),
            }
            for doc in req.documents.all()
        ],
        "riwayat_status": [
            {
                "dari": change.get_from_status_display() if change.from_status else "",
                "ke": change.get_to_status_display(),
                "oleh": _("Anda") if change.actor_id == req.created_by_id else _("Petugas Dinas"),
                "catatan": change.note,
                "waktu": _iso(change.created_at),
            }
            for change in req.status_changes.all()
        ],
    }


def _certificate(cert: Certification) -> dict[str, Any]:
    return {
        "jenis": cert.get_type_display(),
        "nomor": cert.number,
        "penerbit": cert.issuer,
        "terbit": _iso(cert.issued_on),
        "berlaku_sampai": _iso(cert.valid_until),
        "unit_id": cert.unit_id,
    }


def export_personal_data(user: AbstractBaseUser, *, whole_nik: bool = True) -> dict[str, Any]:
    """Everything the portal holds about this owner, for their own download (NIK whole)."""
    units = list(IKMUnit.objects.filter(owner=user).select_related("desa").order_by("name", "pk"))
    products = (
        Product.objects.filter(unit__owner=user)
        .prefetch_related("photos", "marketplace_links")
        .order_by("unit_id", "name", "pk")
    )
    requests = (
        Request.objects.filter(Q(unit__owner=user) | Q(created_by=user))
        .prefetch_related(
            "products",
            "documents",
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("created_at", "id")),
        )
        .distinct()
        .order_by("created_at", "pk")
    )
    certificates = Certification.objects.filter(unit__owner=user).order_by("issued_on", "pk")
    return {
        "format": FORMAT_VERSION,
        "dibuat_pada": _iso(timezone.now()),
        "pengendali_data": "Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Barat",
        "akun": ikm_privacy.account_data(user),
        "riwayat_masuk": ikm_privacy.login_data(user),
        "persetujuan": ikm_privacy.consents_data(user),
        "unit": [_unit(u, whole_nik=whole_nik) for u in units],
        "produk": [_product(p) for p in products],
        "permohonan": [_request(r) for r in requests],
        "sertifikat": [_certificate(c) for c in certificates],
        "klaim_unit": ikm_privacy.claims_data(user),
        "permintaan_hak_data": ikm_privacy.requests_data(user),
    }


# --- the erasure ---------------------------------------------------------------------------------
def _erase_documents(unit_ids: list[int], user_id: int) -> int:
    """Remove identity-card scans (KTP) from the requests of these units; files after commit."""
    docs = RequestDocument.objects.filter(
        Q(request__unit_id__in=unit_ids) | Q(request__created_by_id=user_id),
        doc_type=DocumentType.KTP,
    )
    names = [d.file.name for d in docs if d.file.name]
    count = docs.delete()[0]
    if names:
        storage = RequestDocument._meta.get_field("file").storage

        def remove() -> None:
            for name in names:
                try:
                    storage.delete(name)
                except OSError:
                    log.exception("Berkas KTP %s tidak dapat dihapus", name)

        transaction.on_commit(remove)
    return count


def _erase(user_id: int, unit_ids: list[int]) -> dict[str, int]:
    unit_ids = sorted(
        set(unit_ids) | set(IKMUnit.objects.filter(owner_id=user_id).values_list("pk", flat=True))
    )
    counts = ikm_privacy.anonymise_owner(user_id=user_id, unit_ids=unit_ids)
    counts["documents"] = _erase_documents(unit_ids, user_id)
    return counts


@transaction.atomic
def owner_erase(
    *,
    user_id: int,
    official: AbstractBaseUser | None = None,
    request: DataSubjectRequest | None = None,
) -> Erasure:
    """Erase a person: anonymise them everywhere, log the erasure (and journal it after commit)."""
    user = User.objects.select_for_update().get(pk=user_id)
    email = user.email or (user.get_username() if "@" in user.get_username() else "")
    unit_ids = list(IKMUnit.objects.filter(owner_id=user_id).values_list("pk", flat=True))
    _erase(user_id, unit_ids)
    return ikm_privacy.erasure_record(
        user_id=user_id, email=email, unit_ids=unit_ids, request=request, official=official
    )


def erasures_reapply() -> list[dict[str, Any]]:
    """After a restore: erase again everyone the database or the journal says was erased.
    Returns, per person, what had come back (all zeros: nothing had)."""
    done = []
    for entry in ikm_privacy.erasures_to_reapply():
        with transaction.atomic():
            if not User.objects.filter(pk=entry["user_id"]).exists():
                done.append({"user_id": entry["user_id"], "missing": True})
                continue
            erasure = ikm_privacy.erasure_restore_row(entry)
            counts = _erase(entry["user_id"], list(entry["unit_ids"]))
            erasure.reapplied_at = timezone.now()
            erasure.save(update_fields=["reapplied_at"])
        done.append({"user_id": entry["user_id"], **counts})
    return done


# --- officials handle requests -------------------------------------------------------------
@transaction.atomic
def dsr_complete(*, dsr_id: int, official: AbstractBaseUser, note: str = "") -> DataSubjectRequest:
    """Mark a request done; a deletion request is done by erasing the person, now."""
    dsr = ikm_privacy.dsr_lock(dsr_id)
    ikm_privacy.ensure_can_handle(official, dsr)
    email = dsr.user.email  # before a deletion clears it: the owner is told (Pasal 45)
    dsr = ikm_privacy.dsr_close(
        dsr=dsr, official=official, status=DataSubjectRequest.Status.DONE, note=note
    )
    erased = dsr.kind == DataSubjectRequest.Kind.PENGHAPUSAN
    if erased:
        owner_erase(user_id=dsr.user_id, official=official, request=dsr)
    transaction.on_commit(
        lambda: ikm_privacy.notify_dsr_closed(dsr_id=dsr.pk, email=email, erased=erased)
    )
    return dsr


@transaction.atomic
def dsr_reject(*, dsr_id: int, official: AbstractBaseUser, note: str) -> DataSubjectRequest:
    dsr = ikm_privacy.dsr_lock(dsr_id)
    dsr = ikm_privacy.dsr_close(
        dsr=dsr, official=official, status=DataSubjectRequest.Status.REJECTED, note=note
    )
    email = dsr.user.email
    transaction.on_commit(lambda: ikm_privacy.notify_dsr_closed(dsr_id=dsr.pk, email=email))
    return dsr
