from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("orgs/", include("orgs.urls")),
    path("campaigns/", include("campaigns.urls")),
]
