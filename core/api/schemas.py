"""Schemas every endpoint shares: errors, pages, names in three languages."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class ErrorItem(Schema):
    """One problem with the input: where (``loc``, e.g. ``["body", "date"]`` or
    ``["body", "rows", 41, "unit"]``) and what (``msg``)."""

    loc: list[str | int] = Field(default_factory=list)
    msg: str
    type: str = "value_error"


class ErrorOut(Schema):
    """401, 403, 404 and 429 carry a sentence; 422 carries a list of problems by field."""

    detail: str | list[ErrorItem] | list[dict[str, Any]]


class Page(Schema, Generic[T]):
    """One page of a list. ``next`` is the cursor of the following page (pass it back as
    ``?cursor=``); null on the last page."""

    items: list[T]
    next: str | None = None


class Names(Schema):
    zh: str = ""
    bo: str = ""
    en: str = ""


ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    """The response map of an operation: its success and every error it may answer."""
    return {status: ok, **ERRORS}


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed.")
    return value


def Text(max_length: int) -> Any:  # noqa: N802  (a type, spelt like one)
    """A string of at most ``max_length`` characters, without NUL (which PostgreSQL refuses)."""
    from typing import Annotated

    from pydantic import AfterValidator, StringConstraints

    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_nul)]


COUNT_MAX = 2_147_483_647  # the largest value of a PositiveIntegerField on every database
