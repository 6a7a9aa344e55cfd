"""The settlement receipt (kuitansi setoran konsinyasi) as a PDF, with fpdf2 like "Data saya"
(``core.pdf.Document``: DejaVu Sans when installed, else Helvetica, Latin-1 only).

The figures come from the settlement row and its ledger rows; the same PDF is served to the
unit's owner (portal) and to officials (back-office).
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.formatting import rupiah
from core.pdf import Document

from .models import LedgerEntry, Settlement
from .selectors import month_bounds

K = LedgerEntry.Kind


def settlement_lines(settlement: Settlement) -> list[dict]:
    """Per item: pieces sold (corrections included), consignment price and amount, in the month."""
    start, end = month_bounds(settlement.month)
    rows = (
        LedgerEntry.objects.filter(
            item__note__unit_id=settlement.unit_id,
            kind__in=(K.SALE, K.CORRECTION),
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .values(
            "item__note__number",
            "item__line",
            "item__product__name",
            "item__consignment_price",
        )
        .annotate(sold=Sum("quantity"), owed=Sum("owed_delta"))
        .order_by("item__note__number", "item__line")
    )
    return [
        {
            "code": f"{r['item__note__number']}/{r['item__line']}",
            "name": r["item__product__name"],
            "sold": r["sold"] or 0,
            "price": r["item__consignment_price"],
            "owed": r["owed"] or 0,
        }
        for r in rows
        if r["sold"]
    ]


def settlement_receipt_pdf(settlement: Settlement) -> bytes:
    title = _("Kuitansi setoran konsinyasi %(ref)s") % {"ref": settlement.reference}
    pdf = Document(title)
    pdf.add_page()
    f = pdf.family
    pdf.set_font(f, "B", 14)
    pdf.cell(0, 8, pdf.text_of(_("Griya IKM Kalimantan Barat")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(f, "", 10)
    pdf.cell(
        0,
        6,
        pdf.text_of(_("Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Barat")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font(f, "B", 13)
    pdf.cell(0, 8, pdf.text_of(_("KUITANSI SETORAN KONSINYASI")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(f, "", 10)
    unit = settlement.unit
    head = [
        (_("Nomor"), settlement.reference),
        (_("Unit IKM"), unit.name),
        (_("NIB"), unit.nib or "—"),
        (_("Bulan"), date_format(settlement.month, "F Y")),
        (_("Status"), settlement.get_status_display()),
    ]
    if settlement.settled_at:
        head.append(
            (_("Lunas pada"), date_format(timezone.localtime(settlement.settled_at), "j F Y"))
        )
    for label, value in head:
        pdf.cell(40, 6, pdf.text_of(label))
        pdf.cell(0, 6, pdf.text_of(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (42, 70, 18, 30, 30)
    pdf.set_font(f, "B", 9)
    for width, label in zip(
        widths,
        (_("Kode barang"), _("Produk"), _("Terjual"), _("Harga titip"), _("Jumlah")),
        strict=True,
    ):
        pdf.cell(width, 7, pdf.text_of(label), border=1)
    pdf.ln()
    pdf.set_font(f, "", 9)
    for line in settlement_lines(settlement):
        pdf.cell(widths[0], 6, pdf.text_of(line["code"]), border=1)
        pdf.cell(widths[1], 6, pdf.text_of(line["name"][:40]), border=1)
        pdf.cell(widths[2], 6, pdf.text_of(line["sold"]), border=1, align="R")
        pdf.cell(widths[3], 6, pdf.text_of(rupiah(line["price"])), border=1, align="R")
        pdf.cell(widths[4], 6, pdf.text_of(rupiah(line["owed"])), border=1, align="R")
        pdf.ln()
    pdf.ln(3)
    pdf.set_font(f, "", 10)
    totals = [
        (_("Barang terjual"), str(settlement.items_sold)),
        (_("Nilai penjualan"), rupiah(settlement.sales_total)),
        (_("Hak unit (terutang)"), rupiah(settlement.owed)),
        (_("Dibayar"), rupiah(settlement.paid)),
        (_("Sisa"), rupiah(settlement.outstanding)),
    ]
    for label, value in totals:
        pdf.cell(60, 6, pdf.text_of(label))
        pdf.cell(40, 6, pdf.text_of(value), align="R", new_x="LMARGIN", new_y="NEXT")
    payments = list(settlement.payments.order_by("paid_on", "pk"))
    if payments:
        pdf.ln(3)
        pdf.set_font(f, "B", 10)
        pdf.cell(0, 7, pdf.text_of(_("Pembayaran")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(f, "", 9)
        for p in payments:
            pdf.cell(
                0,
                6,
                pdf.text_of(
                    f"{date_format(p.paid_on, 'j F Y')} · {p.get_method_display()} · "
                    f"{rupiah(p.amount)}" + (f" · {p.reference}" if p.reference else "")
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    pdf.ln(10)
    pdf.set_font(f, "", 10)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.cell(half, 6, pdf.text_of(_("Yang menyerahkan (petugas showroom)")), align="C")
    pdf.cell(half, 6, pdf.text_of(_("Yang menerima (pemilik unit)")), align="C")
    pdf.ln(22)
    pdf.cell(half, 6, "(________________________)", align="C")
    pdf.cell(half, 6, pdf.text_of(f"({unit.owner_name or '________________________'})"), align="C")
    pdf.ln(10)
    pdf.set_font(f, "", 8)
    pdf.set_text_color(100)
    pdf.multi_cell(
        0,
        5,
        pdf.text_of(
            _(
                "Dicetak %(when)s dari SIPI IKM Kalbar. Angka dihitung dari buku stok showroom "
                "(penjualan dan koreksi pada bulan tersebut × harga titip)."
            )
            % {"when": date_format(timezone.localtime(), "j F Y H:i")}
        ),
    )
    return bytes(pdf.output())
