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


def _no_control(value: str) -> str:
    from core.records import has_control_characters

    if has_control_characters(value):
        raise ValueError("Control characters are not allowed (tab and line breaks are).")
    return value


def Text(max_length: int) -> Any:  # noqa: N802  (a type, spelt like one)
    """A string of at most ``max_length`` characters, without control characters (NUL,
    which PostgreSQL refuses, escape, vertical tab ... which XML cannot carry)."""
    from typing import Annotated

    from pydantic import AfterValidator, StringConstraints

    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_control)]


COUNT_MAX = 2_147_483_647  # the largest value of a PositiveIntegerField on every database


def _spec_validator(spec: Any):
    from pydantic_core import PydanticCustomError

    from core.records import Refused

    def check(value: Any) -> Any:
        if value is None:
            return None  # not given: the endpoint (or the record's default) decides
        try:
            return spec.parse(value)
        except Refused as exc:
            raise PydanticCustomError("value_error", "{msg}", {"msg": exc.message}) from None

    return check


def Scalar(spec: Any, *, optional: bool = True) -> Any:  # noqa: N802  (a type, spelt like one)
    """The API's type of one field of a record (``core.records``): it takes what a JSON
    client may send for it (a number or its digits as text, a date's text ...) and parses it
    through the record's spec, so the API refuses exactly what the form and the import
    refuse, with a 422 naming the field."""
    import datetime
    from typing import Annotated

    from pydantic import BeforeValidator, WithJsonSchema

    from core import records

    if isinstance(spec, records.Count):
        base: Any = int
        schema = {"type": "integer", "minimum": spec.min, "maximum": spec.max}
    elif isinstance(spec, records.Day):
        base = datetime.date
        schema = {"type": "string", "format": "date"}
    elif isinstance(spec, records.Choice):
        base = str
        schema = {"type": "string", "enum": [str(v) for v in spec.choices.values]}
    else:
        base = str
        schema = {"type": "string", "maxLength": spec.max_length}
    if optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
        base = base | None
    return Annotated[base, BeforeValidator(_spec_validator(spec)), WithJsonSchema(schema)]
