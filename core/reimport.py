"""The same file is not imported twice without a word.

Each import remembers the SHA-256 of every file whose rows it wrote, with the place it
wrote them to (``remember``). When an upload's content was already imported into the same
place, the import page asks ("This file was imported on … by …; import it again?") instead of
importing it: the upload is held on disk for its uploader (one per kind of import) and the
page offers an explicit "Import it again" button, which posts the form again with
``again=1`` and no file; ``files`` then hands the held file to the form as if it had been
uploaded once more. A held file is deleted when it is used, replaced or refused."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.models import ImportedFile

AGAIN = "again"


def previous(place: str, sha256: str) -> ImportedFile | None:
    """The last import of this content into this place, if any."""
    return (
        ImportedFile.objects.select_related("imported_by")
        .filter(place=place, sha256=sha256)
        .order_by("-imported_at")
        .first()
    )


@transaction.atomic
def remember(*, place: str, sha256: str, name: str, actor: Any) -> ImportedFile:
    return ImportedFile.objects.create(
        place=place, sha256=sha256, name=(name or "")[:200], imported_by=actor if getattr(actor, "pk", None) else None
    )


def _folder(user: Any, what: str) -> str:
    return f"uploads/held/{what}-{user.pk}"


def hold(user: Any, what: str, upload: Any) -> None:
    """Keep ``upload`` for ``user`` until the question is answered."""
    release(user, what)
    name = (getattr(upload, "name", "") or "upload.xlsx").replace("\\", "/").rsplit("/", 1)[-1][:150]
    upload.seek(0)
    default_storage.save(f"{_folder(user, what)}/{name}", upload)


def _held_name(user: Any, what: str) -> str | None:
    folder = _folder(user, what)
    try:
        _dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return None
    return f"{folder}/{names[0]}" if names else None


def release(user: Any, what: str) -> None:
    """Delete what is held for ``user`` (the question was answered, or a new upload came)."""
    folder = _folder(user, what)
    try:
        _dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{folder}/{name}")


def asked_again(request: Any) -> bool:
    return request.method == "POST" and request.POST.get(AGAIN) == "1"


def files(request: Any, what: str) -> Any:
    """The files a form of this import gets: the upload, or, when the user answered
    "Import it again" (a post with ``again=1`` and no file), the held file."""
    if request.method != "POST":
        return None
    if request.FILES or not asked_again(request):
        return request.FILES
    name = _held_name(request.user, what)
    if name is None:
        return request.FILES
    size = default_storage.size(name)
    held = UploadedFile(default_storage.open(name, "rb"), name=name.rsplit("/", 1)[-1], size=size)
    return {"file": held}


def ask_first(request: Any, what: str, place: str, upload: Any, sha256: str) -> dict[str, Any] | None:
    """When this content was imported into ``place`` before and the user has not yet
    answered "Import it again": the upload held and the question to ask (``question``);
    otherwise None, and the import goes ahead."""
    earlier = None if asked_again(request) else previous(place, sha256)
    if earlier is None:
        return None
    hold(request.user, what, upload)
    return question(request, earlier)


def question(request: Any, earlier: ImportedFile) -> dict[str, Any]:
    """The context of the question the page asks (``core/_import_again.html``): the
    message and the fields to post again."""
    who = str(earlier.imported_by) if earlier.imported_by else _("someone")
    when = formats.date_format(timezone.localtime(earlier.imported_at), "Y-m-d H:i")
    fields = [(k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", AGAIN) for v in values]
    return {
        "message": _("This file was imported on %(when)s by %(who)s; import it again?") % {"when": when, "who": who},
        "fields": fields,
    }
