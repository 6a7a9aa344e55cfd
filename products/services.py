"""Writes for products on the owner side: create, update, publish, marketplace links.

Photos are processed by ``products.images.photo_add`` (content check, EXIF stripped, renditions).
Every function checks that the acting owner owns the product's unit (PermissionDenied otherwise).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ikm.models import IKMUnit
from ikm.services import ensure_unit_in_scope, unique_slug

from .models import MARKETPLACE_HOSTS, MarketplaceLink, Product

# What an owner may set; ``is_selected`` (produk terseleksi) is for officials only.
OWNER_PRODUCT_FIELDS = (
    "name",
    "category",
    "description",
    "price",
    "price_unit",
    "is_published",
)


def _ensure_owner(owner, unit: IKMUnit) -> None:
    if not owner or not owner.is_authenticated or unit.owner_id != owner.pk:
        raise PermissionDenied(_("Hanya pemilik unit yang dapat mengubah produknya."))


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(OWNER_PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"fields an owner may not set: {sorted(unknown)}")


@transaction.atomic
def product_create(*, owner, unit: IKMUnit, **fields: Any) -> Product:
    _ensure_owner(owner, unit)
    _check_fields(fields)
    product = Product(unit=unit, **fields)
    product.slug = unique_slug(Product, product.name)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, owner, product_id: int, **fields: Any) -> Product:
    product = Product.objects.select_for_update().select_related("unit").get(pk=product_id)
    _ensure_owner(owner, product.unit)
    _check_fields(fields)
    for name, value in fields.items():
        setattr(product, name, value)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_set_published(*, owner, product_id: int, published: bool) -> Product:
    return product_update(owner=owner, product_id=product_id, is_published=published)


def validate_marketplace_url(platform: str, url: str) -> str:
    """The link's host must belong to the platform (``MARKETPLACE_HOSTS``)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Tautan harus diawali https:// dan berisi alamat situs.")})
    hosts = MARKETPLACE_HOSTS.get(platform)
    if hosts:
        host = parts.hostname.lower()
        if not any(host == h or host.endswith("." + h) for h in hosts):
            raise ValidationError(
                {
                    "url": _("Tautan %(platform)s harus mengarah ke %(hosts)s.")
                    % {"platform": platform.title(), "hosts": " atau ".join(hosts)}
                }
            )
    return url


@transaction.atomic
def marketplace_link_add(*, owner, product_id: int, platform: str, url: str) -> MarketplaceLink:
    product = Product.objects.select_for_update().select_related("unit").get(pk=product_id)
    _ensure_owner(owner, product.unit)
    url = validate_marketplace_url(platform, url)
    link, _created = MarketplaceLink.objects.get_or_create(
        product=product, platform=platform, url=url
    )
    return link


@transaction.atomic
def marketplace_link_delete(*, owner, link_id: int) -> None:
    link = MarketplaceLink.objects.select_related("product__unit").get(pk=link_id)
    _ensure_owner(owner, link.product.unit)
    link.delete()


def product_photo_add(*, owner, product: Product, file, alt_text: str = "", position: int = 0):
    """Owner-side wrapper: check ownership, then ``products.images.photo_add``."""
    from .images import photo_add

    _ensure_owner(owner, product.unit)
    return photo_add(product=product, file=file, alt_text=alt_text, position=position)


def product_photo_delete(*, owner, photo) -> None:
    from .images import photo_delete

    _ensure_owner(owner, photo.product.unit)
    photo_delete(photo=photo)


@transaction.atomic
def product_curate(
    *,
    product_id: int,
    official,
    is_published: bool | None = None,
    is_selected: bool | None = None,
):
    """An official publishes/unpublishes a product or marks it *produk terseleksi*.

    Saved through the model (not a bulk update) so simple-history records who changed what.
    """
    product = Product.objects.select_for_update().get(pk=product_id)
    ensure_unit_in_scope(official, product.unit_id)
    changed = []
    if is_published is not None and product.is_published != is_published:
        product.is_published = is_published
        changed.append("is_published")
    if is_selected is not None and product.is_selected != is_selected:
        product.is_selected = is_selected
        changed.append("is_selected")
    if changed:
        product.save(update_fields=[*changed, "updated_at"])
    return product
