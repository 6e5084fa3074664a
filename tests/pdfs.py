"""Real PDFs for the licence tests, generated on the fly (fpdf2, or raw bytes where fpdf2 can't).

The layout of the real AccountView licence PDF is not public; these PDFs only carry the items the
reader looks for, in two layouts ("Label: value" lines, and a two-column table), so the tolerant
parser is exercised on more than one shape. All numbers and names are made up.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Literal, Sequence

DEFAULT_MODULES = ("Financieel", "Relatiebeheer", "AutoReport-koppeling")


def licence_pdf(
    path: Path,
    *,
    edition: str = "Team",
    version: str = "9.8",
    modules: Sequence[str] = DEFAULT_MODULES,
    customer: str = "104233",
    licence_number: str = "TEST-0000-1111",
    layout: Literal["lines", "table"] = "lines",
    lang: Literal["nl", "en"] = "nl",
    user_password: str | None = None,
    owner_password: str | None = None,
) -> Path:
    from fpdf import FPDF

    labels = {
        "nl": ("Klantnummer", "Licentienummer", "Editie", "Versie", "Modules"),
        "en": ("Customer number", "Licence number", "Edition", "Version", "Modules"),
    }[lang]
    pdf = FPDF()
    if owner_password is not None or user_password is not None:
        pdf.set_encryption(owner_password=owner_password or "owner", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, "AccountView licentie" if lang == "nl" else "AccountView licence", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    rows = list(zip(labels[:4], (customer, licence_number, f"AccountView {edition}", version)))
    if layout == "lines":
        for label, value in rows:
            pdf.cell(0, 7, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.cell(0, 7, f"{labels[4]}:", new_x="LMARGIN", new_y="NEXT")
        for module in modules:
            pdf.cell(0, 7, f"- {module}", new_x="LMARGIN", new_y="NEXT")
    else:
        for label, value in rows:
            pdf.cell(50, 7, label)
            pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
        pdf.cell(50, 7, labels[4])
        pdf.cell(0, 7, ", ".join(modules), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "Deze licentie is persoonlijk. Bewaar dit document zorgvuldig.")
    pdf.output(str(path))
    return path


def textless_pdf(path: Path) -> Path:
    """Like a scan: a page with graphics only, no text objects."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    for i in range(20):
        pdf.rect(10 + i * 4, 10 + i * 6, 80, 20)
    pdf.output(str(path))
    return path


def raw_pdf(content: bytes, *, compress: bool = True) -> bytes:
    """A minimal one-page PDF around a content stream, with a correct xref table."""
    stream = zlib.compress(content, 9) if compress else content
    filters = b"/Filter /FlateDecode " if compress else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< " + filters + b"/Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def slow_pdf(path: Path, text_operations: int = 400_000) -> Path:
    """A small file whose one page holds hundreds of thousands of text operations.

    Compressed it is a few kilobytes (under any size cap), yet extracting its text keeps pypdf
    busy for many seconds: the stand-in for a malformed PDF that makes a reader hang.
    """
    path.write_bytes(raw_pdf(b"BT /F1 1 Tf 0 0 Td (x) Tj ET\n" * text_operations))
    return path
