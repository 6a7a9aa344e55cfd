"""The owner dashboard's checklist: four questions, each with one clear next action.

1. Is the unit verified?  2. Do the products have photos?  3. Is a certificate recorded?
4. Is there a request, and does it need the owner?  Read-only (a selector for the dashboard);
each item says whether it is done and, when it is not, the one link to follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from certifications.models import Certification, Request
from ikm.models import IKMUnit
from products.models import Product

S = Request.Status


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    done: bool
    status: str  # what is true now, in a sentence
    action_label: str = ""  # the one next action ("" when there is nothing to do)
    action_url: str = ""


def owner_checklist(user) -> list[ChecklistItem]:
    units = list(
        IKMUnit.objects.filter(owner=user)
        .order_by("name")
        .only("pk", "name", "verified")
        .annotate(
            has_cert=Exists(Certification.objects.filter(unit=OuterRef("pk"))),
        )
    )
    return [
        _unit_item(units),
        _photo_item(user, units),
        _certificate_item(units),
        _request_item(user, units),
    ]


def _unit_item(units: list[IKMUnit]) -> ChecklistItem:
    title = _("Unit terverifikasi Dinas")
    if not units:
        return ChecklistItem(
            "unit",
            title,
            False,
            _("Anda belum punya unit usaha di portal ini."),
            _("Daftarkan unit usaha"),
            reverse("portal:unit_register"),
        )
    waiting = [u for u in units if not u.verified]
    if waiting:
        unit = waiting[0]
        return ChecklistItem(
            "unit",
            title,
            False,
            _("“%(name)s” menunggu verifikasi Dinas dan belum tampil di situs publik.")
            % {"name": unit.name},
            _("Periksa kelengkapan data unit"),
            reverse("portal:unit_edit", args=[unit.pk]),
        )
    return ChecklistItem("unit", title, True, _("Semua unit Anda sudah diverifikasi."))


def _photo_item(user, units: list[IKMUnit]) -> ChecklistItem:
    title = _("Produk dengan foto")
    if not units:
        return ChecklistItem("photos", title, False, _("Daftarkan unit dulu, lalu produknya."))
    products = list(
        Product.objects.filter(unit__owner=user)
        .annotate(n_photos=Count("photos"))
        .order_by("name")
        .only("pk", "name")
    )
    if not products:
        return ChecklistItem(
            "photos",
            title,
            False,
            _("Belum ada produk."),
            _("Tambah produk pertama"),
            reverse("portal:product_create", args=[units[0].pk]),
        )
    bare = [p for p in products if not p.n_photos]
    if bare:
        return ChecklistItem(
            "photos",
            title,
            False,
            _("%(n)s dari %(total)s produk belum punya foto.")
            % {"n": len(bare), "total": len(products)},
            _("Unggah foto “%(name)s”") % {"name": bare[0].name},
            reverse("portal:photo_add", args=[bare[0].pk]),
        )
    return ChecklistItem("photos", title, True, _("Setiap produk punya foto."))


def _certificate_item(units: list[IKMUnit]) -> ChecklistItem:
    title = _("Sertifikat (halal, merek, SPP-IRT, OVOP)")
    if any(u.has_cert for u in units):
        return ChecklistItem("certificates", title, True, _("Sertifikat unit Anda tercatat."))
    return ChecklistItem(
        "certificates",
        title,
        False,
        _("Belum ada sertifikat tercatat. Dinas membantu mengurusnya."),
        _("Lihat jenis fasilitasi"),
        reverse("portal:request_choose"),
    )


def _request_item(user, units: list[IKMUnit]) -> ChecklistItem:
    title = _("Permohonan fasilitasi")
    requests = list(
        Request.objects.filter(unit__owner=user).only("pk", "status", "created_at", "kind")
    )
    for status, text, label in (
        (S.RETURNED, _("%(ref)s dikembalikan untuk perbaikan."), _("Perbaiki %(ref)s")),
        (S.DRAFT, _("%(ref)s masih konsep, belum diajukan."), _("Lengkapi dan ajukan %(ref)s")),
    ):
        mine = [r for r in requests if r.status == status]
        if mine:
            ref = mine[0].reference
            return ChecklistItem(
                "request",
                title,
                False,
                text % {"ref": ref},
                label % {"ref": ref},
                reverse("portal:request_detail", args=[mine[0].pk]),
            )
    if requests:
        return ChecklistItem(
            "request", title, True, _("Tidak ada permohonan yang menunggu tindakan Anda.")
        )
    if not units:
        return ChecklistItem("request", title, False, _("Daftarkan unit dulu."))
    return ChecklistItem(
        "request",
        title,
        False,
        _("Belum ada permohonan."),
        _("Ajukan permohonan"),
        reverse("portal:request_choose"),
    )
