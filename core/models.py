"""What the shell keeps of its own: the files already imported, so that the same file is not
imported twice without a word; and the fields of a definition the office edits in a page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedFile(models.Model):
    """One file whose rows were imported into one place (a kind of import into one unit, or
    the question bank), known by the SHA-256 of its content: who imported it and when. An
    upload with the same content into the same place is asked about before it is imported
    again."""

    place = models.CharField(_("place"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    name = models.CharField(_("file name"), max_length=200)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")
        indexes = [models.Index(fields=["place", "sha256"], name="imported_file_place_sha")]

    def __str__(self) -> str:
        return f"{self.place} {self.name}"


class EditedDefinition(models.Model):
    """A definition the office edits in a page (an indicator, a report's template): its
    version rises with every change, so that an edit from an older version is refused and a
    published report can say which version it used; who changed it last and when."""

    version = models.PositiveIntegerField(_("version"), default=1)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        abstract = True
