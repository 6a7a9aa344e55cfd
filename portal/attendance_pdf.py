"""The certificate of attendance of an event, as a one-page A4 landscape PDF (fpdf2), with a QR
code that opens ``/verifikasi/?nomor=<number>`` (where anyone can confirm it).

The font is every PDF's (``core.pdf.Document``: DejaVu Sans, any name an owner may have typed).
The QR code is drawn by ``qrcode`` as a PNG image in memory.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.pdf import Document
from events.models import Registration


def verification_url(number: str) -> str:
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('public:certificate_verify')}?{urlencode({'nomor': number})}"


def _qr_png(data: str) -> io.BytesIO:
    image = qrcode.make(data, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _event_dates(reg: Registration) -> str:
    start = timezone.localtime(reg.event.starts_at)
    end = timezone.localtime(reg.event.ends_at)
    if start.date() == end.date():
        return date_format(start.date(), "j F Y")
    return f"{date_format(start.date(), 'j F Y')} – {date_format(end.date(), 'j F Y')}"


def attendance_certificate_pdf(reg: Registration) -> bytes:
    """The certificate of an attended registration (the caller checked owner and status)."""
    event = reg.event
    title = _("Sertifikat kehadiran")
    pdf = Document(f"{title} {reg.certificate_number}", orientation="L", page_break_margin=None)
    family, text = pdf.family, pdf.text_of
    pdf.add_page()
    # A frame in the site's green.
    pdf.set_draw_color(29, 107, 69)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    pdf.set_y(24)
    pdf.set_font(family, "", 11)
    pdf.set_text_color(82, 96, 109)
    pdf.cell(
        0, 6, text(_("Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Barat")), align="C"
    )
    pdf.ln(7)
    pdf.cell(0, 6, text("SIPI IKM Kalbar · Griya IKM"), align="C")
    pdf.ln(14)
    pdf.set_text_color(19, 74, 48)
    pdf.set_font(family, "B", 30)
    pdf.cell(0, 14, text(title.upper()), align="C")
    pdf.ln(16)
    pdf.set_text_color(31, 41, 51)
    pdf.set_font(family, "", 12)
    pdf.cell(0, 7, text(_("diberikan kepada")), align="C")
    pdf.ln(11)
    pdf.set_font(family, "B", 22)
    pdf.multi_cell(0, 11, text(reg.unit.name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, "", 12)
    pdf.multi_cell(
        0,
        7,
        text(_("atas kehadirannya sebagai peserta %(kind)s") % {"kind": event.get_kind_display()}),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(family, "B", 15)
    pdf.set_x(40)
    pdf.multi_cell(pdf.w - 80, 8, text(event.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 12)
    where = event.place or _("daring")
    if event.kabupaten:
        where = f"{where}, {event.kabupaten.name}" if event.place else where
    pdf.multi_cell(
        0,
        7,
        text(f"{_event_dates(reg)} · {where}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )

    # The number, and the QR code that verifies it.
    qr_size = 38
    qr_x, qr_y = pdf.w - 20 - qr_size, pdf.h - 20 - qr_size
    url = verification_url(reg.certificate_number)
    pdf.image(_qr_png(url), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_xy(22, pdf.h - 48)
    pdf.set_font(family, "", 10)
    pdf.set_text_color(82, 96, 109)
    checked_in = timezone.localtime(reg.checked_in_at)
    lines = [
        _("Nomor sertifikat: %(number)s") % {"number": reg.certificate_number},
        _("Hadir pada: %(when)s WIB") % {"when": date_format(checked_in, "j F Y H.i")},
        _("Periksa keaslian: pindai kode QR atau buka %(url)s") % {"url": url},
    ]
    for line in lines:
        pdf.set_x(22)
        pdf.multi_cell(qr_x - 30, 5.5, text(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
