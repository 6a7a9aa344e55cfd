"""Owner portal: dashboard, own units (register, claim, edit) and own products.

Every object is looked up through the owner (``owner=request.user``): someone else's unit,
product, photo or link gives 404, for GET and POST alike. Views only call services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.network import client_ip
from certifications.models import Request
from core.forms import apply_service_errors, saving_transaction
from core.ratelimit import within_limit
from ikm import services as unit_services
from ikm.models import IKMUnit, Region, UnitClaim
from ikm.rules import PROVINCE_CODE
from portal.checklist import owner_checklist
from portal.forms import ClaimForm, MarketplaceLinkForm, PhotoForm, ProductForm, UnitForm
from products import services as product_services
from products.models import MarketplaceLink, Product, ProductPhoto


def own_units(user):
    return IKMUnit.objects.filter(owner=user)


def own_products(user):
    return Product.objects.filter(unit__owner=user).select_related("unit")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    units = (
        own_units(request.user)
        .select_related("desa__parent__parent")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.annotate(n_photos=Count("photos")))
        )
    )
    requests = (
        Request.objects.filter(unit__owner=request.user)
        .select_related("unit", "certification")
        .order_by("-updated_at")
    )
    # Decided claims only: listing a pending one would tell a NIB that exists from one that does
    # not (issue 13); the claimant learns that by mail.
    claims = (
        UnitClaim.objects.filter(user=request.user)
        .exclude(status=UnitClaim.Status.PENDING)
        .select_related("unit")
    )
    return render(
        request,
        "portal/dashboard.html",
        {
            "units": units,
            "requests": requests,
            "claims": claims,
            "checklist": owner_checklist(request.user),
        },
    )


@login_required
@require_GET
def region_children(request: HttpRequest, code: str) -> JsonResponse:
    """Kecamatan of a kab/kota, or desa/kelurahan of a kecamatan, for the unit form's selects."""
    parent = get_object_or_404(Region, code=code, code__startswith=PROVINCE_CODE)
    children = parent.children.order_by("name").values_list("code", "name", "level")
    return JsonResponse(
        {
            "parent": parent.code,
            "children": [
                {"code": c, "name": n, "label": f"{Region.Level(lv).label} {n}"}
                for c, n, lv in children
            ],
        }
    )


@login_required
def unit_register(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            unit = unit_services.unit_register(
                owner=request.user, nik=form.cleaned_data["nik"] or None, **fields
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Unit “%(name)s” terdaftar. Petugas Dinas akan memverifikasinya sebelum "
                    "tampil di situs publik."
                )
                % {"name": unit.name},
            )
            return redirect("portal:dashboard")
    return render(request, "portal/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(own_units(request.user), pk=pk)
    form = UnitForm(request.POST or None, instance=unit)
    form.version_viewer = request.user
    with saving_transaction(request):  # the version check's lock holds until the save
        if request.method == "POST" and form.is_valid():
            was_verified = unit.verified
            try:
                updated = unit_services.unit_update_by_owner(
                    unit_id=unit.pk,
                    owner=request.user,
                    nik=form.cleaned_data["nik"] or None,
                    **form.service_fields(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if was_verified and not updated.verified:  # one message per action
                    messages.warning(
                        request,
                        _(
                            "Data unit disimpan. Nama usaha, nama pemilik, NIB, NIK atau lokasi "
                            "berubah: unit perlu diverifikasi ulang oleh Dinas dan tidak tampil "
                            "di situs publik sampai itu."
                        ),
                    )
                else:
                    messages.success(request, _("Data unit disimpan."))
                return redirect("portal:dashboard")
    return render(request, "portal/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_claim(request: HttpRequest) -> HttpResponse:
    """Claim a unit by its NIB. One answer for "no such unit" and "managed by another account"
    (issue 13): the claimant learns which by mail. Rate-limited per account and address."""
    # "Klaim unit ini" beside a NIB already registered brings that NIB along (?nib=).
    form = ClaimForm(request.POST or None, initial={"nib": request.GET.get("nib", "")[:13]})
    status = 200
    if request.method == "POST" and form.is_valid():
        allowed = within_limit("unit_claim", account=str(request.user.pk), ip=client_ip(request))
        if not allowed:
            form.add_error(
                None,
                _(
                    "Terlalu banyak klaim dalam waktu singkat. Coba lagi dalam satu jam, atau "
                    "hubungi Dinas."
                ),
            )
            status = 429
        else:
            try:
                unit_services.unit_claim(
                    user=request.user,
                    nib=form.cleaned_data["nib"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Klaim untuk NIB %(nib)s tercatat. Hasil pemeriksaannya kami kirim ke "
                        "email Anda; petugas Dinas memutuskan klaim atas unit yang terdaftar."
                    )
                    % {"nib": form.cleaned_data["nib"]},
                )
                return redirect("portal:dashboard")
    return render(request, "portal/claim_form.html", {"form": form}, status=status)


@login_required
def product_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(own_units(request.user), pk=unit_pk)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_services.product_create(
                owner=request.user, unit=unit, **form.product_fields()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Produk “%(name)s” disimpan.") % {"name": product.name})
            return redirect("portal:product_edit", pk=product.pk)
    return render(request, "portal/product_form.html", {"form": form, "unit": unit})


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(
        own_products(request.user).prefetch_related("photos", "marketplace_links"), pk=pk
    )
    form = ProductForm(request.POST or None, instance=product)
    form.version_viewer = request.user
    with saving_transaction(request):  # the version check's lock holds until the save
        if request.method == "POST" and form.is_valid():
            try:
                product_services.product_update(
                    owner=request.user, product_id=product.pk, **form.product_fields()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Produk disimpan."))
                return redirect("portal:product_edit", pk=product.pk)
    return render(
        request,
        "portal/product_form.html",
        {
            "form": form,
            "unit": product.unit,
            "product": product,
            "photo_form": PhotoForm(),
            "link_form": MarketplaceLinkForm(),
        },
    )


@login_required
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(own_products(request.user), pk=pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            product_services.product_photo_add(
                owner=request.user,
                product=product,
                file=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                position=product.photos.count(),
            )
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            messages.success(request, _("Foto ditambahkan."))
            return redirect("portal:product_edit", pk=product.pk)
    return render(request, "portal/photo_form.html", {"form": form, "product": product})


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(
        ProductPhoto.objects.select_related("product__unit"),
        pk=pk,
        product__unit__owner=request.user,
    )
    product_services.product_photo_delete(owner=request.user, photo=photo)
    messages.success(request, _("Foto dihapus."))
    return redirect("portal:product_edit", pk=photo.product_id)


@login_required
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(own_products(request.user), pk=pk)
    form = MarketplaceLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product_services.marketplace_link_add(
                owner=request.user,
                product_id=product.pk,
                platform=form.cleaned_data["platform"],
                url=form.cleaned_data["url"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Tautan marketplace ditambahkan."))
            return redirect("portal:product_edit", pk=product.pk)
    return render(request, "portal/link_form.html", {"form": form, "product": product})


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(MarketplaceLink, pk=pk, product__unit__owner=request.user)
    product_services.marketplace_link_delete(owner=request.user, link_id=link.pk)
    messages.success(request, _("Tautan dihapus."))
    return redirect("portal:product_edit", pk=link.product_id)
