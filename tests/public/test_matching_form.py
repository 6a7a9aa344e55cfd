"""The public business-matching form: no account; honeypot, time check and rate limit; clear
Indonesian errors; nothing half-written."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from matching.models import BuyerRequest
from public.programme_forms import SIGNER_SALT

pytestmark = pytest.mark.django_db
URL = "/temu-bisnis/"


def stamp(seconds_ago: int) -> str:
    return signing.dumps(int(time.time()) - seconds_ago, salt=SIGNER_SALT)


def data(**kw):
    base = {
        "product_wanted": "Lempok durian",
        "quantity": "200 bungkus",
        "kabupaten": "61.03",
        "buyer_name": "Rina",
        "buyer_phone": "081234567890",
        "buyer_email": "rina@example.id",
        "message": "",
        "website": "",
        "stamp": stamp(30),
    }
    base.update(kw)
    return base


def test_url_and_form_page(client):
    assert reverse("public:matching_request") == URL
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="website"' in page.content.decode() and 'name="stamp"' in page.content.decode()


def test_valid_request_is_saved_and_confirmed(client):
    response = client.post(URL, data(), follow=True)
    req = BuyerRequest.objects.get()
    assert (req.product_wanted, req.kabupaten_id, req.buyer_phone) == (
        "Lempok durian", "61.03", "+6281234567890",
    )  # fmt: skip
    assert req.reference in response.content.decode()
    assert [m.to for m in mail.outbox] == [["rina@example.id"]]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"website": "http://spam"}, "Formulir tidak dapat dikirim"),
        ({"stamp": 0}, "Formulir terkirim terlalu cepat"),
        ({"stamp": 2 * 24 * 3600}, "sudah terlalu lama dibuka"),
        ({"stamp": "palsu"}, "sudah tidak berlaku"),
        ({"buyer_phone": "", "buyer_email": ""}, "Isi nomor telepon/WhatsApp atau email"),
        ({"buyer_email": "bukan-email"}, "Alamat email tidak valid"),
        ({"buyer_phone": "12"}, "bukan nomor telepon"),
        ({"product_wanted": ""}, "Tulis produk yang Anda cari."),
        ({"kabupaten": "99.99"}, "Pilih kabupaten/kota dari daftar."),
    ],
)
def test_refused_with_a_clear_message(client, override, message):
    if isinstance(override.get("stamp"), int):  # seconds ago, stamped now (not at collection)
        override = {"stamp": stamp(override["stamp"])}
    response = client.post(URL, data(**override))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Permintaan belum terkirim" in response.content.decode()
    assert not BuyerRequest.objects.exists()
    assert mail.outbox == []


def test_rate_limit_per_contact(client, settings):
    # Counted in the shared Redis, like every rate limit (tests/conftest.py gives each test its
    # own namespace).
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "matching_request": {"per_account": (2, 3600), "per_ip": (100, 3600)},
    }
    for _ in range(2):
        assert client.post(URL, data()).status_code == 302
    response = client.post(URL, data())
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert BuyerRequest.objects.count() == 2
