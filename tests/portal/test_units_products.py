"""Owners register, claim and edit units; products, photos and marketplace links."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from ikm.models import IKMUnit, UnitClaim
from ikm.services import claim_decide
from products.models import MarketplaceLink, Product, ProductPhoto
from tests.factories import DESA_SANGGAU, UnitFactory
from tests.support.requests import files_under, upload

pytestmark = pytest.mark.django_db


def unit_post(**overrides):
    data = {
        "name": "Madu Kelulut Sanggau",
        "owner_name": "Yohanes",
        "nik": "",
        "nib": "",
        "commodity_group": "makanan",
        "kabupaten": "61.03",
        "kecamatan": DESA_SANGGAU[:8],
        "desa": DESA_SANGGAU,
        "whatsapp": "6281234567890",
        "whatsapp_public": "on",
        "workers": "4",
        "investment": "30000000",
    }
    data.update(overrides)
    return data


def test_region_children_endpoint(client, owner):
    client.force_login(owner)
    data = client.get(reverse("portal:region_children", args=["61.03"])).json()
    codes = [c["code"] for c in data["children"]]
    assert DESA_SANGGAU[:8] in codes and all(c.startswith("61.03.") for c in codes)
    data = client.get(reverse("portal:region_children", args=[DESA_SANGGAU[:8]])).json()
    assert DESA_SANGGAU in [c["code"] for c in data["children"]]
    assert client.get(reverse("portal:region_children", args=["32.01"])).status_code == 404


def test_register_unit_unverified_and_owned(client, owner):
    client.force_login(owner)
    page = client.get(reverse("portal:unit_register")).content.decode()
    assert page.count("<option") < 100  # no 2,000-option select
    response = client.post(reverse("portal:unit_register"), unit_post(nik="6103011203850001"))
    assert response.status_code == 302, response.context["form"].errors
    unit = IKMUnit.objects.get()
    assert unit.owner == owner and unit.verified is False
    assert unit.desa_id == DESA_SANGGAU and unit.kabupaten_code == "61.03"
    assert unit.nik_last4 == "0001" and "6103011203850001" not in unit.nik_ciphertext
    assert unit.whatsapp_public and not unit.phone_public
    assert not IKMUnit.objects.public().exists()


def test_register_refuses_desa_outside_kecamatan(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("portal:unit_register"), unit_post(kecamatan="61.03.02", desa=DESA_SANGGAU)
    )
    assert response.status_code == 200
    assert "desa" in response.context["form"].errors
    assert not IKMUnit.objects.exists()


def test_register_refuses_taken_nib(client, owner, unit_b):
    client.force_login(owner)
    response = client.post(reverse("portal:unit_register"), unit_post(nib=unit_b.nib))
    assert response.status_code == 200
    assert "nib" in response.context["form"].errors
    assert IKMUnit.objects.count() == 1


def test_owner_edits_unit_and_contact_visibility(client, owner, unit_a):
    client.force_login(owner)
    page = client.get(reverse("portal:unit_edit", args=[unit_a.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("portal:unit_edit", args=[unit_a.pk]),
        unit_post(
            name="Lempok Bu Siti",
            nib=unit_a.nib,
            email="usaha@example.id",
            email_public="on",
            phone_public="on",
            phone="0564-21000",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    unit_a.refresh_from_db()
    assert unit_a.name == "Lempok Bu Siti" and unit_a.email_public and unit_a.phone_public
    assert unit_a.whatsapp_public


def test_contact_change_keeps_a_verified_unit_public(owner, unit_a):
    from ikm.services import unit_update_by_owner

    unit_update_by_owner(unit_id=unit_a.pk, owner=owner, whatsapp="6281234567890")
    unit_a.refresh_from_db()
    assert unit_a.verified and unit_a.whatsapp == "+6281234567890"  # stored as E.164


@pytest.mark.parametrize(
    "change",
    [{"name": "Nama Baru"}, {"nib": "6103000000999"}, {"desa_id": "61.04.01.2011"}],
)
def test_identity_change_needs_verification_again(owner, unit_a, change):
    from ikm.services import unit_update_by_owner

    field, value = next(iter(change.items()))
    if field == "desa_id":
        from ikm.models import Region

        change = {"desa": Region.objects.get(code=value)}
    unit_update_by_owner(unit_id=unit_a.pk, owner=owner, **change)
    unit_a.refresh_from_db()
    assert not unit_a.verified and unit_a.verified_at is None
    assert not IKMUnit.objects.public().filter(pk=unit_a.pk).exists()


def test_identity_change_through_the_form_warns_the_owner(client, owner, unit_a):
    client.force_login(owner)
    response = client.post(
        reverse("portal:unit_edit", args=[unit_a.pk]),
        unit_post(name="Lempok Bu Siti Baru", nib=unit_a.nib),
        follow=True,
    )
    assert "perlu diverifikasi ulang" in response.content.decode()
    unit_a.refresh_from_db()
    assert unit_a.name == "Lempok Bu Siti Baru" and not unit_a.verified


def test_claim_by_nib_then_official_approves(
    client, owner, official_sanggau, django_capture_on_commit_callbacks
):
    unit = UnitFactory(nib="6103999999999", owner=None)
    client.force_login(owner)
    response = client.post(reverse("portal:unit_claim"), {"nib": "6103999999999"})
    assert response.status_code == 302
    claim = UnitClaim.objects.get()
    assert claim.user == owner and claim.status == UnitClaim.Status.PENDING
    unit.refresh_from_db()
    assert unit.owner is None
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        claim_decide(claim_id=claim.pk, official=official_sanggau, approve=True)
        assert mail.outbox == []  # not before commit
    unit.refresh_from_db()
    claim.refresh_from_db()
    assert unit.owner == owner and claim.status == UnitClaim.Status.APPROVED
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "disetujui" in mail.outbox[0].subject
    assert claim.decided_by == official_sanggau


def test_claim_out_of_scope_refused(owner, official_ketapang):
    from django.core.exceptions import PermissionDenied

    unit = UnitFactory(nib="6103999999998", owner=None)
    claim = UnitClaim.objects.create(unit=unit, user=owner)
    with pytest.raises(PermissionDenied):
        claim_decide(claim_id=claim.pk, official=official_ketapang, approve=True)
    unit.refresh_from_db()
    assert unit.owner is None


def test_claim_unknown_nib(client, owner, django_capture_on_commit_callbacks):
    """Answered like a known NIB (issue 13); the claimant learns the truth by mail."""
    from django.core import mail

    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:unit_claim"), {"nib": "6100000000000"})
    assert response.status_code == 302
    assert not UnitClaim.objects.exists()
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Tidak ada unit IKM dengan NIB 6100000000000" in mail.outbox[0].body


def test_product_create_and_publish_not_selected(client, owner, unit_a):
    client.force_login(owner)
    response = client.post(
        reverse("portal:product_create", args=[unit_a.pk]),
        {
            "name": "Lempok Durian",
            "category": "makanan",
            "price": "35000",
            "price_unit": "pcs",
            "is_published": "on",
            "is_selected": "on",
        },
    )
    product = Product.objects.get()
    assert response.status_code == 302
    assert product.unit == unit_a and product.is_published and not product.is_selected
    assert product.slug == "lempok-durian"


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (900, 600), (180, 90, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0112] = 6  # orientation: rotate
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_photo_upload_strips_exif_and_makes_renditions(client, owner, product_a, file_roots):
    client.force_login(owner)
    response = client.post(
        reverse("portal:photo_add", args=[product_a.pk]),
        {"image": upload("foto.jpg", jpeg_with_exif(), "image/jpeg"), "alt_text": "Lempok"},
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get()
    assert photo.product == product_a and photo.renditions
    with Image.open(photo.image.path) as img:
        assert not img.getexif().get(0x010F)
    assert files_under(file_roots["media"])


def test_photo_upload_refuses_html(client, owner, product_a, file_roots):
    client.force_login(owner)
    response = client.post(
        reverse("portal:photo_add", args=[product_a.pk]),
        {"image": upload("foto.jpg", b"<html><body>x</body></html>", "image/jpeg")},
    )
    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert not ProductPhoto.objects.exists()
    assert files_under(file_roots["media"]) == []


def test_marketplace_link_host_must_match(client, owner, product_a):
    client.force_login(owner)
    url = reverse("portal:link_add", args=[product_a.pk])
    response = client.post(url, {"platform": "shopee", "url": "https://evil.example/shopee"})
    assert response.status_code == 200
    assert "shopee.co.id" in response.content.decode()
    assert not MarketplaceLink.objects.exists()
    response = client.post(
        url, {"platform": "tokopedia", "url": "https://www.tokopedia.com/lempok"}
    )
    assert response.status_code == 302
    assert MarketplaceLink.objects.get().url == "https://www.tokopedia.com/lempok"


def test_register_refuses_bad_nik_and_keeps_a_taken_one_pending(client, owner, other_owner):
    from ikm.models import Region
    from ikm.services import unit_register

    unit_register(
        owner=other_owner,
        nik="6103011203850001",
        name="Usaha Lain",
        owner_name="B",
        commodity_group="makanan",
        desa=Region.objects.get(code=DESA_SANGGAU),
    )
    client.force_login(owner)
    response = client.post(reverse("portal:unit_register"), unit_post(nik="12345"))
    assert response.status_code == 200
    assert "NIK" in " ".join(response.context["form"].errors["nik"])
    assert IKMUnit.objects.count() == 1
    # A NIK another unit holds is not refused (that would tell whose it is, issue 13): the unit
    # is registered with the NIK pending for an official; the unique constraint is kept.
    response = client.post(reverse("portal:unit_register"), unit_post(nik="6103011203850001"))
    assert response.status_code == 302
    unit = IKMUnit.objects.get(owner=owner)
    assert (unit.nik_digest, unit.nik_pending_last4) == ("", "0001")
