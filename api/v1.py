"""The REST API at /api/v1/: one NinjaAPI that mounts each app's own router (the apps keep
their endpoints in ``<app>/api.py``; this is wiring only)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from core.api import errors
from orgs.api_auth import AUTH

api = NinjaAPI(
    title="xuejiao API",
    version="1",
    description=(
        "Records of the study-and-education campaign, read and written with exactly the role and scope "
        "of the calling account. See docs/api.md."
    ),
    auth=AUTH,
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _mount() -> None:
    from concerns.api import router as concerns
    from figures.api import router as indicators
    from ledger.api import activities
    from orglife.api import router as orglife
    from orgs.api import router as units
    from quality.api import router as quality
    from quiz.api import router as quiz
    from reports.api import router as reports

    api.add_router("/units", units)
    api.add_router("/activities", activities)
    api.add_router("/indicators", indicators)
    api.add_router("/concerns", concerns)
    api.add_router("/orglife", orglife)
    api.add_router("/quiz", quiz)
    api.add_router("/reports", reports)
    api.add_router("/quality", quality)


_mount()
