"""The readable copy of "Data saya": the export (``certifications.privacy.export_personal_data``)
laid out as a PDF with fpdf2 (pure Python; no system library beyond a TrueType font).

The font and its fallback are every PDF's (``core.pdf.Document``).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.pdf import Document

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ACRONYMS = {"id": "ID", "nik": "NIK", "nib": "NIB", "npwp": "NPWP", "kbli": "KBLI", "url": "URL"}


def _label(key: str) -> str:
    text = " ".join(ACRONYMS.get(word, word) for word in key.split("_"))
    text = text.replace(" ip", " IP")
    return text[:1].upper() + text[1:]


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("ya")
    if value is False:
        return _("tidak")
    if isinstance(value, str) and ISO_DATETIME.match(value):
        try:
            return datetime.datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M")
        except ValueError:
            return value
    return str(value)


class _Document(Document):
    def __init__(self, title: str):
        super().__init__(title)
        self.title_text = title

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(110)
        self.cell(0, 6, self.text_of(f"{self.title_text} — {self.page_no()}/{{nb}}"), align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 13) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.multi_cell(0, 7, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 9.5)

    def row(self, label: str, value: str, indent: float = 0) -> None:
        """A label and its value side by side, kept on one page (a value taller than a page
        goes below its label and may run over pages)."""
        width = self.epw - indent
        label_w = min(55, width * 0.38)
        x = self.l_margin + indent
        label, value = self.text_of(label), self.text_of(value)
        self.set_font(self.family, "B", 9.5)
        label_lines = self.multi_cell(label_w, 5, label, dry_run=True, output="LINES")
        self.set_font(self.family, "", 9.5)
        value_lines = self.multi_cell(
            width - label_w, 5, value, dry_run=True, output="LINES", align="L"
        )
        height = 5 * max(len(label_lines), len(value_lines))
        if height > self.h - self.t_margin - self.b_margin - 20:
            self.set_x(x)
            self.set_font(self.family, "B", 9.5)
            self.multi_cell(width, 5, label, new_x="LMARGIN", new_y="NEXT")
            self.set_x(x)
            self.set_font(self.family, "", 9.5)
            self.multi_cell(width, 5, value, new_x="LMARGIN", new_y="NEXT", align="L")
            return
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        y = self.get_y()
        self.set_xy(x, y)
        self.set_font(self.family, "B", 9.5)
        self.multi_cell(label_w, 5, label, new_x="RIGHT", new_y="TOP")
        self.set_xy(x + label_w, y)
        self.set_font(self.family, "", 9.5)
        self.multi_cell(width - label_w, 5, value, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_y(max(self.get_y(), y + height))

    def block(self, data: Any, indent: float = 0) -> None:
        """A dict as label/value rows; nested dicts and lists indented below their label."""
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, dict | list) and value:
                    self.set_x(self.l_margin + indent)
                    self.set_font(self.family, "B", 9.5)
                    self.multi_cell(0, 5, self.text_of(_label(key)), new_x="LMARGIN", new_y="NEXT")
                    self.block(value, indent + 6)
                else:
                    shown = _("tidak ada") if value == [] or value == {} else _value(value)
                    self.row(_label(key), shown, indent)
        elif isinstance(data, list):
            for number, item in enumerate(data, start=1):
                if isinstance(item, dict):
                    self.set_x(self.l_margin + indent)
                    self.set_font(self.family, "B", 9.5)
                    self.set_text_color(60, 60, 120)
                    self.cell(0, 5, f"#{number}", new_x="LMARGIN", new_y="NEXT")
                    self.set_text_color(0)
                    self.block(item, indent + 4)
                else:
                    self.row(f"{number}.", _value(item), indent)
        else:
            self.row("", _value(data), indent)


SECTIONS = (
    ("akun", gettext_noop("Akun")),
    ("unit", gettext_noop("Unit usaha dan data pribadi pemilik")),
    ("produk", gettext_noop("Produk")),
    ("permohonan", gettext_noop("Permohonan fasilitasi (dokumen dan riwayat status)")),
    ("sertifikat", gettext_noop("Sertifikat")),
    ("klaim_unit", gettext_noop("Klaim unit")),
    ("persetujuan", gettext_noop("Persetujuan atas kebijakan privasi")),
    ("permintaan_hak_data", gettext_noop("Permintaan hak atas data pribadi")),
    ("riwayat_masuk", gettext_noop("Riwayat masuk (log-in)")),
)


def personal_data_pdf(data: dict[str, Any]) -> bytes:
    """The export as a PDF, one section per part, every field labelled."""
    title = _("Data pribadi saya — SIPI IKM Kalbar")
    pdf = _Document(title)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 16)
    pdf.multi_cell(0, 9, pdf.text_of(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9.5)
    intro = _(
        "Salinan seluruh data yang disimpan portal SIPI IKM Kalbar tentang Anda, dibuat pada "
        "%(at)s atas permintaan Anda (UU 27/2022 tentang Pelindungan Data Pribadi, Pasal 7 dan "
        "32). Pengendali data: %(controller)s. Dokumen ini memuat NIK Anda secara utuh: "
        "simpan dengan aman."
    ) % {"at": _value(data.get("dibuat_pada")), "controller": data.get("pengendali_data", "")}
    pdf.multi_cell(0, 5, pdf.text_of(intro), new_x="LMARGIN", new_y="NEXT", align="L")
    for key, heading in SECTIONS:
        pdf.heading(_(heading))
        value = data.get(key)
        if not value:
            pdf.row("", _("Tidak ada data."))
        else:
            pdf.block(value)
    return bytes(pdf.output())
