from django.urls import include, path

from concerns.urls import open311_urlpatterns
from orgs.urls import token_urlpatterns

urlpatterns = [
    # The quiz first: Django tries the patterns in order on every request, and a quiz's
    # takers send more requests than everyone else together (an answer each question).
    path("quiz/", include("quiz.urls")),
    path("", include("shell.urls")),
    path("", include("core.urls")),
    path("orgs/", include("orgs.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("ledger/indicators/", include("figures.urls")),
    path("ledger/", include("ledger.urls")),
    path("concerns/", include("concerns.urls")),
    path("orglife/", include("orglife.urls")),
    path("reports/", include("reports.urls")),
    path("quality/", include("quality.urls")),
    path("inbox/", include("inbox.urls")),
    # The public API (/api/v1/), an account's API tokens and the Open311 GeoReport v2
    # endpoint over the concerns.
    path("", include("api.urls")),
    path("api/tokens/", include(token_urlpatterns)),
    path("open311/v2/", include(open311_urlpatterns)),
]
