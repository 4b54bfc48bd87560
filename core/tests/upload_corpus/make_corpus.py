"""Build the malformed-files corpus that every import endpoint is tried with
(``core/tests/test_upload_corpus.py``): files a person or an attacker could send instead of a
filled-in template. Each is made here, in a second or two, rather than checked in (a zip
bomb in the repository would be a poor neighbour).

    python core/tests/upload_corpus/make_corpus.py OUTDIR    # write them to look at
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook

HEADERS = ["unit", "date", "kind", "title", "sessions", "participants"]


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _book(rows: list[list], headers: list | None = None) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    return book


def not_xlsx() -> bytes:
    return "unit,date,kind\n540102001,2021-07-03,集体学习\n".encode()


def empty() -> bytes:
    return b""


def zip_bomb() -> bytes:
    """An xlsx-shaped zip of about 0.5 MB whose sheets would expand to 500 MB of zeros."""
    out = io.BytesIO()
    block = b"\0" * (100 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        for n in range(1, 6):
            zf.writestr(f"xl/worksheets/sheet{n}.xml", block)
    return out.getvalue()


def merged_cells() -> bytes:
    book = _book([["540102001", datetime.date(2021, 7, 3), "集体学习", "学习", 1, 20]])
    book.active.merge_cells("D2:F2")
    return _save(book)


def formulas() -> bytes:
    return _save(_book([["540102001", datetime.date(2021, 7, 3), "集体学习", '=HYPERLINK("http://x","y")', "=1+1", 3]]))


def dates_as_text() -> bytes:
    return _save(_book([["540102001", "2021年7月3日", "集体学习", "学习", 1, 20]]))


def blank_rows() -> bytes:
    """One row of data, then 200,000 rows that hold only empty, formatted cells (what a
    spreadsheet program writes after a whole block was formatted)."""
    plain = _save(_book([["540102001", datetime.date(2021, 7, 3), "集体学习", "学习", 1, 20]]))
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    last = 200_002
    rows = "".join(f'<row r="{n}"><c r="A{n}" s="0"/><c r="F{n}" s="0"/></row>' for n in range(3, last + 1))
    sheet = sheet.replace("</sheetData>", rows + "</sheetData>")
    start = sheet.index("<dimension")
    end = sheet.index("/>", start) + 2
    sheet = sheet[:start] + f'<dimension ref="A1:F{last}"/>' + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def second_sheet() -> bytes:
    book = _book([["540102001", "not a date", "", "", -1, "many"]])
    other = book.create_sheet("notes")
    other.append(["anything", "at", "all"])
    return _save(book)


def _libreoffice_like() -> bytes:
    """An openpyxl file that says LibreOffice wrote it (where LibreOffice is not installed)."""
    book = _book([["540102001", "2021-13-45", "集体学习", "学习", "²", 20]])
    data = _save(book)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["docProps/app.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</Application>"
        b"<DocSecurity>0</DocSecurity></Properties>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, part in parts.items():
            zf.writestr(name, part)
    return out.getvalue()


def libreoffice() -> bytes:
    """A file saved by LibreOffice (converted by ``soffice`` when it is installed)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return _libreoffice_like()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.xlsx"
        source.write_bytes(_libreoffice_like())
        out = Path(folder) / "out"
        try:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to",
                    "xlsx",
                    "--outdir",
                    str(out),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            return (out / "source.xlsx").read_bytes()
        except (subprocess.SubprocessError, OSError):
            return _libreoffice_like()


def html_disguised() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def svg_disguised() -> bytes:
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def macro_workbook() -> bytes:
    data = _save(_book([]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in src.namelist():
            zf.writestr(name, src.read(name))
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    return out.getvalue()


def climbing_names() -> bytes:
    data = _save(_book([]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in src.namelist():
            zf.writestr(name, src.read(name))
        zf.writestr("../../etc/cron.d/x", b"* * * * * root true")
    return out.getvalue()


CORPUS = {
    "not-xlsx.xlsx": not_xlsx,
    "empty.xlsx": empty,
    "zip-bomb.xlsx": zip_bomb,
    "merged-cells.xlsx": merged_cells,
    "formulas.xlsx": formulas,
    "dates-as-text.xlsx": dates_as_text,
    "200k-blank-rows.xlsx": blank_rows,
    "second-sheet.xlsx": second_sheet,
    "libreoffice.xlsx": libreoffice,
    "html-disguised.xlsx": html_disguised,
    "svg-disguised.xlsx": svg_disguised,
    "macros.xlsx": macro_workbook,
    "climbing-names.xlsx": climbing_names,
}


def build() -> dict[str, bytes]:
    return {name: make() for name, make in CORPUS.items()}


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "upload-corpus")
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (folder / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
