"""The one guard every uploaded file passes before anything reads it.

A file is refused, with a message that says what is wrong, when it is larger than the
size limit (checked on ``.size``, which the upload handler below counts while keeping on
disk no more than the limit), when its content is not of a type the door accepts (the
first bytes decide, never the name), or, for an office document (a zip of parts: xlsx,
docx, pptx, ods, odt), when its parts are too many, expand to too much, expand too steeply
(a zip bomb: a small file that would expand to gigabytes), have names that climb out of the
archive, or carry macros. All of it reads the zip's directory only, so a bomb is refused in
milliseconds. A spreadsheet's sheets must also declare a bounded size (their dimension);
``core.xlsx.rows`` caps the rows actually read as well.

Limits come from the settings (``XUEJIAO_UPLOAD_*``, see the README). A refused file is
deleted: the upload's temporary file at once, a stored copy by the caller
(``discard``)."""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024

# What a campaign office sends as evidence: photos and scans, PDF, office documents.
EVIDENCE_KINDS = ("jpeg", "png", "webp", "gif", "pdf", "docx", "xlsx", "pptx", "doc", "odt", "ods")

CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    # UTF-8 text: a campaign's set-up document (JSON).
    "text": "text/plain; charset=utf-8",
}
EXTENSIONS = {"jpeg": ".jpg", "doc": ".doc", "text": ".txt"} | {
    k: f".{k}" for k in CONTENT_TYPES if k not in ("jpeg", "doc", "text")
}

# How a kind of content is named in a message.
NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WebP",
    "gif": "GIF",
    "pdf": "PDF",
    "xlsx": "Excel (.xlsx)",
    "docx": "Word (.docx)",
    "pptx": "PowerPoint (.pptx)",
    "doc": "Word/Excel 97-2003 (.doc/.xls)",
    "odt": "OpenDocument (.odt)",
    "ods": "OpenDocument (.ods)",
    "zip": "zip",
    "html": "HTML",
    "svg": "SVG",
    "xml": "XML",
    "text": gettext_lazy("plain text"),
    "empty": gettext_lazy("empty"),
    "unknown": gettext_lazy("unknown"),
}

_OOXML_MAIN = {"xl/workbook.xml": "xlsx", "word/document.xml": "docx", "ppt/presentation.xml": "pptx"}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class Refused(ValidationError):
    """The upload is refused; the message names the file and what is wrong with it."""

    def __str__(self) -> str:
        return " ".join(self.messages)


@dataclass
class Checked:
    """What the guard learnt of an accepted file: its kind (``xlsx``, ``pdf``…), its
    content type, the extension to store it under, its size and its SHA-256."""

    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler that keeps on disk no more than the size limit (and
    a byte) while it goes on counting, so ``.size`` says how large the file really was and
    a 200 MB upload never fills the disk; the guard then refuses it by its size."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = max_bytes() + 1 - self._kept
        if room > 0:
            part = raw_data[:room]
            self.file.write(part)
            self._kept += len(part)
        return None


def max_bytes() -> int:
    return settings.XUEJIAO_UPLOAD_MAX_MB * MB


