"""The public business-matching form (issue 16): no account, spam protection without third-party
services — a honeypot field, a signed time stamp (too fast or too old is refused) and a rate
limit per contact and per address (``core.ratelimit``, action ``matching_request``)."""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ikm.models import Region

SIGNER_SALT = "public.matching.form"
MIN_SECONDS = 3  # a person needs longer than this to fill in the form
MAX_SECONDS = 24 * 3600


def kabupaten_choices() -> list[tuple[str, str]]:
    regions = Region.objects.filter(
        level__in=(Region.Level.KABUPATEN, Region.Level.KOTA), code__startswith="61."
    ).order_by("name")
    return [("", _("Dari mana saja di Kalimantan Barat"))] + [(r.code, r.name) for r in regions]


def form_stamp() -> str:
    return signing.dumps(int(time.time()), salt=SIGNER_SALT)


class BuyerRequestForm(forms.Form):
    product_wanted = forms.CharField(
        label=_("Produk yang dicari"),
        max_length=200,
        help_text=_("Misalnya: lempok durian, tenun ikat Sintang, keramik Singkawang."),
        error_messages={"required": _("Tulis produk yang Anda cari.")},
    )
    quantity = forms.CharField(
        label=_("Jumlah"),
        max_length=100,
        help_text=_("Misalnya: 200 bungkus per bulan."),
        error_messages={"required": _("Tulis jumlah yang Anda butuhkan.")},
    )
    kabupaten = forms.ChoiceField(
        label=_("Dari kabupaten/kota"),
        required=False,
        choices=(),
        error_messages={"invalid_choice": _("Pilih kabupaten/kota dari daftar.")},
    )
    buyer_name = forms.CharField(
        label=_("Nama Anda"),
        max_length=150,
        error_messages={"required": _("Tulis nama Anda.")},
    )
    buyer_organisation = forms.CharField(
        label=_("Instansi/perusahaan (bila ada)"), max_length=150, required=False
    )
    buyer_phone = forms.CharField(
        label=_("Telepon/WhatsApp"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    buyer_email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Alamat email tidak valid, misalnya nama@contoh.id.")},
    )
    message = forms.CharField(
        label=_("Pesan (kualitas, kemasan, waktu kirim)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Spam protection: left empty by people (the field is hidden), filled in by bots.
    website = forms.CharField(label=_("Jangan diisi"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["kabupaten"].choices = kabupaten_choices()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["stamp"] = form_stamp()

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Formulir tidak dapat dikirim. Muat ulang halaman lalu isi kembali."),
                code="honeypot",
            )
        try:
            started = signing.loads(data.get("stamp") or "", salt=SIGNER_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("Formulir ini sudah tidak berlaku. Muat ulang halaman lalu isi kembali."),
                code="stamp",
            ) from None
        elapsed = (self.now if self.now is not None else time.time()) - int(started)
        if elapsed < MIN_SECONDS:
            raise forms.ValidationError(
                _("Formulir terkirim terlalu cepat. Periksa isian Anda lalu kirim lagi."),
                code="too_fast",
            )
        if elapsed > MAX_SECONDS:
            raise forms.ValidationError(
                _("Formulir ini sudah terlalu lama dibuka. Muat ulang halaman lalu isi kembali."),
                code="too_old",
            )
        if (
            not data.get("buyer_phone")
            and not data.get("buyer_email")
            and not self.has_error("buyer_email")
        ):
            self.add_error(
                "buyer_phone", _("Isi nomor telepon/WhatsApp atau email agar dapat dihubungi.")
            )
        return data
