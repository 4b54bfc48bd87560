"""The report template's part of a campaign's set-up (``campaigns.transfer``): one row for the
lead and one per section, in the report's order, each naming the indicators its sentences
carry by code (``codes``, for a reader of the document; the sentences themselves name them
too). The lead's row also carries the lines of the report's head and close the template writes
itself (``title``, ``subtitle``, ``issuer``, ``issued``; absent: the platform's). Loading checks the rows as the editor does and gives the new campaign the template as
its first version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reports import template

NAME = "reports.template"
ORDER = 500  # after the parts that define indicators: the template names them


def _codes(paragraphs: list) -> list[str]:
    return template.document_codes({"lead": paragraphs, "sections": []})


def dump(campaign) -> list[dict[str, Any]]:
    document, _version = template.template_of_campaign(campaign)
    lead: dict[str, Any] = {"section": "lead"}
    lead.update({name: document[name] for name in template.LINES if name in document})
    lead.update({"paragraphs": document.get("lead", []), "codes": _codes(document.get("lead", []))})
    rows: list[dict[str, Any]] = [lead]
    for section in document.get("sections", []):
        rows.append(
            {
                "section": section["key"],
                "title_zh": section.get("title_zh", ""),
                "title_bo": section.get("title_bo", ""),
                "title_en": section.get("title_en", ""),
                "needs_data": section.get("needs_data", True),
                "paragraphs": section.get("paragraphs", []),
                "codes": _codes(section.get("paragraphs", [])),
            }
        )
    return rows


def document_from_rows(rows: Any) -> dict:
    """The template the rows describe; a ValidationError naming the row when one is not a
    section."""
    if not isinstance(rows, list):
        raise ValidationError({NAME: [_("The report template is a list of sections.")]})
    document: dict[str, Any] = {"lead": [], "sections": []}
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("section"), str):
            raise ValidationError({NAME: [_("Row %(n)s of the report template is not a section.") % {"n": index + 1}]})
        if row["section"] == "lead":
            document["lead"] = row.get("paragraphs", [])
            document.update({name: row[name] for name in template.LINES if name in row})
            continue
        document["sections"].append(
            {
                "key": row["section"],
                "title_zh": row.get("title_zh", ""),
                "title_bo": row.get("title_bo", ""),
                "title_en": row.get("title_en", ""),
                "needs_data": row.get("needs_data", True),
                "paragraphs": row.get("paragraphs", []),
            }
        )
    return document


def load(campaign, rows: Any, context: Any = None) -> None:
    """Give ``campaign`` the template the rows describe; ``context``: the
    ``campaigns.transfer.Context`` of the load (its ``actor`` is recorded as the author)."""
    from reports.services import install_template

    document = document_from_rows(rows)
    try:
        install_template(campaign=campaign, document=document, actor=getattr(context, "actor", None))
    except ValidationError as exc:
        raise ValidationError({NAME: exc.messages}) from exc


def register() -> None:
    from campaigns.transfer import Part
    from campaigns.transfer import register as register_part

    register_part(Part(NAME, dump, load, ORDER))