def _name(upload: Any) -> str:
    return (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "?"


def _refuse(upload: Any, message: str) -> Refused:
    return Refused({"file": _("“%(name)s”: %(problem)s") % {"name": _name(upload), "problem": message}})


def _read_head(upload: Any, n: int = 512) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    if isinstance(upload, str | bytes):
        with open(upload, "rb") as fh:
            return fh.read(n)
    head = upload.read(n)
    upload.seek(0)
    return head


def _size(upload: Any) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def sniff(head: bytes) -> str:
    """The kind of content from a file's first bytes: an office zip is only ``zip`` here
    (its parts decide, see ``zip_kind``)."""
    if not head:
        return "empty"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text:
        return "svg"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")) or b"<html" in text:
        return "html"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "xml"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The first bytes of a text may end inside a character (Chinese or Tibetan).
        if exc.reason != "unexpected end of data":
            return "unknown"
    return "text"


def _zip_kind(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    for main, kind in _OOXML_MAIN.items():
        if main in names and "[Content_Types].xml" in names:
            return kind
    if "mimetype" in names:
        with zf.open("mimetype") as fh:
            return _ODF_TYPES.get(fh.read(100).strip(), "zip")
    return "zip"


def _check_zip(upload: Any, zf: zipfile.ZipFile, kind: str, max_rows: int | None) -> None:
    infos = zf.infolist()
    if len(infos) > settings.XUEJIAO_UPLOAD_MAX_PARTS:
        raise _refuse(
            upload,
            _("it holds %(n)s parts, more than the %(max)s an office document may hold.")
            % {"n": len(infos), "max": settings.XUEJIAO_UPLOAD_MAX_PARTS},
        )
    total = 0
    limit = settings.XUEJIAO_UPLOAD_MAX_EXPANDED_MB * MB
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name.split("/")[0]:
            raise _refuse(
                upload, _("a part of it has a name that leads out of the file (%(part)s).") % {"part": name[:80]}
            )
        total += info.file_size
        if total > limit:
            raise _refuse(
                upload,
                _("it would expand to more than %(mb)s MB; a zip bomb or a file far larger than an import holds.")
                % {"mb": settings.XUEJIAO_UPLOAD_MAX_EXPANDED_MB},
            )
        if info.file_size > MB and info.file_size > settings.XUEJIAO_UPLOAD_MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(
                upload,
                _("its part %(part)s expands %(ratio)s times, more than the %(max)s times a real document does.")
                % {
                    "part": name[:80],
                    "ratio": info.file_size // max(info.compress_size, 1),
                    "max": settings.XUEJIAO_UPLOAD_MAX_RATIO,
                },
            )
        lowered = name.lower()
        if lowered.endswith("vbaproject.bin") or lowered.startswith(("basic/", "scripts/")) or "/activex/" in lowered:
            raise _refuse(
                upload, _("it carries macros; save it without macros (as .xlsx or .docx) and upload it again.")
            )
    if "[Content_Types].xml" in zf.namelist():
        with zf.open("[Content_Types].xml") as fh:
            if b"macroEnabled" in fh.read(256 * 1024):
                raise _refuse(
                    upload, _("it carries macros; save it without macros (as .xlsx or .docx) and upload it again.")
                )
    if kind == "xlsx":
        _check_dimensions(upload, zf, max_rows)


def _letters_to_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _check_dimensions(upload: Any, zf: zipfile.ZipFile, max_rows: int | None) -> None:
    """Each sheet declares its used range near its start (``<dimension ref="A1:H120"/>``);
    a sheet that declares more rows or columns than any import reads is refused before a
    row is read."""
    rows_cap = max_rows or settings.XUEJIAO_UPLOAD_MAX_ROWS
    for info in zf.infolist():
        if not _SHEET.match(info.filename):
            continue
        with zf.open(info) as fh:
            head = fh.read(4096)
        found = _DIMENSION.search(head)
        if not found:
            continue
        col = found.group(3) or found.group(1) or b"A"
        row = int(found.group(4) or found.group(2) or 1)
        if row > rows_cap + 1:
            raise _refuse(
                upload,
                _(
                    "a sheet reaches row %(row)s (blank rows included); at most %(max)s rows are read. Delete the empty rows or split the file."
                )
                % {"row": f"{row:,}", "max": f"{rows_cap:,}"},
            )
        if _letters_to_number(col) > settings.XUEJIAO_UPLOAD_MAX_COLUMNS:
            raise _refuse(
                upload,
                _("a sheet reaches column %(column)s; at most %(max)s columns are read.")
                % {"column": col.decode(), "max": settings.XUEJIAO_UPLOAD_MAX_COLUMNS},
            )


def sha256_of(upload: Any) -> str:
    digest = hashlib.sha256()
    if isinstance(upload, str):
        with open(upload, "rb") as fh:
            while chunk := fh.read(MB):
                digest.update(chunk)
        return digest.hexdigest()
    upload.seek(0)
    while chunk := upload.read(MB):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check(upload: Any, accept: tuple[str, ...], *, max_rows: int | None = None) -> Checked:
    """Check an upload (an UploadedFile, a file object or a path) against the limits and
    the kinds ``accept``-ed; raise ``Refused`` (a ValidationError keyed ``file``) with the
    reason, else say what it is."""
    size = _size(upload) if not isinstance(upload, str) else _path_size(upload)
    if size > max_bytes():
        raise _refuse(
            upload,
            _("the file is %(size)s MB; at most %(max)s MB are accepted.")
            % {"size": f"{size / MB:.1f}", "max": settings.XUEJIAO_UPLOAD_MAX_MB},
        )
    kind = sniff(_read_head(upload))
    if kind == "zip":
        try:
            source = upload if isinstance(upload, str) else _rewound(upload)
            with zipfile.ZipFile(source) as zf:
                kind = _zip_kind(zf)
                if kind in accept:
                    _check_zip(upload, zf, kind, max_rows)
        except zipfile.BadZipFile as exc:
            raise _refuse(upload, _("the file is damaged (not a complete zip archive).")) from exc
        finally:
            if not isinstance(upload, str):
                upload.seek(0)
    if kind not in accept:
        found = NAMES.get(kind, kind)
        if accept == ("xlsx",):
            raise _refuse(
                upload,
                _(
                    "this is not an xlsx spreadsheet: its content is %(found)s. Save it as an Excel workbook (.xlsx) and upload it again."
                )
                % {"found": found},
            )
        wanted = ", ".join(str(NAMES[k]) for k in accept)
        raise _refuse(
            upload, _("its content is %(found)s; accepted are %(wanted)s.") % {"found": found, "wanted": wanted}
        )
    return Checked(
        kind=kind, content_type=CONTENT_TYPES[kind], extension=EXTENSIONS[kind], size=size, sha256=sha256_of(upload)
    )


def _path_size(path: str) -> int:
    return os.path.getsize(path)


def _rewound(upload: Any) -> IO[bytes]:
    upload.seek(0)
    return upload


def check_xlsx(upload: Any, *, max_rows: int | None = None) -> Checked:
    """The guard of every spreadsheet import."""
    return check(upload, ("xlsx",), max_rows=max_rows)


_EXTENSION_KINDS = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".webp": "webp",
    ".gif": "gif",
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pptx": "pptx",
    ".doc": "doc",
    ".xls": "doc",
    ".ppt": "doc",
    ".odt": "odt",
    ".ods": "ods",
}


def _extension(upload: Any) -> str:
    name = _name(upload).lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def check_evidence(upload: Any) -> Checked:
    """The guard of every evidence file: a photo, a scan, a PDF or an office document, by
    its content; a name that says another of these kinds than the content is refused too
    (a GIF named .png), and the file is stored under the extension of what it is."""
    checked = check(upload, EVIDENCE_KINDS)
    extension = _extension(upload)
    said = _EXTENSION_KINDS.get(extension)
    if said is not None and said != checked.kind:
        raise _refuse(
            upload,
            _("its content is %(found)s, not what its name (%(extension)s) says.")
            % {"found": NAMES[checked.kind], "extension": extension},
        )
    if checked.kind == "doc" and said == "doc":
        checked.extension = extension
    return checked


def evidence_name(upload: Any, checked: Checked) -> str:
    """The name to store an accepted evidence file under: its own, with the extension of
    what it is."""
    stem = _name(upload).rsplit(".", 1)[0][:120] or "file"
    return stem + checked.extension


def download(field_file: Any, filename: str | None = None) -> FileResponse:
    """Serve a stored upload as a download, never as a page: ``Content-Disposition:
    attachment``, ``nosniff``, a sandbox policy, and the content type of what the file is
    (an old upload that is none of the accepted kinds goes out as bytes)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    kind = sniff(handle.read(512))
    handle.seek(0)
    if kind == "zip":
        try:
            with zipfile.ZipFile(handle) as zf:
                kind = _zip_kind(zf)
        except zipfile.BadZipFile:
            kind = "zip"
        handle.seek(0)
    name = filename or field_file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def discard(upload: Any) -> None:
    """Delete a refused file from disk: an upload's temporary file, or a stored file
    (a FieldFile) with its storage."""
    storage = getattr(upload, "storage", None)
    stored_name = getattr(upload, "name", None)
    if storage is not None and stored_name:
        storage.delete(stored_name)
        return
    path = getattr(upload, "temporary_file_path", None)
    if callable(path):
        try:
            file_path = path()
            upload.close()
            if os.path.exists(file_path):
                os.unlink(file_path)
        except OSError:
            pass
