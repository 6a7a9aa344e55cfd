"""The project's PDFs (fpdf2, pure Python): one document class with the font every PDF uses.

DejaVu Sans (Debian's fonts-dejavu-core, installed by `make packages`) prints any name an owner
may have typed; without it a PDF falls back to the built-in Helvetica (Latin-1 only), and
``text_of`` replaces what Latin-1 cannot hold.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class Document(FPDF):
    """An A4 document titled ``title``, in DejaVu Sans when installed (``self.family``)."""

    def __init__(self, title: str, *, orientation: str = "P", page_break_margin: float | None = 18):
        super().__init__(orientation=orientation, format="A4")
        files = font_files()
        if files:
            self.add_font("DejaVu", "", str(files[0]))
            self.add_font("DejaVu", "B", str(files[1]))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.set_title(title)
        self.set_creator("SIPI IKM Kalbar")
        if page_break_margin is None:
            self.set_auto_page_break(auto=False)
        else:
            self.set_auto_page_break(auto=True, margin=page_break_margin)

    def text_of(self, value) -> str:
        value = str(value)
        if self.family == "Helvetica":  # Latin-1 only
            return value.encode("latin-1", "replace").decode("latin-1")
        return value
